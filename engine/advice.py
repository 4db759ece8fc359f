"""What to do next: a staged start when the top two are close, or what would have to be true.

`next_step` is one sentence for `recommendation.next_step`:
* verdict build, and the pick is best in under ``STAGE_BELOW`` of the Monte Carlo
  draws: start with the cheaper of the top two and name the trigger for the other;
* verdict do_not_build: the cost per wrong answer, or the volume, at which the
  best option would break even;
* verdict outside_constraints: the smallest change of budget or deadline that
  lets an option that pays fit.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from tunewise.engine.assessment import StrategyId, Verdict
from tunewise.engine.costs import Economics, totals_only
from tunewise.engine.decide import Decision, Scored
from tunewise.engine.money import money
from tunewise.engine.verdict import deterministic_value

STAGE_BELOW = 0.7
# From easiest to hardest to walk back from: what a staged start begins with.
REVERSIBLE = ("prompt", "rag", "peft", "hybrid", "full_fine_tune", "from_scratch")
VOLUME_CEILING = 1e10


def _value_at(item: Scored, v: Mapping[str, float], answers: Mapping[str, Any],
              queries: float | None = None, cost_per_error: float | None = None) -> float:
    trial = dict(answers)
    if cost_per_error is not None:
        trial["cost_per_error"] = cost_per_error
    # From the pick's own evaluation, only what the volume or the cost per error reaches is recomputed.
    return deterministic_value(totals_only(v, item.id, item.source, trial, item.chosen, answers,
                                           queries=queries), v)


def _volume_where(better: Scored, than: Scored | None, v: Mapping[str, float],
                  answers: Mapping[str, Any]) -> float | None:
    """Smallest monthly volume above today's at which ``better`` beats ``than`` (or breaks even)."""
    start = float(answers.get("monthly_queries") or 0)
    queries = max(start, 100.0)

    def wins(q: float) -> bool:
        other = _value_at(than, v, answers, q) if than is not None else 0.0
        return _value_at(better, v, answers, q) > other

    while queries <= VOLUME_CEILING and not wins(queries):
        queries *= 2
    if queries > VOLUME_CEILING:
        return None
    low = max(start, queries / 2)
    for _ in range(30):
        if queries - low <= max(1.0, low / 100):
            break
        middle = (low + queries) / 2
        if wins(middle):
            queries = middle
        else:
            low = middle
    return queries


def _break_even_cost(item: Scored, v: Mapping[str, float], answers: Mapping[str, Any]) -> float | None:
    current = answers.get("cost_per_error")
    base = float(current) if current is not None else v["cost_per_error_default"]
    at_base = _value_at(item, v, answers, cost_per_error=base)
    at_more = _value_at(item, v, answers, cost_per_error=base * 2 + 1)
    slope = (at_more - at_base) / (base + 1)
    if slope <= 0:
        return None
    return base - at_base / slope


def _nice(volume: float) -> str:
    digits = max(0, int(math.log10(max(volume, 1))) - 1)
    return f"{round(volume, -digits):,.0f}"


def next_step(decision: Decision, labels: Mapping[str, str], v: Mapping[str, float],
              answers: Mapping[str, Any]) -> str | None:
    pick, runner = decision.recommended, decision.runner_up
    if decision.verdict == "do_not_build":
        return _what_must_be_true(pick, labels, v, answers)
    if decision.verdict == "outside_constraints":
        return _smallest_change(decision, labels)
    if runner is None or not runner.eligible or runner.net_value <= 0:
        return None
    if pick.probability_best >= STAGE_BELOW:
        return None
    if ((REVERSIBLE.index(pick.id), pick.chosen.upfront_total)
            <= (REVERSIBLE.index(runner.id), runner.chosen.upfront_total)):
        volume = _volume_where(runner, pick, v, answers)
        trigger = (f"consider {labels[runner.id]} when volume passes about {_nice(volume)} questions "
                   "a month" if volume else
                   f"revisit {labels[runner.id]} if a pilot beats the catalogue's figures")
        return (f"Start with {labels[pick.id]}; {trigger}. The two are close: {labels[pick.id]} "
                f"comes out best in {pick.probability_best:.0%} of the simulations.")
    return (f"Start with {labels[runner.id]}, which is easier to walk back from; move to "
            f"{labels[pick.id]} once a pilot confirms its error reduction. {labels[pick.id]} comes out "
            f"best in only {pick.probability_best:.0%} of the simulations.")


