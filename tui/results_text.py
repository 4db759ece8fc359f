"""Words for the Results screen, from an assessment: verdict headline and comparisons.

Reads the engine's verdict fields (``verdict``, ``warnings``, ``next_step``, per strategy
``net_value``, ``shortfall``): the screen words the decision, it never re-decides it.
"""

from __future__ import annotations

from rich.text import Text

from tunewise.engine.assessment import Assessment, StrategyResult
from tunewise.engine.money import fmt, localise, short
from tunewise.tui.verdict import limits_missed, needs_text

SOURCE_WORDS = {"closed_api": "closed API", "open_weights": "open weights"}


def net_value(s: StrategyResult) -> float:
    return s.net_value


LIMIT_GATES = {"budget_upfront", "budget_monthly", "deadline"}


def status(s: StrategyResult) -> str:
    """"fits", "over" (budget or deadline only) or "ruled out" (an answer excludes it)."""
    failed = {g.gate for g in s.gates if not g.passed}
    if failed - LIMIT_GATES or any(r.kind == "exclusion" for r in s.reasons):
        return "ruled out"
    return "over" if failed or not (s.eligible and s.within_budget) else "fits"


def headline(a: Assessment) -> Text:
    rec = a.recommendation
    best = a.recommended
    verdict = a.recommendation.verdict
    text = Text()
    if verdict == "outside_constraints":
        gap = best.shortfall
        text.append(f"Nothing fits {limits_missed(gap)}", style="bold reverse")
        needs = needs_text(best.label, gap, a.currency)
        if needs:
            text.append(f": {needs}.", style="bold")
        text.append(f"\nClosest: {best.label} on {SOURCE_WORDS[rec.model_source]}.")
    elif verdict == "do_not_build":
        text.append("Do not build", style="bold reverse")
        text.append(": no approach is expected to earn back its cost over "
                    f"{best.costs.horizon_months} months.", style="bold")
        text.append(f"\nClosest to paying back: {best.label} on "
                    f"{SOURCE_WORDS[rec.model_source]}.")
    else:
        text.append(f"Build: {best.label}", style="bold reverse")
        text.append(f" on {SOURCE_WORDS[rec.model_source]}", style="bold")
        text.append(f"   confidence {rec.confidence:.0%}")
        if rec.runner_up:
            text.append(f" · runner-up {a.strategy(rec.runner_up).label}")
    text.append("\n" + localise(rec.summary, a.currency))
    next_step = getattr(rec, "next_step", None)
    if next_step:
        text.append("\nNext step: ", style="bold")
        text.append(localise(str(next_step), a.currency))
    for warning in getattr(rec, "warnings", None) or []:
        text.append(f"\n⚠ {localise(str(warning), a.currency)}", style="bold")
    return text


def pick_words(a: Assessment) -> str:
    verdict = a.recommendation.verdict
    best = a.recommended
    if verdict == "outside_constraints":
        return f"none fits (closest {best.label})"
    if verdict == "do_not_build":
        return f"do not build ({best.label})"
    return f"{best.label}, {SOURCE_WORDS[a.recommendation.model_source]}"


def comparison_rows(a: Assessment) -> list[tuple[str, str]]:
    """(label, value) for the side-by-side what-if table."""
    best = a.recommended
    currency = a.currency
    p10 = getattr(best, "net_value_p10", None)
    p90 = getattr(best, "net_value_p90", None)
    value = fmt(net_value(best), currency)
    if p10 is not None and p90 is not None and p10 != p90:
        value += f" ({short(p10, currency)} to {short(p90, currency)})"
    return [("Pick", pick_words(a)), ("Net value", value),
            ("Upfront", fmt(best.costs.upfront, currency)),
            ("Monthly", fmt(best.costs.monthly, currency)),
            ("Weeks to live", f"{best.weeks_to_live:.0f}")]
