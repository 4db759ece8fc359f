"""The decision: gates first, then the risk-adjusted net present value of what passes.

1. Gates (rules.yaml `exclusions` and `source_rules`, then budget and deadline
   as hard limits) decide what may be recommended; a strategy that fails one is
   shown with its reason and, for limits, the shortfall it would need covered.
2. Each strategy is costed on every model source it may use and runs on the
   one that fits the limits with the highest net value (engine/value.py).
3. The pick is the eligible strategy with the highest net value. The verdict
   (engine/verdict.py) says whether to build it at all.

Kept free of pydantic and string formatting in its inner loop because the
sensitivity analysis reruns it a few hundred times per assessment.
`Scored.raw` (and the assessment's `raw_score`/`score`) is the net value
scaled by the largest net value in magnitude (-1..1), so the live panel's bars
follow the money; `Decision.confidence` is the pick's probability of being
best in the Monte Carlo when one was run, otherwise an estimate from the margin
over the runner-up.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tunewise.engine.assessment import ReasonKind, SourceId, StrategyId, Verdict
from tunewise.engine.conditions import holds
from tunewise.engine.cost_model import load_cost_model
from tunewise.engine.costs import Economics, economics, totals_only
from tunewise.engine.memo import remembered
from tunewise.engine.money import money
from tunewise.engine.questions import QuestionBank
from tunewise.engine.rules import RuleBook
from tunewise.engine.verdict import (
    conclude,
    deterministic_value,
    limit_gates,
    shortfall_of,
)


@dataclass(slots=True)
class Effect:
    """A reason: what one answer does to one strategy. ``effect`` is money on its net value."""

    question: str
    strategy: str
    effect: float
    text: str
    rule: str
    kind: ReasonKind


@dataclass(slots=True)
class GateCheck:
    gate: str
    passed: bool
    text: str


@dataclass(slots=True)
class Shortfall:
    """What a strategy needs beyond the limits to fit: zero everywhere when it fits."""

    upfront: float = 0.0
    monthly: float = 0.0
    weeks: float = 0.0

    @property
    def fits(self) -> bool:
        return self.upfront <= 0 and self.monthly <= 0 and self.weeks <= 0


@dataclass(slots=True)
class Scored:
    id: StrategyId
    raw: float = 0.0
    eligible: bool = True
    excluded_because: list[str] = field(default_factory=list)
    hard_excluded: bool = False
    within_budget: bool = True
    reasons: list[Effect] = field(default_factory=list)
    source: SourceId = "closed_api"
    allowed: tuple[SourceId, ...] = ()
    economics: dict[SourceId, Economics] = field(default_factory=dict)
    gates: list[GateCheck] = field(default_factory=list)
    shortfall: Shortfall = field(default_factory=Shortfall)
    net_value: float = 0.0
    net_value_p10: float = 0.0
    net_value_p90: float = 0.0
    probability_best: float = 0.0
    values: dict[str, float] = field(default_factory=dict)

    @property
    def chosen(self) -> Economics:
        return self.economics[self.source]


@dataclass(slots=True)
class Decision:
    ranked: list[Scored]
    recommended: Scored
    runner_up: Scored | None
    confidence: float
    within_constraints: bool
    source_reasons: list[Effect]
    source_preference: dict[str, float]
    verdict: Verdict = "build"
    warnings: list[str] = field(default_factory=list)
    next_step: str | None = None

    def costed(self) -> dict[tuple[str, str], Economics]:
        """Every evaluation this decision made, by strategy and source: where later ones start."""
        return {(item.id, source): economics for item in self.ranked
                for source, economics in item.economics.items()}


def effective_answers(bank: QuestionBank, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Only the answers to questions that apply; the rest are as if never asked."""
    merged = bank.defaults() | dict(answers)
    return {q.id: merged[q.id] for q in bank.questions if q.id in merged and q.applies(merged)
            and q.id in answers}


