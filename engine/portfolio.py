"""A client's programme: every use case assessed, the funded set chosen, the result explained.

``assess_portfolio`` is the entry point. Each use case is assessed once; the solver
(``portfolio_solver``) and the budget sensitivity then work on plain figures taken
from those assessments, so re-solving never re-assesses anything.

A use case is a candidate for funding when its own assessment's verdict is
``build``, or when the client marked it must-do. Its figures are those of its
recommended strategy: upfront and monthly cost, risk-adjusted net value, weeks to go
live, and the people its build takes (the hours of its people cost lines, by role).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from tunewise.engine.answers import AnswerFile
from tunewise.engine.assess import assess
from tunewise.engine.assessment import Assessment, AssumptionUsed, StrategyResult
from tunewise.engine.assumptions import Catalogue, load_catalogue
from tunewise.engine.cost_model import RETRIEVES, WEEKS_PER_MONTH, load_cost_model
from tunewise.engine.costs import values_in
from tunewise.engine.decide import effective_answers
from tunewise.engine.money import fmt, short
from tunewise.engine.portfolio_file import ROLES, PortfolioFile, load_portfolio_catalogue
from tunewise.engine.portfolio_solver import Candidate, Limits, evaluate, solve
from tunewise.engine.portfolio_solver import Figures as SolverFigures
from tunewise.engine.questions import load_bank

SCHEMA = "tunewise.portfolio/1"
Verdict = Literal["build", "do_not_build", "outside_constraints"]
PEOPLE_LINES = ("data_preparation", "evaluation_set", "engineering")
SHARES_GPU = frozenset({"prompt", "rag", "peft", "hybrid"})   # one base model, adapters per request
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
ROLE_LABELS = {"ml_experts": "ML experts", "engineers": "engineers"}
GROUP_LABELS = {
    "vector_db_managed": "One managed vector database",
    "vector_db_selfhosted": "One self-hosted vector database",
    "gpu_serving": "One GPU serving deployment of the open base model",
}
SENSITIVITY_STEPS = (0.1, 0.25, 0.5)
Assessor = Callable[[AnswerFile, Catalogue, dict[str, float], bool], Assessment]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class Figures(_Model):
    """A use case's figures as the selection uses them (its recommended strategy's)."""

    strategy: str
    strategy_label: str
    model_source: str
    upfront: float
    monthly: float
    net_value: float
    net_value_p10: float | None = None
    net_value_p90: float | None = None
    delay_cost_per_quarter: float = Field(description="Net value forgone for each quarter the start slips")
    weeks_to_live: float
    people_weeks: dict[str, float] = Field(description="Person-weeks of the build, by role")
    load_by_quarter: list[dict[str, float]] = Field(description="Person-weeks by role, quarter by quarter")
    shares: dict[str, float] = Field(
        description="Shared-infrastructure group -> monthly cost freed by sharing")


class UseCaseEntry(_Model):
    id: str
    file: str
    project: str
    currency: str = Field(description="The use case's own currency; figures are in the portfolio's")
    must_do: bool
    priority: int | None
    verdict: Verdict
    figures: Figures


class FundedItem(_Model):
    id: str
    project: str
    start_quarter: int = Field(description="1 = the programme's first quarter")
    start_label: str
    live_label: str
    strategy: str
    model_source: str
    upfront: float
    monthly: float
    net_value: float = Field(description="Risk-adjusted net value, less what the start quarter forgoes")
    must_do: bool
    priority: int | None


class SetAside(_Model):
    id: str
    project: str
    reason: str
    verdict: Verdict
    net_value: float
    upfront: float
    monthly: float


class Totals(_Model):
    upfront: float
    monthly: float
    net_value: float
    budget_upfront: float
    budget_monthly: float
    upfront_left: float
    monthly_left: float
    shared_saving_monthly: float


class Shared(_Model):
    id: str
    label: str
    host: str
    members: list[str]
    monthly_saving: float
    months: float
    saving_over_horizon: float
    basis: str
    assumptions: list[str]


class QuarterLoad(_Model):
    quarter: int
    label: str
    load: dict[str, float]
    capacity: dict[str, float]
    starting: list[str]
    building: list[str]


class Need(_Model):
    upfront: float
    monthly: float
    people: dict[str, float]


class NextUnfunded(_Model):
    id: str
    project: str
    net_value: float
    start_label: str
    needs: Need
    text: str


class BudgetStep(_Model):
    extra_upfront: float
    extra_monthly: float
    newly_funded: list[str]
    no_longer_funded: list[str]
    net_value: float
    text: str


class Portfolio(_Model):
    schema_: str = Field(default=SCHEMA, alias="schema")
    client: dict[str, str | None]
    currency: str
    start: str | None
    horizon_months: int
    use_case_sensitivity: bool = Field(
        description="Whether each use case's assessment carries its sensitivity analysis (the "
                    "portfolio runs it only when it writes each use case's own PDF or HTML report)")
    status: Literal["optimal", "infeasible", "time_limit"]
    status_reason: str | None
    people: dict[str, float]
    funded: list[FundedItem]
    deferred: list[SetAside]
    not_worth_building: list[SetAside]
    totals: Totals
    shared: list[Shared]
    roadmap: list[QuarterLoad]
    next_unfunded: NextUnfunded | None
    budget_sensitivity: list[BudgetStep]
    use_cases: list[Assessment] = Field(exclude=True)
    entries: list[UseCaseEntry] = Field(exclude=True)
    assumptions: list[AssumptionUsed]

    model_config = ConfigDict(frozen=True, populate_by_name=True)

    def entry(self, use_case_id: str) -> UseCaseEntry:
        return next(e for e in self.entries if e.id == use_case_id)

    def assessment(self, use_case_id: str) -> Assessment:
        return self.use_cases[[e.id for e in self.entries].index(use_case_id)]

    def to_json_dict(self) -> dict:
        data = self.model_dump(mode="json", by_alias=True)
        data["use_cases"] = [a.to_json_dict() | {"use_case": e.model_dump(mode="json")}
                             for a, e in zip(self.use_cases, self.entries, strict=True)]
        return data


# --- from an assessment to the solver's figures ----------------------------------------------

def verdict_of(assessment: Assessment) -> Verdict:
    """The assessment's verdict; worked out from its figures where the engine gives none."""
    given = getattr(assessment.recommendation, "verdict", None)
    if given in ("build", "do_not_build", "outside_constraints"):
        return given
    if not any(net_value(s) > 0 for s in assessment.strategies if s.eligible):
        return "do_not_build"
    if assessment.recommendation.within_constraints and net_value(assessment.recommended) > 0:
        return "build"
    return "outside_constraints"


