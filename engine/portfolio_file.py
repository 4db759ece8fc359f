"""Portfolio files: one client's use cases, budgets and people, read safely and checked.

A portfolio file names answer files relative to itself. Every problem, in the
portfolio file and in each answer file it names, is collected in one pass and
reported as ``FILE:LINE:COL: key: message (allowed: ...)``.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from tunewise.engine import yaml_source
from tunewise.engine.answers import AnswerFile, _kind, brief, check_overrides, load_answer_path
from tunewise.engine.assumptions import Assumption, Catalogue, load_catalogue
from tunewise.engine.problems import InputError, Problem, ProblemCollector, did_you_mean, errors
from tunewise.engine.questions import load_data_yaml

PORTFOLIO_FILE_VERSION = 1
TOP_LEVEL_KEYS = ("version", "client", "currency", "budget_upfront", "budget_monthly", "people", "start",
                  "use_cases", "assumptions")
CLIENT_KEYS = ("name", "consultant", "date")
ROLES = ("ml_experts", "engineers")
USE_CASE_KEYS = ("file", "id", "must_do", "priority")
MAX_USE_CASES = 100
MAX_MONEY = 1e12
MAX_PERSON_WEEKS = 100_000
TEXT_LIMIT = 200
ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]{0,59}")


class PortfolioClient(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str
    consultant: str | None = None
    date: dt.date | None = None


class UseCaseRef(BaseModel):
    """One entry of ``use_cases``: which answer file, and how the client ranks it."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    file: str = Field(description="As written in the portfolio file, relative to it")
    path: str = Field(exclude=True, description="Where it was read from")
    must_do: bool = False
    priority: int | None = None


class PortfolioFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    version: int = PORTFOLIO_FILE_VERSION
    client: PortfolioClient
    currency: str = "USD"
    budget_upfront: float
    budget_monthly: float
    people: dict[str, float]
    start: dt.date | None = None
    use_cases: list[UseCaseRef]
    assumptions: dict[str, float] = Field(default_factory=dict)
    source: str | None = Field(default=None, exclude=True)


class PortfolioLoad(BaseModel):
    """A checked portfolio file with its answer files (by use-case id), or the problems found."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    portfolio: PortfolioFile | None
    answer_files: dict[str, AnswerFile]
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return self.portfolio is not None and not errors(self.problems)


@cache
def load_portfolio_catalogue() -> Catalogue:
    """The portfolio's own figures (engine/data/portfolio.yaml)."""
    raw = load_data_yaml("portfolio.yaml")
    return Catalogue(entries={key: Assumption(key=key, **fields) for key, fields in raw["entries"].items()})


def _combined_catalogue() -> Catalogue:
    return Catalogue(entries=load_catalogue().entries | load_portfolio_catalogue().entries)


