"""Problems found in user input, formatted the way the contract prescribes."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict

from tunewise.engine.escaping import printable

Severity = Literal["error", "warning"]


class Problem(BaseModel):
    """One thing wrong (or worth a warning) in an input file."""

    model_config = ConfigDict(frozen=True)
    file: str
    line: int = 1
    column: int = 1
    question: str
    message: str
    allowed: str | None = None
    severity: Severity = "error"

    def __str__(self) -> str:
        text = f"{printable(self.file)}:{self.line}:{self.column}: {printable(self.question)}: " \
               f"{printable(self.message)}"
        if self.allowed:
            text += f" (allowed: {printable(self.allowed)})"
        return text


class InputError(Exception):
    """Raised when an input file has errors; carries every problem found."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """' (did you mean "x"?)' for the closest candidate, or ''."""
    match = difflib.get_close_matches(str(word), list(candidates), n=1, cutoff=0.6)
    return f'; did you mean "{match[0]}"?' if match else ""


def errors(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


class Locator(Protocol):
    def where(self, path: tuple[Any, ...]) -> tuple[int, int]: ...


class ProblemCollector:
    """Problems found while walking one parsed file, each placed at its key's line and column."""

    def __init__(self, located: Locator, filename: str):
        self.located, self.filename = located, filename
        self.problems: list[Problem] = []

    def add(self, path: tuple[Any, ...], question: str, message: str, allowed: str | None = None,
            severity: Severity = "error") -> None:
        line, column = self.located.where(path)
        self.problems.append(Problem(file=self.filename, line=line, column=column, question=question,
                                     message=message, allowed=allowed, severity=severity))
