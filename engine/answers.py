"""Answer files: reading them safely and checking every answer against the bank.

Every problem is collected (never only the first) with the line and column
where it stands, so a consultant can fix a hand-written file in one pass.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from tunewise.engine import yaml_source
from tunewise.engine.assumptions import Catalogue, load_catalogue
from tunewise.engine.problems import InputError, Problem, ProblemCollector, did_you_mean, errors
from tunewise.engine.questions import Question, QuestionBank, load_bank

ANSWER_FILE_VERSION = 1
TOP_LEVEL_KEYS = ("version", "client", "currency", "answers", "assumptions", "notes")
CLIENT_KEYS = ("name", "project", "consultant", "date")
TEXT_LIMIT = 200
NOTE_LIMIT = 1000


class Client(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str
    project: str
    consultant: str | None = None
    date: dt.date | None = None


class AnswerFile(BaseModel):
    """A validated answer file: what the engine takes in."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    version: int = ANSWER_FILE_VERSION
    client: Client
    currency: str = "USD"
    answers: dict[str, Any] = Field(default_factory=dict)
    assumptions: dict[str, float] = Field(default_factory=dict)
    notes: dict[str, str] = Field(default_factory=dict)
    source: str | None = Field(default=None, exclude=True)
    defaulted: tuple[str, ...] = Field(default=(), exclude=True)


class LoadResult(BaseModel):
    model_config = ConfigDict(arbitrary_types_allowed=True)
    answer_file: AnswerFile | None
    problems: list[Problem]
    # where each assumption override of the file stands, to point at one that breaks the sums
    override_positions: dict[str, tuple[int, int]] = Field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.answer_file is not None and not errors(self.problems)


def check_value(question: Question, value: Any) -> tuple[str, str | None] | None:
    """(message, allowed) when ``value`` is not a valid answer to ``question``."""
    allowed = question.allowed()
    if question.type == "bool":
        if not isinstance(value, bool):
            return f"expected true or false, got {brief(value)}", allowed
    elif question.type == "choice":
        if not isinstance(value, str) or value not in question.values:
            hint = did_you_mean(value, question.values) if isinstance(value, str) else ""
            return f"{brief(value)} is not one of the choices{hint}", allowed
    elif question.type in ("integer", "money"):
        numeric = isinstance(value, int | float) and not isinstance(value, bool)
        if not numeric or value != value or value in (float("inf"), float("-inf")):
            return f"expected a number, got {brief(value)}", allowed
        if question.type == "integer" and not (isinstance(value, int) or float(value).is_integer()):
            return f"expected a whole number, got {brief(value)}", allowed
        if question.min is not None and value < question.min:
            return f"{brief(value)} is below the minimum", allowed
        if question.max is not None and value > question.max:
            return f"{brief(value)} is above the maximum", allowed
    elif question.type == "text":
        if not isinstance(value, str) or len(value) > TEXT_LIMIT:
            return f"expected text of at most {TEXT_LIMIT} characters", allowed
    return None


def normalise(question: Question, value: Any) -> Any:
    if question.type == "integer" or (question.type == "money" and isinstance(value, int)):
        return int(value)
    if question.type == "money":
        return int(value) if float(value).is_integer() else float(value)
    return value