class _Checker(ProblemCollector):
    """Walks one parsed portfolio file and collects problems."""

    located: yaml_source.Located

    def __init__(self, located: yaml_source.Located, filename: str, folder: Path, use_defaults: bool):
        super().__init__(located, filename)
        self.folder, self.use_defaults = folder, use_defaults
        self.answer_files: dict[str, AnswerFile] = {}

    def run(self) -> PortfolioFile | None:
        data = self.located.data
        if data is None:
            self.add((), "file", "the file is empty; a portfolio file needs version, client, budgets, "
                                 "people and use_cases")
            return None
        if not isinstance(data, dict):
            self.add((), "file", f"expected a mapping at the top of the file, got {_kind(data)}")
            return None
        for key in data:
            if key not in TOP_LEVEL_KEYS:
                hint = did_you_mean(str(key), TOP_LEVEL_KEYS)
                self.add((key,), str(key)[:60], f"unknown top-level key{hint}", ", ".join(TOP_LEVEL_KEYS))
        self.version(data)
        client = self.client(data)
        currency = self.currency(data)
        budgets = {key: self.money(data, key) for key in ("budget_upfront", "budget_monthly")}
        people = self.people(data)
        start = self.start(data)
        overrides = self.overrides(data)
        refs = self.use_cases(data)
        upfront, monthly = budgets["budget_upfront"], budgets["budget_monthly"]
        if errors(self.problems) or client is None or people is None or refs is None \
                or upfront is None or monthly is None:
            return None
        return PortfolioFile(client=client, currency=currency, budget_upfront=upfront, budget_monthly=monthly,
                             people=people, start=start, use_cases=refs, assumptions=overrides,
                             source=self.filename)

    def version(self, data: dict) -> None:
        if "version" not in data:
            self.add((), "version", "missing; the first line of a portfolio file is 'version: 1'", "1")
        elif data["version"] != PORTFOLIO_FILE_VERSION or isinstance(data["version"], bool):
            self.add(("version",), "version", f"unsupported version {brief(data['version'])}", "1")

    def client(self, data: dict) -> PortfolioClient | None:
        if "client" not in data:
            self.add((), "client", "missing; give at least the client's name", "name, consultant, date")
            return None
        client = data["client"]
        if not isinstance(client, dict):
            self.add(("client",), "client", f"expected a mapping, got {_kind(client)}",
                     "name, consultant, date")
            return None
        for key in client:
            if key not in CLIENT_KEYS:
                self.add(("client", key), str(key)[:60],
                         f"unknown client key{did_you_mean(str(key), CLIENT_KEYS)}", ", ".join(CLIENT_KEYS))
        fields: dict[str, Any] = {}
        for key in CLIENT_KEYS:
            value = client.get(key)
            if value is None or (isinstance(value, str) and not value.strip()):
                if key == "name":
                    self.add(("client", key) if key in client else ("client",), "client.name",
                             "missing (required)", "text")
                continue
            if key == "date":
                date = _date(value)
                if date is None:
                    self.add(("client", key), "client.date", f"expected a date, got {brief(value)}",
                             "YYYY-MM-DD")
                else:
                    fields[key] = date
            elif not isinstance(value, str) or len(value) > TEXT_LIMIT:
                self.add(("client", key), f"client.{key}", f"expected text of 1 to {TEXT_LIMIT} characters",
                         "text")
            else:
                fields[key] = value.strip()
        return PortfolioClient(**fields) if "name" in fields else None

    def currency(self, data: dict) -> str:
        value = data.get("currency", "USD")
        known = load_catalogue().currencies
        if not isinstance(value, str) or value not in known:
            self.add(("currency",), "currency",
                     f"unsupported currency {brief(value)}{did_you_mean(str(value).upper(), known)}",
                     ", ".join(known))
            return "USD"
        return value

    def money(self, data: dict, key: str) -> float | None:
        allowed = f"a number from 0 to {MAX_MONEY:,.0f}, in the portfolio's currency"
        if key not in data or data[key] is None:
            self.add((key,) if key in data else (), key, "missing (required)", allowed)
            return None
        value = data[key]
        if not _number(value) or not 0 <= value <= MAX_MONEY:
            self.add((key,), key, f"expected an amount of money, got {brief(value)}", allowed)
            return None
        return float(value)

    def people(self, data: dict) -> dict[str, float] | None:
        allowed = "ml_experts and engineers, each in person-weeks per quarter (0 when there are none)"
        if "people" not in data:
            self.add((), "people", "missing; say how many person-weeks each role has per quarter", allowed)
            return None
        raw = data["people"]
        if not isinstance(raw, dict):
            self.add(("people",), "people", f"expected a mapping, got {_kind(raw)}", allowed)
            return None
        for key in raw:
            if key not in ROLES:
                self.add(("people", key), str(key)[:60], f"unknown role{did_you_mean(str(key), ROLES)}",
                         ", ".join(ROLES))
        people: dict[str, float] = {}
        for role in ROLES:
            value = raw.get(role)
            if value is None:
                self.add(("people", role) if role in raw else ("people",), f"people.{role}",
                         "missing (required; write 0 when there are none)", allowed)
            elif not _number(value) or not 0 <= value <= MAX_PERSON_WEEKS:
                self.add(("people", role), f"people.{role}", f"expected person-weeks, got {brief(value)}",
                         f"a number from 0 to {MAX_PERSON_WEEKS:,}")
            else:
                people[role] = float(value)
        return people if len(people) == len(ROLES) else None

    def start(self, data: dict) -> dt.date | None:
        if data.get("start") is None:
            return None
        date = _date(data["start"])
        if date is None:
            self.add(("start",), "start", f"expected a date, got {brief(data['start'])}", "YYYY-MM-DD")
        return date

    def overrides(self, data: dict) -> dict[str, float]:
        if data.get("assumptions") is None:
            return {}
        raw = data["assumptions"]
        if not isinstance(raw, dict):
            self.add(("assumptions",), "assumptions", f"expected a mapping, got {_kind(raw)}")
            return {}
        return check_overrides(raw, _combined_catalogue(), self.add, ("assumptions",))

    def use_cases(self, data: dict) -> list[UseCaseRef] | None:
        allowed = "a list of entries, each with file: and optionally id:, must_do:, priority:"
        if "use_cases" not in data:
            self.add((), "use_cases", "missing; list the use cases' answer files", allowed)
            return None
        raw = data["use_cases"]
        if not isinstance(raw, list) or not raw:
            self.add(("use_cases",), "use_cases", f"expected a list of at least one entry, got {_kind(raw)}",
                     allowed)
            return None
        if len(raw) > MAX_USE_CASES:
            self.add(("use_cases",), "use_cases",
                     f"{len(raw)} use cases; at most {MAX_USE_CASES} are allowed")
            return None
        refs: list[UseCaseRef] = []
        seen_ids: dict[str, int] = {}
        seen_files: dict[Path, int] = {}
        for index, entry in enumerate(raw):
            ref = self.use_case(index, entry)
            if ref is None:
                continue
            where = ("use_cases", index)
            resolved = Path(ref.path).resolve()
            if resolved in seen_files:
                self.add(where, f"use_cases[{index}].file",
                         f"the same answer file as entry {seen_files[resolved] + 1}")
                continue
            if ref.id in seen_ids:
                self.add(where, f"use_cases[{index}].id",
                         f"id {ref.id!r} is already used by entry {seen_ids[ref.id] + 1}; give this one its "
                         f"own id:", "lower-case letters, digits, - and _")
                continue
            seen_files[resolved], seen_ids[ref.id] = index, index
            refs.append(ref)
        return refs

    def use_case(self, index: int, entry: Any) -> UseCaseRef | None:
        where, label = ("use_cases", index), f"use_cases[{index}]"
        if not isinstance(entry, dict):
            self.add(where, label, f"expected a mapping with file:, got {_kind(entry)}",
                     ", ".join(USE_CASE_KEYS))
            return None
        for key in entry:
            if key not in USE_CASE_KEYS:
                self.add(where + (key,), f"{label}.{str(key)[:40]}",
                         f"unknown key{did_you_mean(str(key), USE_CASE_KEYS)}", ", ".join(USE_CASE_KEYS))
        path = self.answer_path(where, label, entry.get("file"))
        must_do = entry.get("must_do", False)
        if not isinstance(must_do, bool):
            self.add(where + ("must_do",), f"{label}.must_do",
                     f"expected true or false, got {brief(must_do)}", "true, false")
            must_do = False
        priority = entry.get("priority")
        if priority is not None and (isinstance(priority, bool) or not isinstance(priority, int)
                                     or not 1 <= priority <= 99):
            self.add(where + ("priority",), f"{label}.priority",
                     f"expected a whole number, got {brief(priority)}", "1 (highest) to 99")
            priority = None
        use_case_id = self.identifier(where, label, entry, path)
        if path is None or use_case_id is None:
            return None
        if not self.answer_file(use_case_id, path):
            return None
        return UseCaseRef(id=use_case_id, file=str(entry["file"]), path=str(path), must_do=must_do,
                          priority=priority)

    def answer_path(self, where: tuple, label: str, value: Any) -> Path | None:
        allowed = "a path to a .yaml answer file, relative to this portfolio file"
        if value is None:
            self.add(where, f"{label}.file", "missing (required)", allowed)
            return None
        if not isinstance(value, str) or not value.strip() or len(value) > 300:
            self.add(where + ("file",), f"{label}.file", f"expected a relative path, got {brief(value)}",
                     allowed)
            return None
        if "://" in value or value.startswith("~") or PurePosixPath(value).is_absolute() \
                or PureWindowsPath(value).is_absolute() or PureWindowsPath(value).drive or "\x00" in value:
            self.add(where + ("file",), f"{label}.file",
                     f"{brief(value)} is not a relative path; name answer files relative to this file",
                     allowed)
            return None
        if PurePosixPath(value).suffix.lower() not in (".yaml", ".yml"):
            self.add(where + ("file",), f"{label}.file", f"{brief(value)} is not a .yaml answer file",
                     allowed)
            return None
        path = self.folder / value
        if not path.is_file():
            reason = "is a folder" if path.is_dir() else "does not exist"
            self.add(where + ("file",), f"{label}.file", f"{brief(value)} {reason}", allowed)
            return None
        return path

    def identifier(self, where: tuple, label: str, entry: dict, path: Path | None) -> str | None:
        if "id" in entry:
            value = entry["id"]
            if isinstance(value, str) and ID_PATTERN.fullmatch(value):
                return value
            self.add(where + ("id",), f"{label}.id", f"{brief(value)} is not a valid id",
                     "1 to 60 lower-case letters, digits, - and _, starting with a letter or digit")
            return None
        if path is None:
            return None
        stem = re.sub(r"[^a-z0-9_-]+", "-", path.stem.lower()).strip("-_")[:60] or f"use-case-{where[1] + 1}"
        return stem

    def answer_file(self, use_case_id: str, path: Path) -> bool:
        result = load_answer_path(path, self.use_defaults)
        self.problems.extend(result.problems)
        if not result.ok or result.answer_file is None:
            return False
        self.answer_files[use_case_id] = result.answer_file
        return True


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value == value \
        and value not in (float("inf"), float("-inf"))


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def load_portfolio_path(path: str | Path, use_defaults: bool = False) -> PortfolioLoad:
    """Read and check a portfolio file and every answer file it names; never raises for bad content."""
    try:
        located = yaml_source.read_file(path)
    except yaml_source.SourceError as exc:
        return PortfolioLoad(portfolio=None, answer_files={}, problems=[exc.problem(str(path))])
    checker = _Checker(located, str(path), Path(path).parent, use_defaults)
    portfolio = checker.run()
    return PortfolioLoad(portfolio=portfolio, answer_files=checker.answer_files, problems=checker.problems)