def plain_net(strategy: StrategyResult) -> float:
    return strategy.benefits.horizon_total - strategy.costs.horizon_total


def net_value(strategy: StrategyResult) -> float:
    """Risk-adjusted net value where the engine gives it; the plain horizon net otherwise."""
    value = getattr(strategy, "net_value", None)
    return float(value) if value is not None else plain_net(strategy)


def _people_weeks(strategy: StrategyResult, team: str, v: Mapping[str, float]) -> dict[str, float]:
    """Person-weeks of the build by role, from the people cost lines and the hourly rates.

    Work bought in (no team of one's own) takes none of the client's people. ML work
    (the fine-tuning strategies' lines are priced at the ML rate) falls to ML experts
    when the team has them; everything else to engineers.
    """
    weeks = dict.fromkeys(ROLES, 0.0)
    if team == "none":
        return weeks
    ml_work = strategy.id not in ("prompt", "rag")
    role = "ml_experts" if team == "ml_experts" and ml_work else "engineers"
    rate = v["ml_engineer_hour_usd"] if role == "ml_experts" else v["engineer_hour_usd"]
    hours = sum(line.amount for line in strategy.costs.upfront_lines if line.key in PEOPLE_LINES) / rate
    weeks[role] = hours / v["person_week_hours"]
    return weeks


def _spread(people_weeks: Mapping[str, float], weeks: float, quarter_weeks: float) -> list[dict[str, float]]:
    """The build's person-weeks spread evenly over its weeks, quarter by quarter."""
    weeks = max(weeks, 0.5)
    quarters = max(1, math.ceil(weeks / quarter_weeks - 1e-9))
    profile = []
    for k in range(quarters):
        share = (min(weeks, quarter_weeks * (k + 1)) - quarter_weeks * k) / weeks
        profile.append({role: round(amount * share, 2) for role, amount in people_weeks.items() if amount})
    return profile


