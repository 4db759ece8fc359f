"""What the template shows, worked out in Python: one tree of plain data.

``build(assessment, detail=...)`` returns dicts, lists, strings, numbers, booleans and None
only (templates are untrusted and must never hold an object with methods). Every figure is
formatted here, once, so the same quantity reads the same wherever the report prints it.
Everything is a pure function of the assessment: no clock, no randomness.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from tunewise.engine.assessment import Assessment, StrategyResult
from tunewise.report import wording
from tunewise.report.wording import LEVELS, money, pct, weeks, weeks_text

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
SOURCE_LABELS = {"closed_api": "Closed API", "open_weights": "Open weights, self-hosted"}
SOURCE_PHRASES = {
    "closed_api": "on a closed model through a vendor's API",
    "open_weights": "on an open-weight model hosted by your team",
}
KIND_TITLES = {
    "policy": "Policy choices",
    "vendor": "Vendor prices",
    "secondary": "Published figures (exchange rate, salaries, hardware)",
    "paper": "Research papers",
    "talk": "Practitioner reports",
    "estimate": "Estimates",
}
KIND_ORDER = ("policy", "vendor", "secondary", "paper", "talk", "estimate")
TALK = {
    "speaker": "Muddassar Sharif",
    "title": "Fine-tuning LLMs: A Cost-Benefit Analysis for Businesses",
    "event": "Conf42 Large Language Models (LLMs) 2025, online",
    "year": 2025,
    "short": "Sharif, Conf42 LLMs 2025",
}
# The cost catalogue names the talk by where its transcript sits in our repository; a reader
# needs the talk itself.
TALK_REFERENCE = re.compile(r"[Tt]he talk \((?:shared/)?seed\)")
CHOICE_KEYS = {"horizon_months"}  # a decision, not an uncertain figure


def long_date(date: dt.date) -> str:
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


def source_text(text: str) -> str:
    return TALK_REFERENCE.sub(TALK["short"], text)


def engine_text(text: str, currency: str) -> str:
    """Wording from the engine, with the talk cited by name and amounts rounded as the report rounds them."""
    return wording.round_amounts(source_text(text), currency)


def _answers(a: Assessment) -> dict[str, Any]:
    return {x.question: x.value for x in a.answers}


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


class _Facts:
    """The raw facts the builders share (private to this module; never handed to a template)."""

    def __init__(self, a: Assessment, dump: dict[str, Any]):
        self.a, self.dump, self.cur = a, dump, a.currency
        self.answers = _answers(a)
        self.deadline = _number(self.answers.get("timeline_weeks"))
        self.budget_upfront = _number(self.answers.get("budget_upfront"))
        self.budget_monthly = _number(self.answers.get("budget_monthly"))
        self.by_id = {s["id"]: s for s in dump["strategies"]}
        self.labels = {s.id: s.label for s in a.strategies}
        self.pick = a.recommended
        ru = a.recommendation.runner_up
        self.runner = a.strategy(ru) if ru else None

    def extra(self, strategy: StrategyResult, key: str, default: Any = None) -> Any:
        """A field the new engine adds (net value, gates...), or ``default`` before it lands."""
        return self.by_id[strategy.id].get(key, default)

    def meets_deadline(self, s: StrategyResult) -> bool:
        return self.deadline is None or weeks(s.weeks_to_live) <= self.deadline

    def net_value(self, s: StrategyResult) -> float:
        return s.net_value


# --- strategies ------------------------------------------------------------------------------------


def _gates(f: _Facts, s: StrategyResult) -> list[dict[str, Any]]:
    return [{"gate": g.gate, "name": wording.gate_name(g.gate), "passed": g.passed, "text": g.text}
            for g in s.gates]


def _deadline_text(f: _Facts, s: StrategyResult) -> str:
    w = weeks(s.weeks_to_live)
    if f.deadline is None:
        return f"{w}"
    # Within the deadline the number alone: the column's heading already names the deadline.
    if w <= f.deadline:
        return f"{w}"
    return f"{w} ({w - weeks(f.deadline)} over)"


def _risk_level(f: _Facts, s: StrategyResult) -> str:
    register = wording.risk_register(
        f.answers, s.id, s.model_source, not f.meets_deadline(s), not s.within_budget
    )
    scores = sorted((LEVELS[r.likelihood] * LEVELS[r.impact] for r in register), reverse=True)
    if scores and (scores[0] >= 9 or scores[:2] == [6, 6] and len(scores) > 4):
        return "high"
    return "medium" if scores and scores[0] >= 4 else "low"


def _line(line, cur: str) -> dict[str, Any]:
    return {"label": line.label, "amount": money(line.amount, cur), "basis": engine_text(line.basis, cur)}


def _strategy(f: _Facts, s: StrategyResult) -> dict[str, Any]:
    cur = f.cur
    p10, p90 = f.extra(s, "net_value_p10"), f.extra(s, "net_value_p90")
    pros = sorted(
        (r for r in s.reasons if r.effect > 0 and r.kind != "economics"), key=lambda r: (-r.effect, r.rule)
    )
    cons = sorted(
        (r for r in s.reasons if r.effect < 0 and r.kind != "economics"), key=lambda r: (r.effect, r.rule)
    )
    probability = f.extra(s, "probability_best")
    return {
        "id": s.id,
        "label": s.label,
        "short": s.short,
        "rank": s.rank,
        "score": f"{s.score:.2f}",
        "eligible": s.eligible,
        "excluded_because": [engine_text(x, cur) for x in s.excluded_because],
        "chosen": s.id == f.pick.id,
        "runner_up": f.runner is not None and s.id == f.runner.id,
        "source": s.model_source,
        "source_label": SOURCE_LABELS[s.model_source],
        "upfront": money(s.costs.upfront, cur),
        "monthly": money(s.costs.monthly, cur),
        "horizon_total": money(s.costs.horizon_total, cur),
        "benefit": money(s.benefits.horizon_total, cur),
        "roi": pct(s.roi),
        "payback": wording.months_text(s.payback_months),
        "weeks": weeks(s.weeks_to_live),
        "weeks_text": weeks_text(s.weeks_to_live),
        "deadline": _deadline_text(f, s),
        "meets_deadline": f.meets_deadline(s),
        "within_budget": s.within_budget,
        "budget_text": "yes" if s.within_budget else "no",
        "net_value": money(f.net_value(s), cur),
        "net_range": (
            f"{money(p10, cur)} to {money(p90, cur)}"
            if p10 is not None and p90 is not None and money(p10, cur) != money(p90, cur)
            else ""
        ),
        "probability_best": pct(probability) if probability is not None else "",
        "risk": _risk_level(f, s),
        "gates": _gates(f, s),
        "pros": [engine_text(r.text, cur) for r in pros],
        "cons": [engine_text(r.text, cur) for r in cons],
        "upfront_lines": [_line(x, cur) for x in s.costs.upfront_lines],
        "monthly_lines": [_line(x, cur) for x in s.costs.monthly_lines],
        "hidden_lines": [_line(x, cur) for x in s.costs.hidden_lines],
        "benefit_lines": [_line(x, cur) for x in s.benefits.lines],
        "errors_avoided": wording.about(s.benefits.errors_avoided_monthly),
        "error_reduction": pct(s.benefits.error_reduction),
        "owns_ip": s.benefits.owns_ip,
    }


def _gate_columns(ranked: list[dict[str, Any]]) -> list[str]:
    """Every gate any approach was tested against, in the engine's order, then whether it passes all."""
    columns: list[str] = []
    for row in ranked:
        for gate in row["gates"]:
            if gate["gate"] not in columns and gate["gate"] not in ("eligible", "workable"):
                columns.append(gate["gate"])
    return columns + ["workable"]


