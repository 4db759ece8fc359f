"""Limits, net value and the verdict: what the numbers say about building at all.

`limit_gates` turns budget and deadline into pass/fail gates with the
shortfall a strategy would need covered; `deterministic_value` is a strategy's
risk-adjusted net present value at the catalogue's central figures (see
engine/value.py); `conclude` reads the ranked strategies and says build, do not
build, or nothing fits, with the warnings a reader must not miss.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from tunewise.engine.costs import Economics
from tunewise.engine.money import money
from tunewise.engine.value import cumulative_net_value, factors, net_present_value

if TYPE_CHECKING:
    from tunewise.engine.assessment import Verdict
    from tunewise.engine.decide import Decision, Scored

ROI_WARNING = 5.0
LIMIT_GATES = ("budget_upfront", "budget_monthly", "deadline")


def deterministic_value(e: Economics, v: Mapping[str, float]) -> float:
    """Risk-adjusted net present value at the catalogue's central figures."""
    return float(net_present_value(
        e.upfront_total, e.monthly_total, e.benefit_monthly, e.live_months, e.horizon_months,
        v["discount_rate_annual"], v["adoption_ramp_months"], v[f"success_{e.strategy}"],
        e.one_off_benefit))


def discounted_cost(e: Economics, v: Mapping[str, float]) -> float:
    """Upfront plus running costs once live, discounted: the cost side of `deterministic_value`."""
    running, _ = factors(e.live_months, e.horizon_months, v["discount_rate_annual"],
                         v["adoption_ramp_months"])
    return e.upfront_total + e.monthly_total * float(running)


def risk_adjusted_roi(e: Economics, v: Mapping[str, float], net_value: float) -> float | None:
    """Net value over discounted cost: above zero exactly when the net value is (None without cost)."""
    cost = discounted_cost(e, v)
    return net_value / cost if cost > 0 else None


def net_value_path(e: Economics, v: Mapping[str, float]) -> list[float]:
    """Cumulative risk-adjusted, discounted net value at the end of each month 0..horizon."""
    return cumulative_net_value(e.upfront_total, e.monthly_total, e.benefit_monthly, e.live_months,
                                e.horizon_months, v["discount_rate_annual"], v["adoption_ramp_months"],
                                v[f"success_{e.strategy}"], e.one_off_benefit)


def shortfall_of(e: Economics, answers: Mapping[str, Any]) -> tuple[float, float, float]:
    """(extra upfront money, extra monthly money, extra weeks) needed to fit the limits."""
    return (max(0.0, e.upfront_total - answers.get("budget_upfront", math.inf)),
            max(0.0, e.monthly_total - answers.get("budget_monthly", math.inf)),
            max(0.0, e.weeks_to_live - answers.get("timeline_weeks", math.inf)))


def limit_gates(e: Economics, answers: Mapping[str, Any]) -> list[tuple[str, bool, str]]:
    """Budget and deadline as hard limits, each with the figures behind it."""
    gates = []
    up, month = answers.get("budget_upfront"), answers.get("budget_monthly")
    deadline = answers.get("timeline_weeks")
    if up is not None:
        ok = e.upfront_total <= up
        gates.append(("budget_upfront", ok,
                      f"Costs {money(e.upfront_total)} upfront against a {money(up)} budget"
                      + ("." if ok else f": needs {money(e.upfront_total - up)} more.")))
    if month is not None:
        ok = e.monthly_total <= month
        gates.append(("budget_monthly", ok,
                      f"Costs {money(e.monthly_total)} a month against a {money(month)} budget"
                      + ("." if ok else f": needs {money(e.monthly_total - month)} more a month.")))
    if deadline is not None:
        ok = e.weeks_to_live <= deadline
        gates.append(("deadline", ok,
                      f"Needs about {e.weeks_to_live:.0f} weeks to go live against a "
                      f"{deadline:g}-week deadline"
                      + ("." if ok else f": {e.weeks_to_live - deadline:.0f} weeks late.")))
    return gates


def break_even_cost(item: Scored, v: Mapping[str, float]) -> float:
    """Cost per wrong answer at which the strategy's net value is zero (inf when it never is).

    Net value is linear in the cost per wrong answer: each unit adds the discounted,
    adopted, risk-adjusted count of wrong answers avoided.
    """
    e = item.chosen
    per_unit = float(_adopted_success(item, v) * e.errors_avoided_monthly)
    if per_unit <= 0:
        return math.inf
    used = e.benefit_monthly / e.errors_avoided_monthly if e.errors_avoided_monthly else 0.0
    return used - item.net_value / per_unit


def _adopted_success(item: Scored, v: Mapping[str, float]) -> Any:
    """What one monthly unit of benefit is worth over the horizon: discounted, adopted, and
    weighted by the chance the build succeeds."""
    e = item.chosen
    _, adopted = factors(e.live_months, e.horizon_months, v["discount_rate_annual"],
                         v["adoption_ramp_months"])
    return v[f"success_{item.id}"] * adopted