def squash(raw: float) -> float:
    """Map a raw score to 0..1; strictly increasing, so rankings are kept."""
    return 1.0 / (1.0 + math.exp(-1.5 * raw))


Reuse = Callable[[StrategyId, SourceId], "Economics | None"]


@dataclass(slots=True)
class RuleStage:
    """What the gates alone conclude for one set of answers (no costs yet)."""

    scored: dict[str, Scored]
    source_reasons: list[Effect]
    effects: list[tuple[str, str, str, tuple[StrategyId, ...], str]]  # id, question, switch, strategies, text
    _flags: tuple[tuple[str, ...], list[list[bool]]] | None = None

    def flags(self) -> tuple[tuple[str, ...], list[list[bool]]]:
        """(the strategies in order, and for each: eligible, ruled out by a gate, allowed on the
        closed API, allowed on open weights), worked out once: the vectorised picks read them
        for every trial that shares this stage."""
        if self._flags is None:
            self._flags = (tuple(self.scored), [
                [item.eligible, item.hard_excluded, "closed_api" in item.allowed,
                 "open_weights" in item.allowed] for item in self.scored.values()])
        return self._flags

    def fresh(self) -> dict[str, Scored]:
        """Copies to which the cost stage can add, leaving this stage reusable."""
        return {key: Scored(item.id, 0.0, item.eligible, list(item.excluded_because),
                            item.hard_excluded, True, list(item.reasons), item.source, item.allowed,
                            gates=list(item.gates))
                for key, item in self.scored.items()}


# Rule stages by rule book and the answers its rules read. A stage is never changed once made
# (`RuleStage.fresh` copies what a decision adds to), so decisions with the same answers to those
# questions share one: the sensitivity analysis asks for a few dozen per assessment, and the next
# assessment in the same process (the TUI after an answer, a batch, a portfolio) mostly the same ones.
_STAGES: dict[tuple[int, tuple[Any, ...]], tuple[RuleBook, RuleStage]] = {}


def rule_stage(book: RuleBook, answers: Mapping[str, Any]) -> RuleStage:
    """Gates that follow from the answers alone, and the priced effects that hold."""
    key = (id(book), tuple(answers.get(question) for question in book.rule_questions))
    return remembered(_STAGES, key, book, lambda: _rule_stage(book, answers))


def _rule_stage(book: RuleBook, answers: Mapping[str, Any]) -> RuleStage:
    required, source_reasons = None, []
    for rule in book.source_rules:
        if holds(rule.when, answers) and not (rule.unless and holds(rule.unless, answers)):
            required = rule.require
            source_reasons.append(Effect(rule.question, rule.require, 0.0, rule.reason, rule.id, "source"))
    scored: dict[str, Scored] = {}
    for strategy in book.strategies:
        allowed = tuple(s for s in strategy.sources if required in (None, s))
        item = scored[strategy.id] = Scored(strategy.id, allowed=allowed)
        if required:
            item.gates.append(GateCheck("privacy", bool(allowed), source_reasons[-1].text))
    for exclusion in book.exclusions:
        if holds(exclusion.when, answers):
            for strategy_id in exclusion.excludes:
                item = scored[strategy_id]
                item.eligible, item.hard_excluded = False, True
                item.excluded_because.append(exclusion.reason)
                item.gates.append(GateCheck(exclusion.gate, False, exclusion.reason))
                item.reasons.append(Effect(exclusion.question, strategy_id, 0.0, exclusion.reason,
                                           exclusion.id, "exclusion"))
    effects = [(e.id, e.question, e.switch, e.strategies, e.reason) for e in book.priced_effects
               if holds(e.when, answers)]
    return RuleStage(scored, source_reasons, effects)