# --- the memo --------------------------------------------------------------------------------------


def _headline(f: _Facts, verdict: str) -> str:
    pick = f.pick
    where = SOURCE_PHRASES[f.a.recommendation.model_source]
    if verdict == "do_not_build":
        return (
            f"We advise against building now: no approach pays for itself within "
            f"{f.a.horizon_months} months; the least bad is {pick.label} {where}."
        )
    if verdict == "outside_constraints":
        return (
            f"No approach fits the budget and deadline you gave; the best that would pay is "
            f"{pick.label} {where}, if the limits change as set out below."
        )
    return (
        f"Build {pick.label} {where}: it is live in {weeks_text(pick.weeks_to_live)} for "
        f"{money(pick.costs.upfront, f.cur)} upfront, with a risk-adjusted return of {pct(pick.roi)} over "
        f"{f.a.horizon_months} months."
    )


def _verdict(f: _Facts) -> str:
    return str(f.a.recommendation.verdict)


def _ask(f: _Facts) -> dict[str, str]:
    if _verdict(f) == "do_not_build":
        # Nothing pays: the memo asks for no build money, only for the figures that decide it.
        return {
            "budget": "none for a build: no approach pays back on these figures",
            "people": "the sponsor and the product owner, to check the figures that decide it",
            "weeks": "about two weeks to measure them and reassess",
        }
    pick = f.pick
    team = {
        "none": "an outside team (no in-house technical staff)",
        "engineers": "your software engineers, with time set aside",
        "ml_experts": "your machine-learning team",
    }.get(str(f.answers.get("ml_team")), "a delivery team")
    return {
        "budget": f"{money(pick.costs.upfront, f.cur)} to build, then {money(pick.costs.monthly, f.cur)} "
        "a month to run",
        "people": team,
        "weeks": f"{weeks_text(pick.weeks_to_live)} to go live",
    }