def _shares(strategy: StrategyResult, answers: Mapping[str, Any], v: Mapping[str, float]) -> dict[str, float]:
    """Monthly cost each shared-infrastructure group would free if this use case joined another's."""
    shares: dict[str, float] = {}
    model = load_cost_model()
    if strategy.id in RETRIEVES:
        if strategy.model_source == "closed_api":
            free = dict(v) | {"vector_db_min_monthly_usd": 0.0}
            usage = float(model.evaluate(free, answers, strategy.id, "closed_api")["vector_db"])
            shares["vector_db_managed"] = max(0.0, v["vector_db_min_monthly_usd"] - usage)
        else:
            shares["vector_db_selfhosted"] = (1 - v["shared_vector_db_extra_share"]) \
                * v["selfhost_vector_db_monthly_usd"]
    shares_gpu = strategy.id in SHARES_GPU and v["shared_serving_base_model"]
    if strategy.model_source == "open_weights" and shares_gpu:
        env = model.evaluate(v, answers, strategy.id, "open_weights")
        need = float(env["queries"]) / float(env["gpu_capacity"])
        idle = max(0.0, v["selfhost_min_gpus"] - need) * v["hours_per_month"] * v["gpu_hour_usd"]
        shares["gpu_serving"] = idle + (1 - v["shared_ops_extra_share"]) * v["selfhost_ops_monthly_usd"]
    # A member that frees nothing by joining (a managed index already above the minimum) stays
    # a member: it is the natural host for the others.
    return {group: round(amount, 2) for group, amount in shares.items()}


def figures_for(assessment: Assessment, answer_file: AnswerFile, v: Mapping[str, float],
                rate: float = 1.0) -> Figures:
    """The selection's figures, in the portfolio's currency (``rate`` of it per unit of the use case's)."""
    rec = assessment.recommended
    answers = load_bank().defaults() | effective_answers(load_bank(), answer_file.answers)
    value = net_value(rec)
    margin = rec.benefits.monthly - rec.costs.monthly
    plain = plain_net(rec)
    risk = min(1.0, max(0.0, value / plain)) if plain > 0 else 0.0
    people = _people_weeks(rec, answers.get("ml_team", "engineers"), v)
    p10, p90 = getattr(rec, "net_value_p10", None), getattr(rec, "net_value_p90", None)
    return Figures(
        strategy=rec.id, strategy_label=rec.label, model_source=rec.model_source,
        upfront=round(rec.costs.upfront * rate, 2), monthly=round(rec.costs.monthly * rate, 2),
        net_value=round(value * rate, 2),
        net_value_p10=None if p10 is None else round(p10 * rate, 2),
        net_value_p90=None if p90 is None else round(p90 * rate, 2),
        delay_cost_per_quarter=round(3 * max(0.0, margin) * risk * rate, 2), weeks_to_live=rec.weeks_to_live,
        people_weeks={role: round(w, 2) for role, w in people.items()},
        load_by_quarter=_spread(people, rec.weeks_to_live, v["quarter_weeks"]),
        shares={group: round(amount * rate, 2) for group, amount in _shares(rec, answers, v).items()})


# --- the portfolio ----------------------------------------------------------------------------

class Context:
    """What the selection and its explanations share: limits, labels and money formatting."""

    def __init__(self, portfolio: PortfolioFile, entries: list[UseCaseEntry], v: Mapping[str, float],
                 horizon: int):
        self.portfolio, self.entries, self.v = portfolio, entries, v
        self.by_id = {e.id: e for e in entries}
        self.currency = portfolio.currency
        self.quarters = int(v["portfolio_start_quarters"])
        self.candidates = [_candidate(e) for e in entries if e.must_do or worth_building(e)]
        self.limits = Limits(upfront=portfolio.budget_upfront, monthly=portfolio.budget_monthly,
                             people=dict(portfolio.people), quarters=self.quarters,
                             share_months=_share_months(entries, horizon))

    def money(self, amount: float) -> str:
        return fmt(amount, self.currency)

    def short(self, amount: float) -> str:
        return short(amount, self.currency)

    def quarter_label(self, index: int) -> str:
        start = self.portfolio.start
        if start is None:
            return f"Quarter {index + 1}"
        month = start.month - 1 + 3 * index
        return f"Q{index + 1} ({MONTHS[month % 12]} {start.year + month // 12})"

    def live_label(self, start_quarter: int, weeks: float) -> str:
        week = start_quarter * self.v["quarter_weeks"] + weeks
        if self.portfolio.start is None:
            return f"week {math.ceil(week)}"
        day = self.portfolio.start + dt.timedelta(weeks=week)
        return f"{MONTHS[day.month - 1]} {day.year}"

    def project(self, use_case_id: str) -> str:
        return self.by_id[use_case_id].project