def require_portfolio(result: PortfolioLoad) -> tuple[PortfolioFile, dict[str, AnswerFile]]:
    if not result.ok or result.portfolio is None:
        raise InputError(errors(result.problems))
    return result.portfolio, result.answer_files


SCHEMA_ID = "https://tunewise.dev/schema/portfolio-1.json"


def portfolio_file_schema() -> dict[str, Any]:
    """The JSON Schema of portfolio files (``tunewise schema --portfolio``)."""
    combined = _combined_catalogue()
    money = {"type": "number", "minimum": 0, "maximum": MAX_MONEY}
    weeks = {"type": "number", "minimum": 0, "maximum": MAX_PERSON_WEEKS}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "tunewise portfolio file",
        "type": "object",
        "additionalProperties": False,
        "required": ["version", "client", "budget_upfront", "budget_monthly", "people", "use_cases"],
        "properties": {
            "version": {"const": 1},
            "client": {"type": "object", "additionalProperties": False, "required": ["name"],
                       "properties": {"name": {"type": "string", "minLength": 1, "maxLength": TEXT_LIMIT},
                                      "consultant": {"type": "string", "maxLength": TEXT_LIMIT},
                                      "date": {"type": "string", "format": "date"}}},
            "currency": {"enum": load_catalogue().currencies, "default": "USD"},
            "budget_upfront": money | {"description": "The whole programme's upfront budget"},
            "budget_monthly": money | {"description": "The whole programme's monthly running budget"},
            "people": {"type": "object", "additionalProperties": False, "required": list(ROLES),
                       "description": "Person-weeks available per quarter, by role",
                       "properties": {role: weeks for role in ROLES}},
            "start": {"type": "string", "format": "date", "description": "When the first quarter begins"},
            "use_cases": {
                "type": "array", "minItems": 1, "maxItems": MAX_USE_CASES,
                "items": {"type": "object", "additionalProperties": False, "required": ["file"],
                          "properties": {
                              "file": {"type": "string", "pattern": r"\.(yaml|yml|YAML|YML)$",
                                       "description": "An answer file, relative to the portfolio file"},
                              "id": {"type": "string", "pattern": "^" + ID_PATTERN.pattern + "$"},
                              "must_do": {"type": "boolean", "default": False},
                              "priority": {"type": "integer", "minimum": 1, "maximum": 99,
                                           "description": "1 is the highest"}}}},
            "assumptions": {"type": "object", "additionalProperties": False,
                            "properties": {key: {"type": "number", "minimum": entry.min,
                                                 "description": f"{entry.label} ({entry.unit})"}
                                           for key, entry in combined.entries.items()}},
        },
    }