def decide(book: RuleBook, answers: Mapping[str, Any], v: Mapping[str, float],
           queries: float | None = None, reuse: Reuse | None = None,
           stage: RuleStage | None = None, explain: bool = True) -> Decision:
    """Gate, cost, value and rank every strategy for one set of effective answers.

    ``stage`` (the gates for these same answers) and ``reuse`` (costs known not
    to change) let sensitivity runs skip work whose result is known; ``explain``
    prices each effect's reasons (skipped by sensitivity runs, which read only the pick).
    """
    stage = stage or rule_stage(book, answers)
    scored = stage.fresh()
    for item in scored.values():
        _cost(item, answers, v, queries, reuse)
    ranked = sorted(scored.values(), key=_rank_key)
    decision = conclude(ranked, answers, v, {s.id: s.label for s in book.strategies},
                        list(stage.source_reasons))
    if explain:
        for item in ranked:
            _price_effects(item, stage, answers, v, queries)
    return decision


def _rank_key(item: Scored) -> tuple[Any, ...]:
    """Eligible first, then those over a limit only, then those a gate rules out; by net value."""
    order = ("prompt", "rag", "peft", "full_fine_tune", "from_scratch", "hybrid")
    return (not item.eligible, item.hard_excluded, -round(item.net_value, 6),
            round(item.chosen.horizon_total, 6), order.index(item.id))


def _cost(item: Scored, answers: Mapping[str, Any], v: Mapping[str, float],
          queries: float | None, reuse: Reuse | None) -> None:
    """Cost each allowed source and run on the one that fits the limits with the best net value."""
    fallback: tuple[SourceId, ...] = ("open_weights",)
    for source in item.allowed or fallback:
        known = reuse(item.id, source) if reuse else None
        item.economics[source] = known or economics(v, item.id, source, answers, queries)
        item.values[source] = deterministic_value(item.economics[source], v)

    def preference(source: SourceId) -> tuple[Any, ...]:
        # A source that fits, by net value; failing that, the one nearest to fitting, so that as
        # the limits grow the source only ever changes towards one that fits with more value.
        e = item.economics[source]
        up, month, weeks = shortfall_of(e, answers)
        if up <= 0 and month <= 0 and weeks <= 0:
            return (0, 0.0, 0.0, -round(item.values[source], 6), round(e.horizon_total, 6), source)
        return (1, round(up + 12 * month, 6), weeks, -round(item.values[source], 6), 0.0, source)

    item.source = min(item.economics, key=preference)
    chosen = item.chosen
    item.net_value = item.net_value_p10 = item.net_value_p90 = item.values[item.source]
    limits = limit_gates(chosen, answers)
    item.gates.extend(GateCheck(*gate) for gate in limits)
    item.shortfall = Shortfall(*shortfall_of(chosen, answers))
    item.within_budget = all(passed for gate, passed, _ in limits if gate != "deadline")
    for gate, passed, text in limits:
        if not passed:
            item.eligible = False
            item.excluded_because.append(text)
            question = {"deadline": "timeline_weeks"}.get(gate, gate)
            kind: ReasonKind = "timeline" if gate == "deadline" else "budget"
            item.reasons.append(Effect(question, item.id, 0.0, text, gate, kind))
    if not item.allowed:
        item.eligible, item.hard_excluded = False, True


def _price_effects(item: Scored, stage: RuleStage, answers: Mapping[str, Any],
                   v: Mapping[str, float], queries: float | None) -> None:
    """Each priced effect that holds, as a reason whose ``effect`` is its money on net value."""
    model = load_cost_model()
    for effect_id, question, switch, strategies, text in stage.effects:
        if item.id not in strategies:
            continue
        if queries is None:
            # Only the steps that read the switch are recomputed (the same numbers as in full).
            without = totals_only(v, item.id, item.source, answers, near=item.chosen, near_answers=answers,
                                  off=frozenset({switch}))
        else:
            without = economics(v, item.id, item.source, answers, queries, off=frozenset({switch}))
        delta = item.values[item.source] - deterministic_value(without, v)
        if abs(delta) < 0.5 and switch not in model.switches:
            continue
        item.reasons.append(Effect(question, item.id, delta,
                                   f"{text} Effect on net value: {money(delta)}.", effect_id, "rule"))
