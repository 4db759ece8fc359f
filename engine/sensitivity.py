"""What would change the decision: other answers, other assumptions, other volumes."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from tunewise.engine.assessment import SourceId, StrategyId
from tunewise.engine.decide import Decision
from tunewise.engine.questions import Question, QuestionBank

VOLUME_GRID = (0, 1_000, 3_000, 10_000, 30_000, 100_000, 300_000, 1_000_000, 3_000_000,
               10_000_000, 30_000_000, 100_000_000)
NUMBER_FACTORS = (0.1, 0.5, 2.0, 10.0)

Decider = Callable[[Mapping[str, Any]], Decision]
# Cost many answer sets ahead of deciding them one by one (engine/scenarios.py); optional.
Primer = Callable[[list[Mapping[str, Any]]], None]
# How many levels of a bisection to cost ahead: 2**4 - 1 volumes in one pass.
BISECT_AHEAD = 4


def alternatives(question: Question, current: Any) -> list[Any]:
    """Other answers worth trying for one question."""
    if question.type == "bool":
        return [not current]
    if question.type == "choice":
        return [value for value in question.values if value != current]
    if question.type in ("integer", "money") and isinstance(current, int | float):
        low = question.min if question.min is not None else 0
        high = question.max if question.max is not None else math.inf
        values = []
        for factor in NUMBER_FACTORS:
            value = min(max(current * factor, low), high)
            if question.type == "integer":
                value = int(round(value))
            if value != current and value not in values:
                values.append(value)
        return values
    return []


def flips(bank: QuestionBank, answers: Mapping[str, Any], base: Decision,
          decide_for: Decider, prime: Primer | None = None
          ) -> list[tuple[str, Any, Any, StrategyId, SourceId]]:
    """(question, current, alternative, strategy, source) for answers that change the result."""
    found: list[tuple[str, Any, Any, StrategyId, SourceId]] = []
    merged = bank.defaults() | dict(answers)
    if prime is not None:
        prime([dict(answers) | {question.id: alternative} for question in bank.questions
               if question.applies(merged) and question.id in answers
               for alternative in alternatives(question, answers[question.id])])
    for question in bank.questions:
        if not question.applies(merged) or question.id not in answers:
            continue
        current = answers[question.id]
        for alternative in alternatives(question, current):
            trial = dict(answers)
            trial[question.id] = alternative
            outcome = decide_for(trial).recommended
            if (outcome.id, outcome.source) != (base.recommended.id, base.recommended.source):
                found.append((question.id, current, alternative, outcome.id, outcome.source))
                if question.type in ("integer", "money"):
                    break  # the nearest number that flips it is enough
    return found


def volume_curve(answers: Mapping[str, Any], decide_for: Decider,
                 strategies: Mapping[StrategyId, SourceId], prime: Primer | None = None
                 ) -> list[tuple[int, dict[StrategyId, float], StrategyId]]:
    """Horizon totals of each strategy on its chosen source, and the winner, by volume."""
    points = []
    if prime is not None:
        prime([dict(answers) | {"monthly_queries": volume} for volume in VOLUME_GRID])
    for volume in VOLUME_GRID:
        decision = decide_for(dict(answers) | {"monthly_queries": volume})
        totals = {s.id: s.economics[strategies[s.id]].horizon_total
                  for s in decision.ranked if strategies[s.id] in s.economics}
        points.append((volume, totals, decision.recommended.id))
    return points


def changes_at(answers: Mapping[str, Any], decide_for: Decider,
               curve: list[tuple[int, dict[StrategyId, float], StrategyId]],
               prime: Primer | None = None) -> list[int]:
    """Volumes where the recommended strategy changes, found by bisection on the grid."""
    found = []
    primed: set[int] = set()
    for (low, _, left), (high, _, right) in zip(curve, curve[1:], strict=False):
        if left == right:
            continue
        while high - low > max(1, low // 100):
            middle = (low + high) // 2
            if prime is not None and middle not in primed:
                # Cost the next few levels of the bisection, whichever way it goes, in one pass.
                ahead = _midpoints(low, high, BISECT_AHEAD)
                primed.update(ahead)
                prime([dict(answers) | {"monthly_queries": volume} for volume in ahead])
            if decide_for(dict(answers) | {"monthly_queries": middle}).recommended.id == left:
                low = middle
            else:
                high = middle
        found.append(high)
    return found


def _midpoints(low: int, high: int, depth: int) -> list[int]:
    """The volumes the bisection between ``low`` and ``high`` may try in its next ``depth`` steps."""
    if depth == 0 or high - low <= max(1, low // 100):
        return []
    middle = (low + high) // 2
    return [middle, *_midpoints(middle, high, depth - 1), *_midpoints(low, middle, depth - 1)]


def tornado(ranges: Mapping[str, tuple[float, float]], leader: StrategyId,
            outcome: Callable[[str, float], tuple[float, StrategyId]],
            limit: int = 12) -> list[tuple[str, float, float, float, float, StrategyId, StrategyId]]:
    """(key, low, high, total at low, total at high, winner at low, winner at high).

    Each assumption is set to its low and its high in turn; ``outcome`` gives the
    leading strategy's horizon total and the recommended strategy there. The
    widest swings come first.
    """
    bars: list[tuple[str, float, float, float, float, StrategyId, StrategyId]] = []
    for key, (low, high) in ranges.items():
        if low == high:
            continue
        (at_low, winner_low), (at_high, winner_high) = outcome(key, low), outcome(key, high)
        bars.append((key, low, high, at_low, at_high, winner_low, winner_high))
    bars.sort(key=lambda bar: (-(abs(bar[4] - bar[3])), bar[0]))
    flipping = [bar for bar in bars if leader not in (bar[5], bar[6])
                or bar[5] != bar[6]]
    chosen = bars[:limit] + [bar for bar in flipping if bar not in bars[:limit]]
    return chosen
