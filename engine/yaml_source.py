"""Safe YAML loading that remembers where every key and value stood.

Untrusted answer, brand and assumption files come through here. It refuses
what a hand-written answer file never needs and an attacker might: anchors and
aliases (the 'billion laughs'), custom tags, deep nesting, huge files and bytes
that are not UTF-8. Positions are 1-based (line, column).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tunewise.engine.problems import Problem

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 20

KeyPath = tuple[Any, ...]
STANDARD_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}


class SourceError(Exception):
    """The file cannot be read as YAML at all; one message, one position."""

    def __init__(self, message: str, line: int = 1, column: int = 1):
        self.message, self.line, self.column = message, line, column
        super().__init__(f"{line}:{column}: {message}")

    def problem(self, file: str) -> Problem:
        return Problem(file=file, line=self.line, column=self.column, question="file",
                       message=self.message)


@dataclass
class Located:
    """A parsed document plus the position of each key (and value) by path."""

    data: Any
    key_positions: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)
    value_positions: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)

    def where(self, path: KeyPath) -> tuple[int, int]:
        """Best position for a path: its key, its value, or the nearest parent."""
        while path:
            if path in self.key_positions:
                return self.key_positions[path]
            if path in self.value_positions:
                return self.value_positions[path]
            path = path[:-1]
        return self.value_positions.get((), (1, 1))


def _pos(mark: yaml.Mark) -> tuple[int, int]:
    return mark.line + 1, mark.column + 1


def decode(raw: bytes) -> str:
    if len(raw) > MAX_BYTES:
        raise SourceError(f"file is {len(raw):,} bytes or more; the limit is {MAX_BYTES:,} bytes (1 MiB)")
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise SourceError("file holds binary data (a NUL byte), not YAML text", line)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise SourceError("file is not UTF-8 text", line, column) from None


def _refuse_aliases(text: str) -> None:
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.AliasEvent):
            raise SourceError("YAML aliases (*name) are not allowed here", *_pos(event.start_mark))
        anchor = getattr(event, "anchor", None)
        if anchor:
            raise SourceError("YAML anchors (&name) are not allowed here", *_pos(event.start_mark))


def _refuse_deep_flow(text: str) -> None:
    """Refuse deeply nested [ and { before PyYAML spends seconds recursing into them.

    A quick scan, not a parser: quoted strings and comments are skipped so that
    brackets inside them do not count.
    """
    if "[" not in text and "{" not in text:
        return
    depth, index, length = 0, 0, len(text)
    while index < length:
        char = text[index]
        if char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                line = text.count("\n", 0, index) + 1
                column = index - text.rfind("\n", 0, index)
                raise SourceError(f"nesting deeper than {MAX_DEPTH} levels", line, column)
        elif char in "]}":
            depth = max(0, depth - 1)
        elif char in "\"'" and (index == 0 or text[index - 1] in " \t:[{,\n"):
            closing = text.find(char, index + 1)
            index = length if closing < 0 else closing
        elif char == "#" and (index == 0 or text[index - 1] in " \t\n"):
            newline = text.find("\n", index)
            index = length if newline < 0 else newline
        index += 1


def load(text: str) -> Located:
    """Parse ``text`` into plain Python data with positions, or raise SourceError."""
    _refuse_deep_flow(text)
    try:
        _refuse_aliases(text)
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = _pos(mark) if mark else (1, 1)
        problem = " ".join((exc.problem or exc.context or "invalid YAML").split())
        raise SourceError(f"YAML syntax error: {problem}", line, column) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        raise SourceError(f"file holds a control character ({exc.character!r}) that YAML does not allow",
                          line, column) from None
    except yaml.YAMLError as exc:
        raise SourceError("YAML error: " + " ".join(str(exc).split())) from None
    except RecursionError:
        raise SourceError(f"nesting deeper than {MAX_DEPTH} levels") from None
    located = Located(data=None)
    if node is None:
        return located
    located.data = _build(node, (), located, 0)
    return located


_constructor = yaml.SafeLoader("")


def _build(node: yaml.Node, path: KeyPath, located: Located, depth: int) -> Any:
    if depth > MAX_DEPTH:
        raise SourceError(f"nesting deeper than {MAX_DEPTH} levels", *_pos(node.start_mark))
    located.value_positions[path] = _pos(node.start_mark)
    if not isinstance(node, yaml.ScalarNode) and node.tag not in STANDARD_TAGS:
        raise SourceError(f"unsupported YAML tag {node.tag!r}", *_pos(node.start_mark))
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise SourceError("mapping keys must be plain words", *_pos(key_node.start_mark))
            key = _scalar(key_node)
            if not isinstance(key, str | int | float | bool) or key is None:
                raise SourceError("mapping keys must be plain words", *_pos(key_node.start_mark))
            if key in result:
                raise SourceError(f"key {key!r} appears twice", *_pos(key_node.start_mark))
            located.key_positions[path + (key,)] = _pos(key_node.start_mark)
            result[key] = _build(value_node, path + (key,), located, depth + 1)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, path + (i,), located, depth + 1) for i, item in enumerate(node.value)]
    return _scalar(node)


def _scalar(node: yaml.Node) -> Any:
    try:
        return _constructor.construct_object(node, deep=True)
    except yaml.constructor.ConstructorError as exc:
        problem = " ".join(str(exc.problem).split())
        raise SourceError(f"unsupported YAML value: {problem}", *_pos(node.start_mark)) from None
    except (ValueError, OverflowError) as exc:
        raise SourceError("unreadable YAML value: " + " ".join(str(exc).split()),
                          *_pos(node.start_mark)) from None


def load_bytes(raw: bytes) -> Located:
    return load(decode(raw))


def read_file(path: str | Path) -> Located:
    """Read and parse one YAML file under the size cap; any failure is a SourceError."""
    path = Path(path)
    try:
        if not path.is_file():
            raise OSError("is a folder, not a file" if path.is_dir() else "does not exist")
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror or exc}") from None
    return load_bytes(raw)
