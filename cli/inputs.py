"""Finding answer files on the command line and reporting their problems."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

from tunewise.engine import yaml_source
from tunewise.engine.answers import LoadResult, check_overrides, load_answer_path
from tunewise.engine.assumptions import load_catalogue
from tunewise.engine.problems import Problem, errors

ANSWER_SUFFIXES = (".yaml", ".yml")


def expand(paths: Iterable[str]) -> tuple[list[Path], list[Problem]]:
    """Files named, plus *.yaml / *.yml found (recursively, sorted) in folders named."""
    found: list[Path] = []
    problems: list[Problem] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            inside = sorted(p for p in path.rglob("*") if p.suffix.lower() in ANSWER_SUFFIXES
                            and p.is_file() and not p.name.startswith("."))
            if not inside:
                problems.append(Problem(file=name, question="file",
                                        message="folder holds no answer files (*.yaml, *.yml)"))
            found.extend(inside)
        else:
            found.append(path)
    unique = list(dict.fromkeys(found))
    return unique, problems


def print_problems(problems: Iterable[Problem], stream=None) -> None:
    stream = stream or sys.stderr
    for problem in sorted(problems, key=lambda p: (p.file, p.line, p.column)):
        prefix = "warning: " if problem.severity == "warning" else ""
        print(f"{prefix}{problem}", file=stream)


class Overrides(dict[str, float]):
    """Assumption overrides (key to value), remembering where each one was given.

    A plain dict to whatever takes overrides; ``where[key]`` is (file, line, column), so
    an override that breaks the sums can be named at its place.
    """

    def __init__(self, values: dict[str, float] | None = None,
                 where: dict[str, tuple[str, int, int]] | None = None):
        super().__init__(values or {})
        self.where = dict(where or {})

    def add(self, key: str, value: float, source: str) -> None:
        """An override given on the command line (such as --horizon)."""
        self[key] = value
        self.where[key] = (source, 1, 1)


def load_overrides(path: str | None) -> tuple[Overrides, list[Problem]]:
    """Read an --assumptions file: a mapping of assumption key to number.

    The overrides may stand at the top level or under an `assumptions:` key, so an
    answer file's own section can be reused.
    """
    if not path:
        return Overrides(), []
    problems: list[Problem] = []
    try:
        located = yaml_source.read_file(path)
    except yaml_source.SourceError as exc:
        return Overrides(), [exc.problem(path)]
    data, prefix = located.data, ()
    if isinstance(data, dict) and isinstance(data.get("assumptions"), dict):
        data, prefix = data["assumptions"], ("assumptions",)
    if not isinstance(data, dict):
        return Overrides(), [Problem(file=path, question="file",
                                              message="expected a mapping of assumption keys to numbers")]

    def add(where, key, message, allowed=None, severity="error"):
        line, column = located.where(where)
        problems.append(Problem(file=path, line=line, column=column, question=key,
                                message=message, allowed=allowed, severity=severity))

    valid = check_overrides(data, load_catalogue(), add, prefix)
    where = {key: (path, *located.where(prefix + (key,))) for key in valid}
    return Overrides(valid, where), problems


def assess_result(result: LoadResult, overrides: Overrides, with_sensitivity: bool = True):
    """(assessment, []) for a valid answer file, or (None, problems) when its assumption
    overrides, or those of --assumptions, break the arithmetic. Used by validate and report."""
    from tunewise.engine.computable import Uncomputable, assess_checked

    answer_file = result.answer_file
    assert answer_file is not None
    try:
        return assess_checked(answer_file, overrides, with_sensitivity), []
    except Uncomputable as exc:
        problems = []
        for key in exc.culprits:
            if key in answer_file.assumptions:
                file, (line, column) = answer_file.source or "", result.override_positions.get(key, (1, 1))
            else:
                file, line, column = overrides.where.get(key, ("--assumptions", 1, 1))
            message = ("these overrides together: " if exc.together else "") + exc.reason
            problems.append(Problem(file=file, line=line, column=column, question=key, message=message))
        return None, problems


def load_all(paths: list[Path], use_defaults: bool) -> list[LoadResult]:
    return [load_answer_path(path, use_defaults) for path in paths]


def has_errors(problems: Iterable[Problem]) -> bool:
    return bool(errors(problems))