def nearness_to_paying(item: Scored, v: Mapping[str, float]) -> tuple[float, float, float]:
    """How near an option is to paying back, nearest lowest: its break-even cost per wrong answer;
    then, for options that avoid no wrong answer at all (no questions a month), the limit that
    cost takes as the volume shrinks to nothing (it grows as 1/volume, so its loss per unit of
    error reduction orders them as every small volume does); then its net value."""
    capacity = float(_adopted_success(item, v) * item.chosen.error_reduction)
    return (break_even_cost(item, v), -item.net_value / capacity if capacity > 0 else math.inf,
            -item.net_value)


def change_needed(item: Scored) -> tuple[float, float, float]:
    """How far an option is from fitting: money (a month counted twelve times), then weeks."""
    gap = item.shortfall
    return (gap.upfront + 12 * gap.monthly, gap.weeks, -item.net_value)


def conclude(ranked: list[Scored], answers: Mapping[str, Any], v: Mapping[str, float],
             labels: Mapping[str, str], source_reasons: list[Any]) -> Decision:
    """The pick, runner-up, verdict and warnings from strategies already gated, valued and ranked."""
    from tunewise.engine.decide import Decision

    scale = max((abs(s.net_value) for s in ranked), default=0.0) or 1.0
    for item in ranked:
        item.raw = item.net_value / scale
    verdict = verdict_for(ranked)
    pick = ranked[0]
    if verdict == "outside_constraints":
        # The option that pays and needs the smallest change of limits: the first to fit as they grow.
        pick = min((s for s in ranked if not s.hard_excluded and s.net_value > 0), key=change_needed)
    elif verdict == "do_not_build":
        # The option nearest to paying: the lowest cost per wrong answer at which it breaks even.
        pick = min((s for s in ranked if not s.hard_excluded), default=pick,
                   key=lambda s: nearness_to_paying(s, v))
    rest = [s for s in ranked if s is not pick]
    runner = next((s for s in rest if s.eligible), rest[0] if rest else None)
    margin = pick.net_value - runner.net_value if runner else abs(pick.net_value)
    confidence = 0.5 + 0.5 * math.tanh(max(0.0, margin) / max(abs(pick.net_value), 1.0))
    decision = Decision([pick, *rest], pick, runner, confidence, pick.eligible, source_reasons, {},
                        verdict)
    decision.warnings = warnings_for(decision.ranked, answers, v, pick, verdict, labels)
    return decision


def warnings_for(ranked: Sequence[Scored], answers: Mapping[str, Any], v: Mapping[str, float],
                 pick: Scored, verdict: Verdict, labels: Mapping[str, str]) -> list[str]:
    """Anything a reader must not miss."""
    found = []
    for item in ranked:
        roi = risk_adjusted_roi(item.chosen, v, item.net_value)
        if roi is not None and roi > ROI_WARNING and not item.hard_excluded:
            found.append(f"{labels[item.id]} shows a risk-adjusted ROI of {roi:.0%} over the horizon; "
                         "returns this high usually mean the cost per error or the volume is overstated.")
    money_at_stake = any(i.chosen.benefit_monthly > 0 for i in ranked)
    if answers.get("cost_per_error") is None and money_at_stake:
        found.append(f"The benefits rest on the catalogue's default cost per wrong answer "
                     f"({money(v['cost_per_error_default'])}); enter your own figure.")
    for item in ranked:
        e = item.chosen
        errors = float(answers.get("monthly_queries", 0)) * v["base_error_rate"]
        if e.errors_avoided_monthly > errors + 1e-9:
            found.append(f"{labels[item.id]} claims to avoid more wrong answers than exist.")
    if verdict == "outside_constraints":
        up, month, weeks = shortfall_of(pick.chosen, answers)
        found.append("No option that pays back fits the budget and deadline given"
                     + _needs_text(up, month, weeks) + ".")
    return found


def _needs_text(up: float, month: float, weeks: float) -> str:
    parts = []
    if up > 0:
        parts.append(f"+{money(up)} upfront")
    if month > 0:
        parts.append(f"+{money(month)} a month")
    if weeks > 0:
        parts.append(f"+{math.ceil(weeks)} weeks")
    return "; the closest needs " + ", ".join(parts) if parts else ""


def verdict_for(ranked: Sequence[Scored]) -> Verdict:
    """build, do_not_build or outside_constraints, from the net values and the gates."""
    open_options = [s for s in ranked if not s.hard_excluded]
    if not any(s.net_value > 0 for s in open_options):
        return "do_not_build"
    if any(s.eligible and s.net_value > 0 for s in ranked):
        return "build"
    return "outside_constraints"