def _next_steps(f: _Facts) -> list[dict[str, str]]:
    pick, cur = f.pick, f.cur
    given = f.dump["recommendation"].get("next_step")
    steps = []
    if given:
        steps.append({"step": engine_text(str(given), cur), "owner": "Sponsor", "week": "Week 0"})
    if _verdict(f) == "do_not_build":
        return steps + [
            {"step": "Measure what one wrong answer costs and how many questions come each month",
             "owner": "Product owner", "week": "Week 1–2"},
            {"step": "Reassess with the measured figures before committing any build budget",
             "owner": "Sponsor", "week": "Week 2"},
        ]
    steps.append(
        {
            "step": f"Approve {money(pick.costs.upfront, cur)} and name an owner for the build",
            "owner": "Sponsor",
            "week": "Week 0",
        }
    )
    steps.append(
        {
            "step": "Collect a test set of 100–200 real questions with correct answers to measure against",
            "owner": "Product owner",
            "week": "Week 1",
        }
    )
    phases = wording.whole_week_phases(f.a.roadmap)
    for phase in phases[:2]:
        steps.append(
            {
                "step": phase["name"],
                "owner": wording.phase_owner(phase["name"]),
                "week": f"Week {phase['start']}–{phase['end']}",
            }
        )
    return steps


def _change_needed(f: _Facts, verdict: str) -> list[str]:
    pick, cur = f.pick, f.cur
    if verdict == "build" and pick.eligible:
        return []
    needs = _shortfall_words(f, pick)
    if verdict == "do_not_build":
        # Not paying back is the obstacle; not fitting the limits only comes after it.
        text = (f"{pick.label} would first have to pay back: over {f.a.horizon_months} months it loses "
                f"{money(-pick.net_value, cur)} once adoption, the chance the build fails and discounting "
                "are allowed for, so a wrong answer would have to cost more or questions come more often.")
        if needs:
            text += f" Even then it would also need {wording.join(needs)} to fit the limits you set."
        return [text]
    return [f"{pick.label} would fit with " + wording.join(needs) + "."] if needs else []


def _shortfall_words(f: _Facts, s: StrategyResult) -> list[str]:
    out = [f"{money(amount, f.cur)} {what}" for amount, what in
           ((s.shortfall.upfront, "more upfront"), (s.shortfall.monthly, "more a month")) if amount > 0]
    if s.shortfall.weeks > 0:
        out.append(f"a deadline {weeks_text(s.shortfall.weeks)} later")
    return out