def worth_building(entry: UseCaseEntry) -> bool:
    """A candidate on its merits: its own verdict is build and its net value is positive."""
    return entry.verdict == "build" and entry.figures.net_value > 0


def _candidate(entry: UseCaseEntry) -> Candidate:
    f = entry.figures
    return Candidate(id=entry.id, upfront=f.upfront, monthly=f.monthly, net_value=f.net_value,
                     delay_cost=f.delay_cost_per_quarter, load=tuple(f.load_by_quarter),
                     must_do=entry.must_do, priority=entry.priority, shares=dict(f.shares))


def _share_months(entries: list[UseCaseEntry], horizon: int) -> dict[str, float]:
    """Months a group's saving counts: from when its slowest member would go live to the horizon."""
    months: dict[str, float] = {}
    for entry in entries:
        for group in entry.figures.shares:
            live = entry.figures.weeks_to_live / WEEKS_PER_MONTH
            months[group] = min(months.get(group, float(horizon)), max(0.0, horizon - live))
    return {group: round(value, 2) for group, value in months.items()}


def assess_portfolio(portfolio: PortfolioFile, answer_files: Mapping[str, AnswerFile],
                     extra_overrides: Mapping[str, float] | None = None,
                     with_sensitivity: bool = False,
                     assessor: Assessor | None = None) -> Portfolio:
    """Assess every use case once, choose the funded set and explain the choice."""
    engine_catalogue, own = load_catalogue(), load_portfolio_catalogue()
    overrides = dict(extra_overrides or {}) | portfolio.assumptions
    engine_overrides = {k: val for k, val in overrides.items() if k in engine_catalogue.entries}
    own_catalogue = own.with_overrides({k: val for k, val in overrides.items() if k in own.entries})
    run = assessor or (lambda answer_file, catalogue, extra, sens:
                       assess(answer_file, catalogue, extra_overrides=extra, with_sensitivity=sens))
    # The portfolio's own figures are counts, shares and hours: no currency to convert.
    own_values = {key: entry.value for key, entry in own_catalogue.entries.items()}
    assessments, entries = [], []
    for ref in portfolio.use_cases:
        answer_file = answer_files[ref.id]
        assessment = run(answer_file, engine_catalogue, engine_overrides, with_sensitivity)
        catalogue = engine_catalogue.with_overrides(engine_overrides | answer_file.assumptions)
        v = values_in(catalogue, answer_file.currency) | own_values
        rate = catalogue.fx(portfolio.currency) / catalogue.fx(answer_file.currency)
        entries.append(UseCaseEntry(id=ref.id, file=ref.file, project=answer_file.client.project,
                                    currency=answer_file.currency, must_do=ref.must_do, priority=ref.priority,
                                    verdict=verdict_of(assessment),
                                    figures=figures_for(assessment, answer_file, v, rate)))
        assessments.append(assessment)
    v_portfolio = values_in(engine_catalogue.with_overrides(engine_overrides), portfolio.currency)
    v_portfolio |= own_values
    horizon = min((a.horizon_months for a in assessments), default=36)
    context = Context(portfolio, entries, v_portfolio, horizon)
    return _explain(context, assessments, own_catalogue, horizon).model_copy(
        update={"use_case_sensitivity": with_sensitivity})