class _Checker(ProblemCollector):
    """Walks one parsed answer file and collects problems."""

    located: yaml_source.Located

    def __init__(self, located: yaml_source.Located, filename: str, bank: QuestionBank,
                 catalogue: Catalogue, use_defaults: bool):
        super().__init__(located, filename)
        self.bank, self.catalogue, self.use_defaults = bank, catalogue, use_defaults
        self.blank: set[str] = set()

    def mapping(self, path: tuple, name: str, value: Any) -> dict:
        if not isinstance(value, dict):
            self.add(path, name, f"expected a mapping of keys to values, got {_kind(value)}")
            return {}
        return value

    def unknown_keys(self, path: tuple, data: dict, known: tuple[str, ...] | list[str],
                     label: str) -> None:
        for key in data:
            if key not in known:
                name = str(key) if len(str(key)) <= 60 else str(key)[:57] + "..."
                self.add(path + (key,), name, f"unknown {label}{did_you_mean(name, known)}",
                         ", ".join(known))

    def run(self) -> AnswerFile | None:
        data = self.located.data
        if data is None:
            self.add((), "file", "the file is empty; an answer file needs version, client and answers")
            return None
        if not isinstance(data, dict):
            self.add((), "file", f"expected a mapping at the top of the file, got {_kind(data)}")
            return None
        self.unknown_keys((), data, TOP_LEVEL_KEYS, "top-level key")
        self.version(data)
        client = self.client(data)
        currency = self.currency(data)
        answers, defaulted = self.answers(data)
        overrides = self.overrides(data)
        notes = self.notes(data)
        if errors(self.problems) or client is None:
            return None
        return AnswerFile(version=ANSWER_FILE_VERSION, client=client, currency=currency,
                          answers=answers, assumptions=overrides, notes=notes,
                          source=self.filename, defaulted=tuple(defaulted))

    def notes(self, data: dict) -> dict[str, str]:
        """Optional ``notes``: question id -> the consultant's note on that answer."""
        if "notes" not in data or data["notes"] is None:
            return {}
        raw = self.mapping(("notes",), "notes", data["notes"])
        self.unknown_keys(("notes",), raw, self.bank.ids, "question")
        valid: dict[str, str] = {}
        for key, value in raw.items():
            if key not in self.bank.ids:
                continue
            if not isinstance(value, str):
                self.add(("notes", key), key, f"a note must be text, got {_kind(value)}", "text")
            elif len(value) > NOTE_LIMIT:
                self.add(("notes", key), key, f"note longer than {NOTE_LIMIT} characters", "text")
            elif value.strip():
                valid[key] = value.strip()
        return valid

    def version(self, data: dict) -> None:
        if "version" not in data:
            self.add((), "version", "missing; the first line of an answer file is 'version: 1'", "1")
        elif data["version"] != ANSWER_FILE_VERSION or isinstance(data["version"], bool):
            self.add(("version",), "version", f"unsupported version {brief(data['version'])}", "1")

    def client(self, data: dict) -> Client | None:
        if "client" not in data:
            self.add((), "client", "missing; give the client's name and project", "name, project")
            return None
        client = self.mapping(("client",), "client", data["client"])
        self.unknown_keys(("client",), client, CLIENT_KEYS, "client key")
        fields: dict[str, Any] = {}
        for key in CLIENT_KEYS:
            value = client.get(key)
            path = ("client", key)
            if value is None or (isinstance(value, str) and not value.strip()):
                if key in ("name", "project") and isinstance(data["client"], dict):
                    where = ("client", key) if key in client else ("client",)
                    self.add(where, f"client.{key}", "missing (required)", "text")
                continue
            if key == "date":
                if isinstance(value, dt.datetime):
                    value = value.date()
                elif isinstance(value, str):
                    # `tunewise schema` declares a string in date format, so "2026-11-02" is fine
                    value = _iso_date(value) or value
                if not isinstance(value, dt.date):
                    self.add(path, "client.date", f"expected a date, got {brief(value)}", "YYYY-MM-DD")
                    continue
            elif not isinstance(value, str) or not value.strip() or len(value) > TEXT_LIMIT:
                self.add(path, f"client.{key}", f"expected text of 1 to {TEXT_LIMIT} characters",
                         "text")
                continue
            fields[key] = value.strip() if isinstance(value, str) else value
        if "name" in fields and "project" in fields:
            return Client(**fields)
        return None

    def currency(self, data: dict) -> str:
        value = data.get("currency", "USD")
        known = self.catalogue.currencies
        if not isinstance(value, str) or not re.fullmatch(r"[A-Z]{3}", value) or value not in known:
            hint = did_you_mean(str(value).upper(), known)
            self.add(("currency",), "currency", f"unsupported currency {brief(value)}{hint}",
                     ", ".join(known))
            return "USD"
        return value

    def answers(self, data: dict) -> tuple[dict[str, Any], list[str]]:
        if "answers" not in data:
            raw: dict = {}
            if not self.use_defaults:
                self.add((), "answers", "missing; an answer file needs an 'answers:' mapping")
        else:
            raw = self.mapping(("answers",), "answers", data["answers"])
        self.unknown_keys(("answers",), raw, self.bank.ids, "question")
        self.blank = {key for key, value in raw.items() if value is None}
        # A key left blank (as `tunewise init` writes them) counts as not yet answered.
        raw = {key: value for key, value in raw.items() if value is not None}
        valid: dict[str, Any] = {}
        for question in self.bank.questions:
            if question.id not in raw:
                continue
            value = raw[question.id]
            problem = check_value(question, value)
            if problem:
                self.add(("answers", question.id), question.id, *problem)
            else:
                valid[question.id] = normalise(question, value)
        return self.complete(raw, valid)

    def complete(self, raw: dict, valid: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
        """Flag answers that do not apply; fill or flag missing ones that do."""
        defaulted: list[str] = []
        effective = self.bank.defaults() | valid
        for question in self.bank.questions:
            applies = question.applies(effective)
            if question.id in raw and not applies:
                reason = _why_not(question, effective)
                self.add(("answers", question.id), question.id,
                         f"ignored: this question does not apply ({reason})", severity="warning")
                valid.pop(question.id, None)
            elif question.id not in raw and applies and question.required:
                if self.use_defaults and question.default is not None:
                    valid[question.id] = question.default
                    defaulted.append(question.id)
                else:
                    where = ("answers", question.id) if question.id in self.blank else ("answers",)
                    default = (f"; use --defaults to take the default {_show(question.default)}"
                               if question.default is not None else "")
                    self.add(where, question.id, f"missing answer (required{default})",
                             question.allowed())
        return valid, defaulted

    def overrides(self, data: dict) -> dict[str, float]:
        if "assumptions" not in data or data["assumptions"] is None:
            return {}
        raw = self.mapping(("assumptions",), "assumptions", data["assumptions"])
        return check_overrides(raw, self.catalogue, self.add, ("assumptions",))


def check_overrides(raw: dict, catalogue: Catalogue, add, path: tuple) -> dict[str, float]:
    """Validate assumption overrides; report through ``add(path, key, message, allowed)``."""
    valid: dict[str, float] = {}
    for key, value in raw.items():
        if key not in catalogue.entries:
            add(path + (key,), str(key),
                f"unknown assumption{did_you_mean(key, catalogue.entries)}",
                "a key listed by 'tunewise assumptions'")
            continue
        problem = catalogue.override_problem(key, value)
        if problem:
            add(path + (key,), str(key), *problem)
        else:
            valid[key] = float(value)
    return valid


def _iso_date(text: str) -> dt.date | None:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


def _why_not(question: Question, answers: dict[str, Any]) -> str:
    parts = [f"{k} is {answers.get(k)!r}" for k in (question.when or {}) if k not in ("any", "all")]
    return ", ".join(parts).replace("True", "true").replace("False", "false") or "its condition is false"


def brief(value: Any, limit: int = 40) -> str:
    """A value's repr, shortened so a message stays on one readable line."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _show(value: Any) -> str:
    """A value as it would be written in YAML."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return f"a single value ({value!r})"[:80]


def load_answer_text(text: str, filename: str, use_defaults: bool = False,
                     bank: QuestionBank | None = None,
                     catalogue: Catalogue | None = None) -> LoadResult:
    try:
        located = yaml_source.load(text)
    except yaml_source.SourceError as exc:
        return LoadResult(answer_file=None, problems=[exc.problem(filename)])
    return _check(located, filename, use_defaults, bank, catalogue)


def _check(located, filename, use_defaults, bank, catalogue) -> LoadResult:
    checker = _Checker(located, filename, bank or load_bank(), catalogue or load_catalogue(),
                       use_defaults)
    answer_file = checker.run()
    positions = {key: located.where(("assumptions", key))
                 for key in (answer_file.assumptions if answer_file else {})}
    return LoadResult(answer_file=answer_file, problems=checker.problems, override_positions=positions)


def load_answer_path(path: str | Path, use_defaults: bool = False) -> LoadResult:
    """Read and check an answer file from disk; never raises for bad content."""
    try:
        located = yaml_source.read_file(path)
    except yaml_source.SourceError as exc:
        return LoadResult(answer_file=None, problems=[exc.problem(str(path))])
    return _check(located, str(path), use_defaults, None, None)


def require(result: LoadResult) -> AnswerFile:
    """The answer file, or InputError carrying every problem."""
    if not result.ok:
        raise InputError(errors(result.problems))
    assert result.answer_file is not None
    return result.answer_file