def _tradeoffs(f: _Facts) -> list[str]:
    """The pick against the runner-up in words, on the risk-adjusted figures the pick is made on."""
    pick, ru, cur = f.pick, f.runner, f.cur
    if ru is None:
        return [f"{pick.label} is the only workable approach, so there is nothing to trade against."]
    horizon = f.a.horizon_months
    if _verdict(f) == "do_not_build":
        return [
            f"Neither of the two closest options pays back: over {horizon} months, allowing for adoption, "
            f"the chance the build fails and discounting, {pick.label} loses {money(-pick.net_value, cur)} "
            f"and {ru.label} {_loss_or_gain(ru.net_value, cur)}. {pick.label} is named because "
            + ("it needs the smallest rise in the cost of a wrong answer to break even."
               if pick.benefits.errors_avoided_monthly > 0 else
               # No wrong answer avoided (no questions a month): no cost per error is enough.
               "it would need the smallest cost of a wrong answer to break even once questions come.")
        ]
    gains, costs = [], []
    total = pick.costs.horizon_total - ru.costs.horizon_total
    if total > 0:
        costs.append(f"{money(total, cur)} more spent over {horizon} months")
    elif total < 0:
        gains.append(f"spends {money(-total, cur)} less over {horizon} months")
    if money(pick.net_value, cur) != money(ru.net_value, cur):
        pair = f"({money(pick.net_value, cur)} against {money(ru.net_value, cur)})"
        if pick.net_value < ru.net_value:
            costs.append(f"a lower risk-adjusted net value {pair}")
        else:
            gains.append(f"has the higher risk-adjusted net value {pair}")
    if pct(pick.roi) != pct(ru.roi):
        pair = f"({pct(pick.roi)} against {pct(ru.roi)})"
        if (pick.roi or 0) < (ru.roi or 0):
            costs.append(f"a lower risk-adjusted return on each unit spent {pair}")
        else:
            gains.append(f"returns more on each unit spent, risk-adjusted {pair}")
    pw, rw = weeks(pick.weeks_to_live), weeks(ru.weeks_to_live)
    if pw > rw:
        costs.append(f"{weeks_text(pw - rw)} longer to go live")
    elif pw < rw:
        gains.append(f"goes live {weeks_text(rw - pw)} sooner")
    if not f.meets_deadline(pick) and f.meets_deadline(ru):
        costs.append(f"missing the {weeks(f.deadline or 0)}-week deadline that {ru.label} meets")
    if pick.benefits.error_reduction > ru.benefits.error_reduction:
        gains.append(
            f"removes {pct(pick.benefits.error_reduction)} of errors against "
            f"{pct(ru.benefits.error_reduction)}"
        )
    if not costs:
        return [
            f"{pick.label} is at least as good as {ru.label} on cost, risk-adjusted value and time: "
            "there is no trade-off to accept."
        ]
    sentence = f"Against {ru.label}, we accept " + wording.join(costs)
    if gains:
        sentence += f" because {pick.label} " + wording.join(gains) + "."
    else:
        sentence += "."
    out = [sentence]
    chance = pick.probability_best
    if chance < 0.6:
        out.append(
            f"The lead is narrow: {pick.label} comes out best in {pct(chance)} of the simulated outcomes "
            f"and {ru.label} in {pct(ru.probability_best)}; if the points above weigh more with you, "
            f"{ru.label} is a sound choice."
        )
    return out


def _loss_or_gain(value: float, cur: str) -> str:
    return f"loses {money(-value, cur)}" if value < 0 else f"gains only {money(value, cur)}"


# --- sensitivity ---------------------------------------------------------------------------------


def _units(a: Assessment) -> dict[str, str]:
    return {x.key: x.unit for x in a.assumptions}


def _tornado_rows(f: _Facts) -> list[dict[str, Any]]:
    rows = wording.tornado_bars(f.a)
    units = _units(f.a)
    out = []
    for b in rows:
        flips = b.winner_at_low != f.pick.id or b.winner_at_high != f.pick.id
        unit = units.get(b.key, "")
        out.append(
            {
                "key": b.key,
                "label": b.label,
                "unit": unit,
                "low": wording.quantity(b.low, unit),
                "high": wording.quantity(b.high, unit),
                "at_low": money(b.total_at_low, f.cur),
                "at_high": money(b.total_at_high, f.cur),
                "winner_low": f.labels[b.winner_at_low],
                "winner_high": f.labels[b.winner_at_high],
                "flips": flips,
            }
        )
    return out


def _switch_sentence(f: _Facts) -> str:
    parts = []
    for b in wording.tornado_bars(f.a):
        unit = _units(f.a).get(b.key, "")
        if b.winner_at_high != f.pick.id:
            parts.append(
                (
                    f.labels[b.winner_at_high],
                    f"{wording.lower_first(b.label)} reaches {wording.quantity(b.high, unit)}",
                )
            )
        elif b.winner_at_low != f.pick.id:
            parts.append(
                (
                    f.labels[b.winner_at_low],
                    f"{wording.lower_first(b.label)} falls to {wording.quantity(b.low, unit)}",
                )
            )
    if not parts:
        return (
            f"No uncertain figure, moved across its whole range, changes the choice: {f.pick.label} stays "
            f"best at every low and high value we tested."
        )
    by_target: dict[str, list[str]] = {}
    for target, condition in parts:
        by_target.setdefault(target, []).append(condition)
    return " ".join(
        f"The choice switches to {target} if {wording.join(conds, 'or')}."
        for target, conds in by_target.items()
    )