def _explain(context: Context, assessments: list[Assessment], own: Catalogue, horizon: int) -> Portfolio:
    solution = solve(context.candidates, context.limits, context.money, name=context.project)
    starts = solution.starts
    figures = evaluate(starts, context.candidates, context.limits)
    portfolio = context.portfolio
    funded = [_funded(context, use_case_id, start) for use_case_id, start in
              sorted(starts.items(), key=lambda item: (item[1], context.by_id[item[0]].priority or 100,
                                                       -context.by_id[item[0]].figures.net_value, item[0]))]
    deferred, not_worth = _set_aside(context, solution.status, solution.reason, starts)
    client = portfolio.client
    return Portfolio(
        client={"name": client.name, "consultant": client.consultant,
                "date": client.date.isoformat() if client.date else None},
        currency=portfolio.currency, start=portfolio.start.isoformat() if portfolio.start else None,
        horizon_months=horizon, use_case_sensitivity=False, status=solution.status,
        status_reason=solution.reason,
        people=dict(portfolio.people), funded=funded, deferred=deferred, not_worth_building=not_worth,
        totals=Totals(upfront=round(figures.upfront, 2), monthly=round(figures.monthly, 2),
                      net_value=round(figures.net_value, 2), budget_upfront=portfolio.budget_upfront,
                      budget_monthly=portfolio.budget_monthly,
                      upfront_left=round(portfolio.budget_upfront - figures.upfront, 2),
                      monthly_left=round(portfolio.budget_monthly - figures.monthly, 2),
                      shared_saving_monthly=round(sum(figures.shared_monthly.values()), 2)),
        shared=_shared(context, starts),
        roadmap=_roadmap(context, starts, figures.load),
        next_unfunded=_next_unfunded(context, starts) if solution.status != "infeasible" else None,
        budget_sensitivity=_budget_steps(context, starts, figures.net_value)
        if solution.status != "infeasible" else [],
        use_cases=assessments, entries=context.entries,
        assumptions=[AssumptionUsed(key=e.key, label=e.label, value=e.value, low=e.low, high=e.high,
                                    unit=e.unit, source=e.source, as_of=e.as_of, kind=e.kind,
                                    overridden=e.overridden) for e in own.entries.values()])


def _funded(context: Context, use_case_id: str, start: int) -> FundedItem:
    entry = context.by_id[use_case_id]
    f = entry.figures
    return FundedItem(id=entry.id, project=entry.project, start_quarter=start + 1,
                      start_label=context.quarter_label(start),
                      live_label=context.live_label(start, f.weeks_to_live),
                      strategy=f.strategy, model_source=f.model_source, upfront=f.upfront, monthly=f.monthly,
                      net_value=round(f.net_value - start * f.delay_cost_per_quarter, 2),
                      must_do=entry.must_do, priority=entry.priority)


def _set_aside(context: Context, status: str, reason: str | None,
               starts: Mapping[str, int]) -> tuple[list[SetAside], list[SetAside]]:
    deferred, not_worth = [], []
    for entry in context.entries:
        if entry.id in starts:
            continue
        if (entry.verdict == "do_not_build" or entry.figures.net_value <= 0) and not entry.must_do:
            not_worth.append(_aside(entry, _not_worth_reason(context, entry)))
        elif entry.verdict == "outside_constraints" and not entry.must_do:
            deferred.append(_aside(entry, "Its own assessment finds no strategy that fits its budget and "
                                          "deadline; revisit its constraints before funding it."))
        elif status == "infeasible":
            deferred.append(_aside(entry, f"No plan can be made: {reason}."))
        else:
            deferred.append(_aside(entry, _deferred_reason(context, entry, starts)))
    deferred.sort(key=lambda s: (-s.net_value, s.id))
    not_worth.sort(key=lambda s: (-s.net_value, s.id))
    return deferred, not_worth


def _aside(entry: UseCaseEntry, reason: str) -> SetAside:
    f = entry.figures
    return SetAside(id=entry.id, project=entry.project, reason=reason, verdict=entry.verdict,
                    net_value=f.net_value, upfront=f.upfront, monthly=f.monthly)


def _not_worth_reason(context: Context, entry: UseCaseEntry) -> str:
    f = entry.figures
    if entry.verdict == "do_not_build":
        return (f"No strategy returns more than it costs over the horizon; the recommended one, "
                f"{f.strategy_label}, comes to {context.money(f.net_value)} risk-adjusted net value.")
    return (f"Its recommended strategy, {f.strategy_label}, comes to {context.money(f.net_value)} "
            f"risk-adjusted net value over the horizon: it costs more than it returns.")


