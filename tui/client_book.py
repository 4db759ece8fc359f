"""A client's programme in the TUI: its saved use cases, budgets and people, and its portfolio.

Kept free of Textual, like ``session``. The use cases of a client are the saved sessions
whose client name is that client's. The budgets and people the portfolio engine needs are
a small file per client beside the sessions, ``<data dir>/clients/<slug>.yaml``, in the
portfolio file's own keys (version, client, currency, budget_upfront, budget_monthly,
people, start) plus the file names of the must-do use cases. It is written atomically and
only after every field has been checked, so a mistyped budget never replaces a saved one.

The portfolio itself is ``engine.portfolio.assess_portfolio`` over the complete use cases,
each read exactly as its exported answer file would be; an unchanged use case's
assessment is reused, so changing one answer re-assesses one use case.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from tunewise.engine.portfolio_file import (
    ID_PATTERN,
    MAX_MONEY,
    MAX_PERSON_WEEKS,
    PortfolioClient,
    PortfolioFile,
    UseCaseRef,
)
from tunewise.storage.atomic import write_text
from tunewise.tui.session import (
    NO_CLIENT,
    SavedSession,
    Session,
    currencies,
    data_dir,
    parse_number,
    saved_sessions,
    slugify,
)

if TYPE_CHECKING:
    from tunewise.engine.portfolio import Portfolio



def clients_dir() -> Path:
    return data_dir() / "clients"


def group_by_client(sessions: list[SavedSession]) -> list[tuple[str, list[SavedSession]]]:
    """(client, its sessions newest first), clients A to Z; sessions with no client name last."""
    groups: dict[str, list[SavedSession]] = {}
    names: dict[str, str] = {}
    for saved in sessions:
        key = saved.client.strip().casefold()
        names.setdefault(key, saved.client.strip())
        groups.setdefault(key, []).append(saved)
    order = sorted(groups, key=lambda key: (key == NO_CLIENT, key))
    return [(names[key], sorted(groups[key], key=lambda s: -s.saved)) for key in order]


def use_cases_of(client: str) -> list[SavedSession]:
    wanted = client.strip().casefold()
    return [s for s in saved_sessions() if s.client.strip().casefold() == wanted]


# ----- the client's budgets and people ------------------------------------------------------

@dataclass
class ClientPlan:
    """What the portfolio engine needs beyond the use cases themselves."""

    name: str
    currency: str = "USD"
    budget_upfront: float | None = None
    budget_monthly: float | None = None
    people: dict[str, float] = field(default_factory=dict)
    start: dt.date | None = None
    consultant: str | None = None
    must_do: list[str] = field(default_factory=list)    # session file names

    @property
    def path(self) -> Path:
        return clients_dir() / f"{slugify(self.name, 'client')}.yaml"

    def ready(self) -> bool:
        return self.budget_upfront is not None and self.budget_monthly is not None \
            and all(role in self.people for role in ("ml_experts", "engineers"))

    def to_yaml(self) -> str:
        data: dict[str, Any] = {"version": 1, "client": {"name": self.name}, "currency": self.currency,
                                "budget_upfront": self.budget_upfront,
                                "budget_monthly": self.budget_monthly, "people": dict(self.people)}
        if self.consultant:
            data["client"]["consultant"] = self.consultant
        if self.start is not None:
            data["start"] = self.start.isoformat()
        if self.must_do:
            data["must_do"] = sorted(self.must_do)
        return "# tunewise: this client's budgets and people, as the TUI's portfolio uses them\n" \
            + yaml.safe_dump(data, sort_keys=False, allow_unicode=True)

    def save(self) -> Path:
        path = self.path
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text(path, self.to_yaml())
        return path


def load_plan(client: str) -> ClientPlan:
    """The client's saved plan; an empty one when none is saved or the file cannot be read."""
    plan = ClientPlan(name=client)
    try:
        data = yaml.safe_load(plan.path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        plan.currency = _session_currency(client) or plan.currency
        return plan
    if not isinstance(data, dict):
        return plan
    currency = data.get("currency")
    if isinstance(currency, str) and currency in currencies():
        plan.currency = currency
    for key in ("budget_upfront", "budget_monthly"):
        value = data.get(key)
        if _number(value) and 0 <= value <= MAX_MONEY:
            setattr(plan, key, float(value))
    people = data.get("people") if isinstance(data.get("people"), dict) else {}
    for role in ("ml_experts", "engineers"):
        value = people.get(role)
        if _number(value) and 0 <= value <= MAX_PERSON_WEEKS:
            plan.people[role] = float(value)
    start = data.get("start")
    if isinstance(start, dt.date):
        plan.start = start
    elif isinstance(start, str):
        with contextlib.suppress(ValueError):
            plan.start = dt.date.fromisoformat(start)
    client_data = data.get("client") if isinstance(data.get("client"), dict) else {}
    if isinstance(client_data.get("consultant"), str):
        plan.consultant = client_data["consultant"].strip() or None
    must = data.get("must_do")
    if isinstance(must, list):
        plan.must_do = [str(name) for name in must if isinstance(name, str)]
    return plan


def _session_currency(client: str) -> str | None:
    """The currency of the client's most recent session: a new plan's budgets start in it."""
    for saved in use_cases_of(client):
        try:
            data = yaml.safe_load(saved.path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError, UnicodeDecodeError):
            continue
        currency = data.get("currency") if isinstance(data, dict) else None
        if isinstance(currency, str) and currency in currencies():
            return currency
    return None


def plan_from_form(client: str, values: dict[str, str], before: ClientPlan) -> tuple[ClientPlan | None,
                                                                                      dict[str, str]]:
    """(a checked plan, {}) or (None, {field: what is wrong}) from the form's texts."""
    problems: dict[str, str] = {}
    plan = ClientPlan(name=client, consultant=before.consultant, must_do=list(before.must_do))
    limits = {"budget_upfront": MAX_MONEY, "budget_monthly": MAX_MONEY,
              "ml_experts": MAX_PERSON_WEEKS, "engineers": MAX_PERSON_WEEKS}
    for key, limit in limits.items():
        text = values.get(key, "").strip()
        number = parse_number(text) if text else None
        if not text:
            problems[key] = "needed (write 0 when there is none)"
        elif number is None or not 0 <= number <= limit:
            problems[key] = (f"“{text}” is not an amount of money (e.g. 300000 or 300k)"
                             if key.startswith("budget") else
                             f"“{text}” is not a number of person-weeks from 0 to {limit:,.0f}")
        elif key in ("ml_experts", "engineers"):
            plan.people[key] = float(number)
        else:
            setattr(plan, key, float(number))
    currency = values.get("currency", "USD").strip().upper() or "USD"
    if currency not in currencies():
        problems["currency"] = f"one of {', '.join(currencies())}"
    plan.currency = currency
    start = values.get("start", "").strip()
    if start:
        try:
            plan.start = dt.date.fromisoformat(start)
        except ValueError:
            problems["start"] = f"“{start}” is not a date (YYYY-MM-DD)"
    return (None, problems) if problems else (plan, {})


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value == value \
        and value not in (float("inf"), float("-inf"))


# ----- the portfolio ---------------------------------------------------------------------------

@dataclass
class UseCase:
    """One saved session of the client, as the portfolio reads it."""

    id: str
    saved: SavedSession
    text: str | None          # the exported answer file; None while the interview is unfinished
    missing: int = 0
    problem: str | None = None

    @property
    def project(self) -> str:
        return self.saved.project


def use_case_id(path: Path, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9_-]+", "-", path.stem.lower()).strip("-_")[:56] or "use-case"
    candidate, index = base, 2
    while candidate in taken or not ID_PATTERN.fullmatch(candidate):
        candidate = f"{base}-{index}"[:60]
        index += 1
    taken.add(candidate)
    return candidate


def read_use_cases(client: str) -> list[UseCase]:
    """The client's sessions, oldest first, each with its answer file text when complete."""
    found: list[UseCase] = []
    taken: set[str] = set()
    for saved in sorted(use_cases_of(client), key=lambda s: (s.saved, s.path.name)):
        case = UseCase(id=use_case_id(saved.path, taken), saved=saved, text=None)
        try:
            session = Session.open(saved.path)
        except (OSError, ValueError) as exc:
            case.problem = str(exc)
        else:
            case.missing = len(session.missing())
            if session.complete():
                case.text = session.export_text()
        found.append(case)
    return found


@dataclass
class Summary:
    """A client's portfolio, or why there is none yet."""

    client: str
    plan: ClientPlan
    use_cases: list[UseCase]
    portfolio: Portfolio | None = None
    problem: str | None = None

    @property
    def unfinished(self) -> list[UseCase]:
        return [case for case in self.use_cases if case.text is None]


_ASSESSED: dict[tuple[str, bool, tuple], Any] = {}


def _cached_assessor(texts: dict[int, str]):
    """An assessor for ``assess_portfolio`` that reuses the assessment of unchanged answer text."""
    from tunewise.engine.assess import assess

    def run(answer_file, catalogue, extra, with_sensitivity):
        text = texts[id(answer_file)]
        key = (hashlib.sha256(text.encode("utf-8")).hexdigest(), with_sensitivity,
               tuple(sorted(extra.items())))
        if key not in _ASSESSED:
            if len(_ASSESSED) > 256:
                _ASSESSED.clear()
            _ASSESSED[key] = assess(answer_file, catalogue, extra_overrides=extra,
                                    with_sensitivity=with_sensitivity)
        return _ASSESSED[key]

    return run


def portfolio_inputs(plan: ClientPlan, cases: list[UseCase]):
    """(PortfolioFile, answer files by id, answer text by answer-file object id) for the complete cases."""
    from tunewise.engine.answers import load_answer_text, require

    refs, answer_files, texts = [], {}, {}
    for case in cases:
        if case.text is None:
            continue
        answer_file = require(load_answer_text(case.text, f"{case.id}.yaml"))
        refs.append(UseCaseRef(id=case.id, file=f"{answers_folder(plan.name)}/{case.id}.yaml",
                               path=str(case.saved.path),
                               must_do=case.saved.path.name in plan.must_do))
        answer_files[case.id] = answer_file
        texts[id(answer_file)] = case.text
    assert plan.budget_upfront is not None and plan.budget_monthly is not None
    portfolio = PortfolioFile(client=PortfolioClient(name=plan.name, consultant=plan.consultant),
                              currency=plan.currency, budget_upfront=plan.budget_upfront,
                              budget_monthly=plan.budget_monthly, people=dict(plan.people),
                              start=plan.start, use_cases=refs)
    return portfolio, answer_files, texts


def summarise(client: str, with_sensitivity: bool = False) -> Summary:
    """The client's portfolio as the engine chooses it, from what is saved now."""
    from tunewise.engine.portfolio import assess_portfolio
    from tunewise.engine.problems import InputError

    plan = load_plan(client)
    cases = read_use_cases(client)
    summary = Summary(client=client, plan=plan, use_cases=cases)
    if not plan.ready():
        summary.problem = "Set the client's budgets and people first (b)."
        return summary
    if not any(case.text is not None for case in cases):
        summary.problem = "No use case of this client is fully answered yet."
        return summary
    try:
        portfolio, answer_files, texts = portfolio_inputs(plan, cases)
    except InputError as exc:
        summary.problem = "; ".join(p.message for p in exc.problems)
        return summary
    summary.portfolio = assess_portfolio(portfolio, answer_files, with_sensitivity=with_sensitivity,
                                         assessor=_cached_assessor(texts))
    return summary


def portfolio_stem(client: str) -> str:
    return f"{slugify(client, 'client')}-portfolio"


def answers_folder(client: str) -> str:
    """Where an export puts the answer files, beside the portfolio file: a folder of their own,
    so answer files the consultant keeps in the export folder under the same names are never
    replaced."""
    return f"{portfolio_stem(client)}-answers"


def portfolio_yaml(plan: ClientPlan, cases: list[UseCase]) -> str:
    """A portfolio file naming the exported answer files, for `tunewise portfolio` to rerun."""
    data = yaml.safe_load(plan.to_yaml())
    data.pop("must_do", None)
    data["use_cases"] = []
    for case in cases:
        if case.text is None:
            continue
        entry: dict[str, Any] = {"file": f"{answers_folder(plan.name)}/{case.id}.yaml", "id": case.id}
        if case.saved.path.name in plan.must_do:
            entry["must_do"] = True
        data["use_cases"].append(entry)
    return "# tunewise portfolio file, exported by the TUI; rerun with: tunewise portfolio THIS_FILE\n" \
        + yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def export_portfolio(client: str, folder: Path, formats: list[str], brand: str | None = None,
                     ) -> tuple[list[Path], Summary]:
    """Write the portfolio file, each use case's answer file and the reports `tunewise portfolio` writes."""
    from argparse import Namespace

    from tunewise.cli.commands.portfolio import write_outputs

    summary = summarise(client, with_sensitivity=any(f in ("html", "pdf") for f in formats))
    if summary.portfolio is None:
        return [], summary
    stem, answers = portfolio_stem(client), answers_folder(client)
    (folder / answers).mkdir(parents=True, exist_ok=True)
    written = []
    for case in summary.use_cases:
        if case.text is not None:
            write_text(folder / answers / f"{case.id}.yaml", case.text)
            written.append(folder / answers / f"{case.id}.yaml")
    write_text(folder / f"{stem}.yaml", portfolio_yaml(summary.plan, summary.use_cases))
    written.append(folder / f"{stem}.yaml")
    args = Namespace(format=formats, brand=brand, date=None, paper="a4")
    written += [Path(p) for p in write_outputs(summary.portfolio, folder, stem, args)]
    return written, summary


def new_use_case(client: str) -> Session:
    """A new session for ``client``: its name, consultant and currency filled in, the project to ask."""
    session = Session.new()
    fields: dict[str, Any] = {"name": client}
    recent = use_cases_of(client)
    if recent:
        try:
            latest = Session.open(recent[0].path)
        except (OSError, ValueError):
            latest = None
        if latest is not None:
            fields["consultant"] = latest.client.get("consultant", "")
            fields["currency"] = latest.currency
    else:
        fields["currency"] = load_plan(client).currency
    session.set_client(**fields)
    return session