def _crossing(f: _Facts) -> dict[str, Any]:
    """Where the pick and the runner-up cost the same, and where the recommendation changes."""
    curve = f.a.sensitivity.volume_curve
    ru = f.runner
    changes = f.a.sensitivity.recommendation_changes_at
    today = _number(f.answers.get("monthly_queries"))
    cross = None
    if ru is not None:
        for p, q in zip(curve, curve[1:], strict=False):
            d0 = p.totals.get(f.pick.id, 0) - p.totals.get(ru.id, 0)
            d1 = q.totals.get(f.pick.id, 0) - q.totals.get(ru.id, 0)
            if p.monthly_queries > 0 and d0 * d1 < 0:
                t = d0 / (d0 - d1)
                lo, hi = math.log10(p.monthly_queries), math.log10(q.monthly_queries)
                cross = 10 ** (lo + t * (hi - lo))
                break
    parts = []
    if ru is None:
        parts.append("There is no runner-up to compare costs with")
    elif cross is None:
        parts.append(
            f"{f.pick.label} and {ru.label} never cost the same between "
            f"{wording.volume(curve[0].monthly_queries if curve else 0)} and "
            f"{wording.volume(curve[-1].monthly_queries if curve else 0)} questions a month"
        )
    else:
        parts.append(
            f"{f.pick.label} and {ru.label} cost the same over {f.a.horizon_months} months at "
            f"about {wording.volume(cross)} questions a month"
        )
    if changes:
        steps = [f"{_winner_after(f, v)} from about {wording.volume(v)}" for v in changes]
        first = f.labels[curve[0].recommended] if curve else f.pick.label
        parts.append(
            f"the recommendation itself is {first} at lower volumes, "
            + wording.join(steps)
            + " questions a month, because fit as well as cost decides it"
        )
    else:
        parts.append(f"the recommendation stays {f.pick.label} at every volume we tried")
    text = "; ".join(parts) + "."
    if today:
        text += f" Today's volume is {wording.volume(today)} a month."
    if ru is not None and cross is not None:
        title = (
            f"{f.pick.label} and {ru.label} cost the same at about {wording.volume(cross)} questions a month"
        )
    elif changes:
        title = f"The recommendation changes at about {wording.volume(changes[0])} questions a month"
    else:
        title = f"Volume does not change the choice of {f.pick.label}"
    return {"text": text, "volume": cross, "title": title}


def _winner_after(f: _Facts, volume: int) -> str:
    curve = f.a.sensitivity.volume_curve
    point = next((p for p in curve if p.monthly_queries >= volume), curve[-1])
    return f.labels[point.recommended]


def _flips(f: _Facts) -> list[dict[str, Any]]:
    """One row per question and result: the different answers that lead to the same new pick share it."""
    prompts = {x.question: x.prompt for x in f.a.answers}
    labels = {x.question: x.label for x in f.a.answers}
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for flip in f.a.sensitivity.flips:
        result = f"{f.labels[flip.strategy]}, {SOURCE_LABELS[flip.model_source].lower()}"
        row = rows.setdefault(
            (flip.question, result),
            {
                "prompt": prompts.get(flip.question, flip.question.replace("_", " ")),
                "current": labels.get(flip.question, "not answered"),
                "alternatives": [],
                "result": result,
                "source_only": flip.strategy == f.pick.id,
            },
        )
        row["alternatives"].append(flip.alternative_label)
    out = []
    for row in rows.values():
        row["alternative"] = wording.join(row.pop("alternatives"), "or")
        out.append(row)
    return out


# --- appendix --------------------------------------------------------------------------------------