def _needs(context: Context, use_case_id: str, starts: Mapping[str, int]) -> tuple[int, Need]:
    """The cheapest start quarter for adding one use case to the plan, and what it then lacks."""
    best: tuple[float, int, Need] | None = None
    limits = context.limits
    for start in range(context.quarters):
        trial = evaluate(dict(starts) | {use_case_id: start}, context.candidates, limits)
        people: dict[str, float] = {}
        for quarter in trial.load:
            for role, weeks in quarter.items():
                short_by = round(weeks - limits.people.get(role, 0.0), 1)
                if short_by > 0:
                    people[role] = max(people.get(role, 0.0), short_by)
        need = Need(upfront=round(max(0.0, trial.upfront - limits.upfront), 2),
                    monthly=round(max(0.0, trial.monthly - limits.monthly), 2), people=people)
        # People are the hardest to add, so the start that lacks the fewest person-weeks wins.
        key = sum(people.values()) * 1e9 + need.upfront + need.monthly * 12
        if best is None or key < best[0]:
            best = (key, start, need)
    assert best is not None
    return best[1], best[2]


def _need_text(context: Context, need: Need, start_label: str) -> str:
    parts = []
    if need.upfront:
        parts.append(f"{context.short(need.upfront)} more upfront")
    if need.monthly:
        parts.append(f"{context.short(need.monthly)} more a month")
    for role, weeks in sorted(need.people.items()):
        parts.append(f"{weeks:,.1f} more {ROLE_LABELS[role]} person-weeks in its busiest quarter")
    if not parts:
        return f"it fits as things stand (from {start_label}), but adds less value than it displaces"
    return " and ".join([", ".join(parts[:-1]), parts[-1]] if len(parts) > 1 else parts) \
        + f", starting {start_label}"


def _deferred_reason(context: Context, entry: UseCaseEntry, starts: Mapping[str, int]) -> str:
    start, need = _needs(context, entry.id, starts)
    return f"Worth building, but the programme cannot carry it as well: it would need " \
           f"{_need_text(context, need, context.quarter_label(start))}."


def _next_unfunded(context: Context, starts: Mapping[str, int]) -> NextUnfunded | None:
    waiting = [c for c in context.candidates if c.id not in starts and c.net_value > 0]
    if not waiting:
        return None
    best = max(waiting, key=lambda c: (c.net_value, c.id))
    start, need = _needs(context, best.id, starts)
    label = context.quarter_label(start)
    text = (f"{context.project(best.id)} is the most valuable use case left unfunded "
            f"({context.short(best.net_value)} risk-adjusted net value). To fund it as well, the programme "
            f"needs {_need_text(context, need, label)}.")
    return NextUnfunded(id=best.id, project=context.project(best.id), net_value=best.net_value,
                        start_label=label, needs=need, text=text)


def nice_step(amount: float) -> float:
    """A round amount near ``amount``: 1, 2, 2.5 or 5 times a power of ten."""
    if amount <= 0:
        return 0.0
    magnitude = 10 ** math.floor(math.log10(amount))
    return next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= amount * 0.999)


def _budget_steps(context: Context, starts: Mapping[str, int], value: float) -> list[BudgetStep]:
    """How the funded set changes with more upfront or more monthly budget.

    The plan solved without that budget at all is the best plan at every budget it keeps
    within, so only the steps below its spending need a solve of their own.
    """
    limits, steps = context.limits, []
    base = set(starts)
    for field in ("upfront", "monthly"):
        budget = getattr(limits, field)
        extras = sorted({nice_step(max(budget, 1_000.0) * share) for share in SENSITIVITY_STEPS})
        unbounded = _unbounded(context, field, starts)
        for extra in extras:
            richer = _richer(limits, field, extra)
            if unbounded is not None and getattr(unbounded[1], field) <= getattr(richer, field) + 1e-6:
                plan = unbounded[0]
            else:
                solution = solve(context.candidates, richer, context.money, hint=starts)
                if solution.status == "infeasible":
                    continue
                plan = solution.starts
            gain = 0.0 if dict(plan) == dict(starts) else \
                evaluate(plan, context.candidates, richer).net_value - value
            steps.append(_step(context, field, extra, base, set(plan), gain))
    return steps


def _richer(limits: Limits, field: str, extra: float) -> Limits:
    return Limits(upfront=limits.upfront + (extra if field == "upfront" else 0.0),
                  monthly=limits.monthly + (extra if field == "monthly" else 0.0),
                  people=limits.people, quarters=limits.quarters, share_months=limits.share_months)