def _what_must_be_true(item: Scored, labels: Mapping[str, str], v: Mapping[str, float],
                       answers: Mapping[str, Any]) -> str:
    parts = []
    cost = _break_even_cost(item, v, answers)
    if cost is not None and cost > 0:
        parts.append(f"a wrong answer costing about {money(cost)}")
    volume = _volume_where(item, None, v, answers)
    if volume is not None:
        parts.append(f"about {_nice(volume)} questions a month")
    if not parts:
        return (f"No option pays back within the horizon; even {labels[item.id]} never breaks even "
                "at these figures.")
    return (f"No option pays back within the horizon. {labels[item.id]} would break even with "
            + " or ".join(parts) + ".")


def _smallest_change(decision: Decision, labels: Mapping[str, str]) -> str:
    best = decision.recommended
    needs = []
    if best.shortfall.upfront > 0:
        needs.append(f"{money(best.shortfall.upfront)} more upfront")
    if best.shortfall.monthly > 0:
        needs.append(f"{money(best.shortfall.monthly)} more a month")
    if best.shortfall.weeks > 0:
        needs.append(f"{math.ceil(best.shortfall.weeks)} more weeks")
    return (f"Nothing that pays fits the budget and deadline. The smallest change: "
            f"{' and '.join(needs)} lets {labels[best.id]} fit (net value {money(best.net_value)}).")


# The catalogue figure behind every fine-tuning benefit that peer-reviewed work does not back.
CONTESTED = "talk_hallucination_reduction"


# The pick and verdict with one catalogue figure at another value, when already decided (the
# sensitivity analysis's tornado tries every figure at its low end); None when not tried.
Tried = Callable[[str, float], "tuple[StrategyId, Verdict] | None"]


def contested_figure_warning(decision: Decision, v: Mapping[str, float], low: float,
                             answers: Mapping[str, Any], labels: Mapping[str, str],
                             tried: Tried | None = None) -> str | None:
    """A warning when the pick or the verdict changes with the contested figure at its low end."""
    from tunewise.engine.cost_model import load_cost_model
    from tunewise.engine.decide import decide
    from tunewise.engine.rules import load_rules

    if v[CONTESTED] <= low:
        return None
    model = load_cost_model()

    def reads_it(strategy: str, source: str) -> bool:
        return any(CONTESTED in keys for keys in model.reads(answers, strategy, source).values())

    pick = decision.recommended
    if not any(reads_it(pick.id, source) for source in pick.economics):
        # The figure only raises a benefit where it is read (cost_lines.yaml's tuned_reduction): at
        # its low end other options can only lose value while the pick keeps all of its, so neither
        # the pick nor the verdict moves (tests/test_contested_figure.py checks against deciding).
        return None
    found = tried(CONTESTED, low) if tried else None
    if found is None:
        known = decision.costed()

        def reuse(strategy: str, source: str) -> Economics | None:
            # Costs in which no figure reads the contested one are the same at its low end.
            return None if reads_it(strategy, source) else known.get((strategy, source))

        trial = decide(load_rules(), answers, dict(v) | {CONTESTED: low}, reuse=reuse, explain=False)
        found = trial.recommended.id, trial.verdict
    other, verdict = found
    if (other, verdict) == (pick.id, decision.verdict):
        return None
    told = {"build": "recommended", "do_not_build": "named as the nearest to paying back",
            "outside_constraints": "named as the one to fit"}
    then = (f"{labels[other]} would be {told[verdict]}" if other != pick.id
            else f"the verdict would be {verdict.replace('_', ' ')}")
    return (f"{labels[pick.id]} comes out ahead only if fine-tuning cuts invented answers by about "
            f"{v[CONTESTED]:.0%}, a figure from a conference talk that published studies do not back up; at "
            f"{low:.0%}, the low end of its range, {then}. Measure it on your own test set first.")
