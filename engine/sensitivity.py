"""What would change the decision: other answers, other assumptions, other volumes."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tunewise.engine.assessment import SourceId, StrategyId
from tunewise.engine.decide import Decision
from tunewise.engine.picks import Outcome
from tunewise.engine.questions import Question, QuestionBank

VOLUME_GRID = (0, 1_000, 3_000, 10_000, 30_000, 100_000, 300_000, 1_000_000, 3_000_000,
               10_000_000, 30_000_000, 100_000_000)
NUMBER_FACTORS = (0.1, 0.5, 2.0, 10.0)

# (question, answer) changes to the base answers in, each one's pick, model source and ranking
# out (engine/scenarios.py `Scenarios.changes`).
Changes = Callable[[Sequence[tuple[str, Any]]], list[Outcome]]
# The horizon totals of strategies on sources with one answer changed, None where not costed there.
TotalsOf = Callable[[tuple[str, Any], Sequence[tuple[StrategyId, SourceId]]], "list[float | None]"]
# Volumes in, the recommended strategy at each out (engine/scenarios.py `Scenarios.winners_at`).
Winners = Callable[[Sequence[int]], list[StrategyId]]
# How many levels of a bisection to decide at once. A pass costs about as much as 2,000 more
# volumes in it, and 1 % of the lower end needs 8-10 levels: one pass nearly always does.
BISECT_AHEAD = 11


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


def flip_changes(bank: QuestionBank, answers: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """Every (question, other answer) that `flips` tries."""
    merged = bank.defaults() | dict(answers)
    return [(question.id, alternative) for question in bank.questions
            if question.applies(merged) and question.id in answers
            for alternative in alternatives(question, answers[question.id])]


def grid_changes() -> list[tuple[str, Any]]:
    """The volumes `volume_curve` tries, as changes to the answers."""
    return [("monthly_queries", volume) for volume in VOLUME_GRID]


def flips(bank: QuestionBank, answers: Mapping[str, Any], base: Decision, tried: Sequence[tuple[str, Any]],
          outcomes: Sequence[Outcome]) -> list[tuple[str, Any, Any, StrategyId, SourceId]]:
    """(question, current, alternative, strategy, source) for answers that change the result, from
    the outcomes of the changes `flip_changes` gives (``tried``)."""
    found: list[tuple[str, Any, Any, StrategyId, SourceId]] = []
    stop = None
    for (question, alternative), outcome in zip(tried, outcomes, strict=True):
        if question == stop:
            continue
        if (outcome.strategy, outcome.source) != (base.recommended.id, base.recommended.source):
            found.append((question, answers[question], alternative, outcome.strategy, outcome.source))
            if bank.by_id[question].type in ("integer", "money"):
                stop = question  # the nearest number that flips it is enough
    return found


def volume_curve(changes: Changes, totals_of: TotalsOf, strategies: Mapping[StrategyId, SourceId]
                 ) -> list[tuple[int, dict[StrategyId, float], StrategyId]]:
    """Horizon totals of each strategy on its chosen source, and the winner, by volume."""
    points = []
    grid = grid_changes()
    for change, outcome in zip(grid, changes(grid), strict=True):
        found = totals_of(change, [(strategy, strategies[strategy]) for strategy in outcome.ranked])
        totals = {strategy: total for strategy, total in zip(outcome.ranked, found, strict=True)
                  if total is not None}
        points.append((change[1], totals, outcome.strategy))
    return points


def changes_at(winners: Winners, curve: list[tuple[int, dict[StrategyId, float], StrategyId]]) -> list[int]:
    """Volumes where the recommended strategy changes, found by bisection on the grid.

    Every interval of the grid whose ends differ is bisected at the same time: each pass
    decides the next few levels of all of them, whichever way each goes.
    """
    searches = [_Search(low, high, left) for (low, _, left), (high, _, right)
                in zip(curve, curve[1:], strict=False) if left != right]
    known: dict[int, StrategyId] = {}
    while True:
        ahead: list[int] = []
        for search in searches:
            search.narrow(known)
            ahead += _midpoints(search.low, search.high, BISECT_AHEAD)
        fresh = [volume for volume in dict.fromkeys(ahead) if volume not in known]
        if not fresh:
            return [search.high for search in searches]
        known.update(zip(fresh, winners(fresh), strict=True))


@dataclass
class _Search:
    """One bisection: the pick at ``low`` is ``left``, at ``high`` another."""

    low: int
    high: int
    left: StrategyId

    def narrow(self, known: Mapping[int, StrategyId]) -> None:
        """Bisect as far as the volumes decided so far allow."""
        while self.high - self.low > max(1, self.low // 100):
            middle = (self.low + self.high) // 2
            if middle not in known:
                break
            if known[middle] == self.left:
                self.low = middle
            else:
                self.high = middle


def _midpoints(low: int, high: int, depth: int) -> list[int]:
    """The volumes the bisection between ``low`` and ``high`` may try in its next ``depth`` steps."""
    found: list[int] = []
    level = [(low, high)]
    for _ in range(depth):
        deeper = []
        for left, right in level:
            if right - left > max(1, left // 100):
                middle = (left + right) // 2
                found.append(middle)
                deeper += [(left, middle), (middle, right)]
        level = deeper
    return found


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