def _unbounded(context: Context, field: str, starts: Mapping[str, int]
               ) -> tuple[Mapping[str, int], SolverFigures] | None:
    """The plan (and its figures) solved with no limit on this budget; None if infeasible even so."""
    unlimited = _richer(context.limits, field, 1e15)
    solution = solve(context.candidates, unlimited, context.money, hint=starts)
    if solution.status == "infeasible":
        return None
    return solution.starts, evaluate(solution.starts, context.candidates, unlimited)


def _step(context: Context, field: str, extra: float, base: set[str], after: set[str],
          gain: float) -> BudgetStep:
    added, dropped = sorted(after - base), sorted(base - after)
    more = f"With {context.short(extra)} more {'upfront' if field == 'upfront' else 'a month'}"
    names = " and ".join(context.project(i) for i in added)
    if added and dropped:
        text = (f"{more}, {names} would be funded in place of "
                f"{' and '.join(context.project(i) for i in dropped)} (+{context.short(gain)} net value).")
    elif added:
        text = f"{more}, {names} would be funded as well (+{context.short(gain)} net value)."
    else:
        text = f"{more}, the funded set would not change."
    return BudgetStep(extra_upfront=extra if field == "upfront" else 0.0,
                      extra_monthly=extra if field == "monthly" else 0.0, newly_funded=added,
                      no_longer_funded=dropped, net_value=round(gain, 2), text=text)


def _shared(context: Context, starts: Mapping[str, int]) -> list[Shared]:
    members: dict[str, list[UseCaseEntry]] = {}
    for use_case_id in starts:
        entry = context.by_id[use_case_id]
        for group in entry.figures.shares:
            members.setdefault(group, []).append(entry)
    shared = []
    for group, entries in sorted(members.items()):
        if len(entries) < 2:
            continue
        host = min(entries, key=lambda e: (e.figures.shares[group], e.id))  # frees least by joining
        saving = sum(e.figures.shares[group] for e in entries) - host.figures.shares[group]
        months = context.limits.share_months.get(group, 0.0)
        basis, keys = _basis(context, group)
        shared.append(Shared(id=group, label=GROUP_LABELS[group], host=host.id,
                             members=sorted(e.id for e in entries), monthly_saving=round(saving, 2),
                             months=months, saving_over_horizon=round(saving * months, 2), basis=basis,
                             assumptions=keys))
    return shared


def _basis(context: Context, group: str) -> tuple[str, list[str]]:
    v, money = context.v, context.money
    if group == "vector_db_managed":
        return (f"One account pays the {money(v['vector_db_min_monthly_usd'])} monthly minimum once; "
                f"each use case then pays only for its own storage and searches.",
                ["vector_db_min_monthly_usd"])
    if group == "vector_db_selfhosted":
        return (f"One cluster ({money(v['selfhost_vector_db_monthly_usd'])} a month) holds every index; each "
                f"further index adds {v['shared_vector_db_extra_share']:.0%} of its cost.",
                ["selfhost_vector_db_monthly_usd", "shared_vector_db_extra_share"])
    return (f"One deployment of the open base model serves every use case (adapters loaded per request), "
            f"so the {v['selfhost_min_gpus']:g} GPUs kept for availability are paid once and each use case "
            f"adds only the GPUs its traffic needs; running it takes one team, each further use case adding "
            f"{v['shared_ops_extra_share']:.0%} of the operating effort.",
            ["selfhost_min_gpus", "shared_ops_extra_share", "shared_serving_base_model",
             "selfhost_ops_monthly_usd"])


def _roadmap(context: Context, starts: Mapping[str, int], load: list[dict[str, float]]) -> list[QuarterLoad]:
    last = max((starts[c.id] + len(c.load) for c in context.candidates if c.id in starts), default=1)
    rows = []
    for quarter in range(max(last, 1)):
        starting = sorted(i for i, s in starts.items() if s == quarter)
        building = sorted(i for i, s in starts.items()
                          if s <= quarter < s + max(1, len(context.by_id[i].figures.load_by_quarter)))
        used = load[quarter] if quarter < len(load) else {}
        rows.append(QuarterLoad(quarter=quarter + 1, label=context.quarter_label(quarter),
                                load={role: round(used.get(role, 0.0), 1) for role in ROLES},
                                capacity=dict(context.limits.people), starting=starting, building=building))
    return rows