def _assumption_rows(f: _Facts, detail: str) -> tuple[list[dict[str, Any]], int]:
    used = set()
    for s in (f.pick, f.runner):
        if s is None:
            continue
        for line in (
            *s.costs.upfront_lines,
            *s.costs.monthly_lines,
            *s.costs.hidden_lines,
            *s.benefits.lines,
        ):
            used.update(line.assumptions)
    fx = f"fx_{f.cur}"
    rows = []
    for x in f.a.assumptions:
        if x.key.startswith("fx_") and x.key != fx:
            continue  # only the report's own currency
        if detail == "brief" and not (x.key in used or x.overridden or x.key == fx):
            continue
        rows.append(x)
    groups = []
    kinds = list(KIND_ORDER) + sorted({x.kind for x in rows} - set(KIND_ORDER))
    for kind in kinds:
        members = sorted((x for x in rows if x.kind == kind), key=lambda x: x.label.lower())
        if members:
            groups.append(
                {
                    "title": KIND_TITLES.get(kind, kind.title()),
                    "rows": [
                        {
                            "key": x.key,
                            "label": x.label,
                            "value": wording.quantity(x.value, x.unit),
                            "range": wording.span(x.low, x.high, x.unit),
                            "source": source_text(x.source),
                            "as_of": x.as_of,
                            "overridden": x.overridden,
                        }
                        for x in members
                    ],
                }
            )
    return groups, len(rows)


def _answer_sections(a: Assessment) -> list[dict[str, Any]]:
    from tunewise.engine.questions import load_bank

    bank = load_bank()
    out = []
    for section in bank.sections:
        rows = [x for x in a.answers if x.section == section.id]
        if rows:
            out.append(
                {
                    "title": section.title,
                    "rows": [
                        {"prompt": x.prompt, "label": x.label, "defaulted": x.defaulted, "applies": x.applies,
                         "note": x.note}
                        for x in rows
                    ],
                }
            )
    known = {s.id for s in bank.sections}
    rest = [x for x in a.answers if x.section not in known]
    if rest:
        out.append(
            {
                "title": "Other",
                "rows": [
                    {"prompt": x.prompt, "label": x.label, "defaulted": x.defaulted, "applies": x.applies,
                         "note": x.note}
                    for x in rest
                ],
            }
        )
    return out


def _risks(f: _Facts) -> list[dict[str, str]]:
    register = wording.risk_register(
        f.answers, f.pick.id, f.pick.model_source, not f.meets_deadline(f.pick), not f.pick.within_budget
    )
    rows = [
        {
            "title": r.title,
            "text": r.text,
            "likelihood": r.likelihood,
            "impact": r.impact,
            "mitigation": r.mitigation,
            "owner": r.owner,
        }
        for r in register
    ]
    rows.sort(key=lambda r: -LEVELS[r["likelihood"]] * LEVELS[r["impact"]])
    return rows


# --- titles that state the finding -----------------------------------------------------------------


def _titles(f: _Facts, risks: list[dict[str, str]], volume: str) -> dict[str, str]:
    pick, ru, cur = f.pick, f.runner, f.cur
    verdict = _verdict(f)
    if verdict == "do_not_build":
        why = f"Nothing pays back; {pick.label} comes closest"
    elif verdict == "outside_constraints":
        why = f"{pick.label} would pay back but does not fit your limits"
    elif ru is None:
        why = f"{pick.label} is the only workable approach"
    elif f.a.recommendation.confidence < 0.6:
        why = f"{pick.label} fits best, with {ru.label} close behind"
    else:
        why = f"{pick.label} fits your answers clearly better than {ru.label}"
    payback = pick.payback_months
    costs = (
        f"{pick.label} costs {money(pick.costs.horizon_total, cur)} over {f.a.horizon_months} months and "
        + (
            f"pays back in {wording.months_text(payback)}"
            if payback is not None
            else "does not pay back within that time"
        )
    )
    flips = len(_flips(f))
    figure_flips = sum(1 for r in _tornado_rows(f) if r["flips"])
    if flips or figure_flips:
        sens = (
            f"{flips} different answer{'s' if flips != 1 else ''} and {figure_flips} uncertain "
            f"figure{'s' if figure_flips != 1 else ''} could change the choice"
        )
    else:
        sens = "No single answer or figure changes the choice"
    live = weeks(pick.weeks_to_live)
    if f.deadline is None:
        road = f"{pick.label} can be live in {weeks_text(live)}"
    elif live <= f.deadline:
        road = f"{pick.label} is live in {weeks_text(live)}, within the {weeks(f.deadline)}-week deadline"
    else:
        road = (
            f"{pick.label} needs {weeks_text(live)}, {weeks_text(live - weeks(f.deadline))} past the deadline"
        )
    high = sum(1 for r in risks if r["impact"] == "high")
    risk = (
        f"{len(risks)} risk{'s' if len(risks) != 1 else ''} to manage, {high} with high impact"
        if risks
        else "No specific risk raised by the answers"
    )
    return {"why": why, "costs": costs, "sensitivity": sens, "roadmap": road, "risks": risk, "volume": volume}


