"""Safe YAML loading that remembers where every key and value stood.

Untrusted answer, brand and assumption files come through here. It refuses
what a hand-written answer file never needs and an attacker might: anchors and
aliases (the 'billion laughs'), custom tags, deep nesting, huge files and bytes
that are not UTF-8. Positions are 1-based (line, column).
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tunewise.engine.problems import Problem

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 20
MAX_KEYS = 2_000
MAX_VALUES = 20_000

# libyaml's parser where PyYAML has it: it reads a 1 MiB file in milliseconds rather than
# seconds, and keeps line and column marks just as the pure-Python one does.
_SURROGATE = re.compile("[\ud800-\udfff]")
FastLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

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


def _pos(mark: Any) -> tuple[int, int]:
    """1-based (line, column) of a PyYAML or libyaml mark (either may be missing)."""
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


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


def _offset_position(text: str, offset: int) -> tuple[int, int]:
    """(line, column) of a character offset in ``text``."""
    offset = max(0, min(offset, len(text)))
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _byte_position(text: str, offset: int) -> tuple[int, int]:
    """(line, column) of a UTF-8 byte offset, as libyaml reports reader errors."""
    prefix = text.encode("utf-8", "surrogatepass")[:offset].decode("utf-8", "ignore")
    return _offset_position(text, len(prefix))


def _prescan(text: str) -> None:
    """Walk the event stream once and stop at the first thing we refuse.

    Events come one at a time, so a hostile file is refused after reading only as far as
    its first offence: an anchor or alias, nesting past MAX_DEPTH (flow brackets, block
    sequences such as ``- - - ...``, or indentation alike), or more keys or values than
    any answer, brand or assumptions file needs. The parser understands quoting, so a
    bracket inside a string does not count and a quote inside a plain word hides nothing.
    """
    depth = keys = values = 0
    expecting_key: list[bool | None] = []   # per open collection: a mapping awaiting a key?
    for event in yaml.parse(text, Loader=FastLoader):
        if isinstance(event, yaml.AliasEvent):
            raise SourceError("YAML aliases (*name) are not allowed here", *_pos(event.start_mark))
        if not isinstance(event, yaml.NodeEvent):
            if isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
                expecting_key.pop()
            continue
        if event.anchor:
            raise SourceError("YAML anchors (&name) are not allowed here", *_pos(event.start_mark))
        values += 1
        if values > MAX_VALUES:
            raise SourceError(f"more than {MAX_VALUES:,} values; no answer file needs that many",
                              *_pos(event.start_mark))
        if expecting_key and expecting_key[-1] is not None:
            if expecting_key[-1]:
                keys += 1
                if keys > MAX_KEYS:
                    raise SourceError(f"more than {MAX_KEYS:,} keys; no answer file needs that many",
                                      *_pos(event.start_mark))
            expecting_key[-1] = not expecting_key[-1]
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise SourceError(f"nesting deeper than {MAX_DEPTH} levels", *_pos(event.start_mark))
            expecting_key.append(True if isinstance(event, yaml.MappingStartEvent) else None)


def _syntax_error(exc: yaml.MarkedYAMLError) -> SourceError:
    mark = exc.problem_mark or exc.context_mark
    line, column = _pos(mark) if mark else (1, 1)
    problem = " ".join((exc.problem or exc.context or "invalid YAML").split())
    if "nesting depth" in problem:      # libyaml's own limit, reached while scanning ahead
        return SourceError(f"nesting deeper than {MAX_DEPTH} levels", line, column)
    return SourceError(f"YAML syntax error: {problem}", line, column)


def load(text: str) -> Located:
    """Parse ``text`` into plain Python data with positions, or raise SourceError."""
    try:
        _prescan(text)
        node = yaml.compose(text, Loader=FastLoader)
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc) from None
    except yaml.reader.ReaderError as exc:
        where = _byte_position(text, exc.position) if FastLoader is not yaml.SafeLoader \
            else _offset_position(text, exc.position)
        character = exc.character if isinstance(exc.character, str) else chr(exc.character)
        raise SourceError(f"file holds a control character ({character!r}) that YAML does not allow",
                          *where) from None
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
        value = _constructor.construct_object(node, deep=True)
    except yaml.constructor.ConstructorError as exc:
        problem = " ".join(str(exc.problem).split())
        raise SourceError(f"unsupported YAML value: {problem}", *_pos(node.start_mark)) from None
    except Exception as exc:  # noqa: BLE001 - any constructor failure is a bad value, not our bug
        # e.g. `!!float` with no value (IndexError), `!!bool maybe` (KeyError),
        # `!!timestamp x` (AttributeError)
        kind = node.tag.rsplit(":", 1)[-1]
        detail = f" ({' '.join(str(exc).split())})" if isinstance(exc, ValueError) else ""
        raise SourceError(f"unreadable YAML value: {node.value[:40]!r} is not a valid {kind}{detail}"[:200],
                          *_pos(node.start_mark)) from None
    if isinstance(value, str) and _SURROGATE.search(value):
        # "\ud800" is legal YAML escaping but not text: it cannot be written out as UTF-8.
        raise SourceError("text holds an unpaired surrogate escape (such as \\ud800), which is not a "
                          "character", *_pos(node.start_mark))
    return value


def load_bytes(raw: bytes) -> Located:
    return load(decode(raw))


def read_file(path: str | Path) -> Located:
    """Read and parse one YAML file under the size cap; any failure is a SourceError."""
    return load_bytes(read_capped(path))


def read_capped(path: str | Path) -> bytes:
    """The first MAX_BYTES + 1 bytes of a regular file, or a SourceError saying why not.

    Opened without blocking and checked after opening, so a FIFO or device put in the
    file's place is refused instead of hanging the run.
    """
    path = Path(path)
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise SourceError("cannot read: does not exist") from None
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror or exc}") from None
    try:
        mode = os.fstat(handle).st_mode
        if stat.S_ISDIR(mode):
            raise SourceError("cannot read: is a folder, not a file")
        if not stat.S_ISREG(mode):
            raise SourceError("cannot read: not a regular file (a pipe, socket or device)")
        chunks, size = [], 0
        while size <= MAX_BYTES:
            chunk = os.read(handle, MAX_BYTES + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(handle)