# --- the whole view ----------------------------------------------------------------------------------


def build(a: Assessment, *, detail: str = "brief") -> dict[str, Any]:
    """Everything the template prints, as plain data (see the module docstring)."""
    if detail not in ("brief", "full"):
        raise ValueError("detail must be 'brief' or 'full'")
    dump = a.model_dump(mode="json", by_alias=True)
    f = _Facts(a, dump)
    verdict = _verdict(f)
    ranked = [_strategy(f, s) for s in sorted(a.strategies, key=lambda s: s.rank)]
    gate_columns = _gate_columns(ranked)
    for row in ranked:
        passed = {g["gate"]: g["passed"] for g in row["gates"]}
        passed.setdefault("workable", row["eligible"])
        row["gate_marks"] = [{"name": wording.gate_name(g), "passed": passed.get(g)} for g in gate_columns]
    pick = next(s for s in ranked if s["chosen"])
    runner = next((s for s in ranked if s["runner_up"]), None)
    risks = _risks(f)
    switch = _switch_sentence(f)
    groups, used = _assumption_rows(f, detail)
    others = [s for s in ranked if not (s["chosen"] or s["runner_up"])]
    phases = wording.whole_week_phases(a.roadmap)
    crossing = _crossing(f)
    return {
        "detail": detail,
        "client": dump["client"],
        "currency": a.currency,
        "horizon": a.horizon_months,
        "verdict": verdict,
        "verdict_label": {
            "build": "Build",
            "do_not_build": "Do not build",
            "outside_constraints": "Outside the limits you set",
        }[verdict],
        "headline": _headline(f, verdict),
        "pick_marker": wording.pick_marker(verdict),
        "warnings": [engine_text(str(w), a.currency) for w in dump["recommendation"].get("warnings", [])],
        "change_needed": _change_needed(f, verdict),
        "confidence": pct(a.recommendation.confidence),
        "confidence_word": wording.confidence_word(a.recommendation.confidence),
        "within_constraints": a.recommendation.within_constraints,
        "deadline": weeks_text(f.deadline) if f.deadline is not None else "",
        "budget_upfront": money(f.budget_upfront, a.currency) if f.budget_upfront is not None else "",
        "budget_monthly": money(f.budget_monthly, a.currency) if f.budget_monthly is not None else "",
        "pick": pick,
        "runner_up": runner,
        "ranked": ranked,
        "ruled_out": [s for s in ranked if not s["eligible"]],
        "others": others,
        "gate_names": [wording.gate_name(g) for g in gate_columns],
        "tradeoffs": _tradeoffs(f),
        "ask": _ask(f),
        "next_steps": _next_steps(f),
        "key_reasons": pick["pros"][:3],
        "source_reasons": [
            {"source": SOURCE_LABELS.get(r.strategy, r.strategy), "text": engine_text(r.text, a.currency)}
            for r in sorted(a.recommendation.source_reasons, key=lambda r: (-r.effect, r.rule))
            if r.strategy == a.recommendation.model_source
        ][:2],
        "flips": _flips(f),
        "crossing": crossing["text"],
        "numbers": {
            "crossing": crossing["volume"],
            "budget_upfront": f.budget_upfront,
            "deadline": f.deadline,
        },
        "switch": switch,
        "tornado_rows": _tornado_rows(f),
        "tornado_strategy": pick["label"],
        "knowledge_split": dump["knowledge_split"],
        "phases": phases,
        "live_weeks": pick["weeks_text"],
        "retrain": (
            f"After launch, plan to retrain about every {wording.about(a.retrain_every_months)} months."
            if a.retrain_every_months
            else ""
        ),
        "risks": risks,
        "titles": _titles(f, risks, crossing["title"]),
        "answer_sections": _answer_sections(a),
        "assumption_groups": groups,
        "assumptions_shown": used,
        "assumptions_total": len(a.assumptions),
        "overrides": sum(1 for x in a.assumptions if x.overridden),
        "talk": dict(TALK),
        "glossary": [{"term": t, "meaning": m} for t, m in wording.GLOSSARY],
    }
