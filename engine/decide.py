"""The decision core: answers and assumption values in, ranked strategies out.

Kept free of pydantic and string formatting in its inner loop because the
sensitivity analysis reruns it a few hundred times per assessment.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tunewise.engine.conditions import holds
from tunewise.engine.costs import Economics, economics, money
from tunewise.engine.questions import QuestionBank
from tunewise.engine.rules import RuleBook
from tunewise.engine.verdict import deterministic_value, limit_gates, shortfall_of, verdict_for, warnings_for

ECONOMICS_WEIGHT = 0.3
BUDGET_WEIGHT = 0.8
TIMELINE_WEIGHT = 0.6
EXCLUDE_OVER = 1.0  # ruled out when more than double the budget or the deadline


@dataclass(slots=True)
class Effect:
    question: str
    strategy: str
    effect: float
    text: str
    rule: str
    kind: str


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
    id: str
    raw: float
    eligible: bool = True
    excluded_because: list[str] = field(default_factory=list)
    hard_excluded: bool = False
    within_budget: bool = True
    reasons: list[Effect] = field(default_factory=list)
    source: str = "closed_api"
    allowed: tuple[str, ...] = ()
    economics: dict[str, Economics] = field(default_factory=dict)
    gates: list[GateCheck] = field(default_factory=list)
    shortfall: Shortfall = field(default_factory=Shortfall)
    net_value: float = 0.0
    net_value_p10: float = 0.0
    net_value_p90: float = 0.0
    probability_best: float = 0.0

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
    verdict: str = "build"
    warnings: list[str] = field(default_factory=list)
    next_step: str | None = None


def effective_answers(bank: QuestionBank, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Only the answers to questions that apply; the rest are as if never asked."""
    merged = bank.defaults() | dict(answers)
    return {q.id: merged[q.id] for q in bank.questions if q.id in merged and q.applies(merged)
            and q.id in answers}


def squash(raw: float) -> float:
    """Map an unbounded raw score to 0..1; strictly increasing, so rankings are kept."""
    return 1.0 / (1.0 + math.exp(-1.5 * raw))


def _sources(book: RuleBook, answers: Mapping[str, Any]) -> tuple[str | None, list[Effect],
                                                                    dict[str, float]]:
    required, reasons, preference = None, [], {"closed_api": 0.0, "open_weights": 0.0}
    for rule in book.source_rules:
        if not holds(rule.when, answers):
            continue
        if rule.require:
            required = rule.require
            reasons.append(Effect(rule.question, rule.require, 1.0, rule.reason, rule.id, "source"))
        for source, weight in rule.prefer.items():
            preference[source] += weight
            reasons.append(Effect(rule.question, source, weight, rule.reason, rule.id, "source"))
    return required, reasons, preference


def _constraint(scored: Scored, question: str, cost: float, limit: float, label: str,
                weight: float, kind: str, text: str) -> None:
    if cost <= limit:
        return
    over = math.inf if limit <= 0 else cost / limit - 1.0
    scored.raw -= weight * min(1.0, over)
    scored.reasons.append(Effect(question, scored.id, -weight * min(1.0, over), text, label, kind))
    if over > EXCLUDE_OVER:
        scored.eligible = False
        scored.excluded_because.append(text)


Reuse = Callable[[str, str], "Economics | None"]


@dataclass(slots=True)
class RuleStage:
    """What the rules alone conclude for one set of answers (no costs yet)."""

    scored: dict[str, Scored]
    source_reasons: list[Effect]
    preference: dict[str, float]

    def fresh(self) -> dict[str, Scored]:
        """Copies to which the cost stage can add, leaving this stage reusable."""
        return {key: Scored(item.id, item.raw, item.eligible, list(item.excluded_because),
                            item.hard_excluded, True, list(item.reasons), item.source, item.allowed,
                            gates=list(item.gates))
                for key, item in self.scored.items()}


def rule_stage(book: RuleBook, answers: Mapping[str, Any]) -> RuleStage:
    """Priors, exclusions, rule effects and model-source preferences for the answers."""
    required, source_reasons, preference = _sources(book, answers)
    scored: dict[str, Scored] = {}
    for strategy in book.strategies:
        allowed = tuple(s for s in strategy.sources if required in (None, s))
        scored[strategy.id] = Scored(strategy.id, strategy.prior, allowed=allowed)
        if required:
            reason = next(e.text for e in source_reasons if e.rule and e.strategy == required)
            scored[strategy.id].gates.append(GateCheck("privacy", bool(allowed), reason))
    for exclusion in book.exclusions:
        if holds(exclusion.when, answers):
            for strategy_id in exclusion.excludes:
                item = scored[strategy_id]
                item.eligible, item.hard_excluded = False, True
                item.gates.append(GateCheck(exclusion.gate, False, exclusion.reason))
                item.excluded_because.append(exclusion.reason)
                item.reasons.append(Effect(exclusion.question, strategy_id, 0.0, exclusion.reason,
                                           exclusion.id, "exclusion"))
    for rule in book.rules:
        if holds(rule.when, answers):
            for strategy_id, effect in rule.effects.items():
                scored[strategy_id].raw += effect
                scored[strategy_id].reasons.append(
                    Effect(rule.question, strategy_id, effect, rule.reason, rule.id, "rule"))
    return RuleStage(scored, source_reasons, preference)


def decide(book: RuleBook, answers: Mapping[str, Any], v: Mapping[str, float],
           queries: float | None = None, reuse: Reuse | None = None,
           stage: RuleStage | None = None) -> Decision:
    """Score, constrain and rank every strategy for one set of effective answers.

    ``stage`` (the rules' verdict for these same answers) and ``reuse`` (costs
    known not to change) let sensitivity runs skip work whose result is known.
    """
    stage = stage or rule_stage(book, answers)
    scored = stage.fresh()
    for item in scored.values():
        _economics(item, answers, v, queries, stage.preference, reuse)
    # Eligible first, then those ruled out only by budget or deadline, then the rest.
    ranked = sorted(scored.values(), key=lambda s: (not s.eligible, s.hard_excluded, -s.raw))
    decision = _recommend(ranked, stage.source_reasons, stage.preference)
    _conclude(book, decision, answers, v)
    return decision


def _value(item: Scored, answers: Mapping[str, Any], v: Mapping[str, float]) -> None:
    """Net value, limit gates and shortfall of the strategy on its chosen source."""
    chosen = item.chosen
    item.net_value = item.net_value_p10 = item.net_value_p90 = deterministic_value(chosen, v)
    item.gates.extend(GateCheck(*gate) for gate in limit_gates(chosen, answers))
    item.shortfall = Shortfall(*shortfall_of(chosen, answers))


def _conclude(book: RuleBook, decision: Decision, answers: Mapping[str, Any],
              v: Mapping[str, float]) -> None:
    for item in decision.ranked:
        _value(item, answers, v)
    eligible = [s for s in decision.ranked if s.eligible]
    if eligible:
        max(eligible, key=lambda s: s.net_value).probability_best = 1.0
    decision.verdict = verdict_for(decision.ranked)
    labels = {s.id: s.label for s in book.strategies}
    decision.warnings = warnings_for(decision.ranked, answers, v, decision.recommended,
                                     decision.verdict, labels)


def _economics(item: Scored, answers: Mapping[str, Any], v: Mapping[str, float],
               queries: float | None, preference: dict[str, float], reuse: Reuse | None) -> None:
    """Cost each allowed source, pick one, and let costs, budget and deadline move the score."""
    for source in item.allowed:
        known = reuse(item.id, source) if reuse else None
        item.economics[source] = known or economics(v, item.id, source, answers, queries)
    options = list(item.economics.values())
    budget_up = answers.get("budget_upfront", math.inf)
    budget_month = answers.get("budget_monthly", math.inf)

    def appeal(e: Economics) -> float:
        cheapest = min(o.horizon_total for o in options) or 1.0
        over_budget = e.upfront_total > budget_up or e.monthly_total > budget_month
        return (preference[e.source] - 0.4 * (e.horizon_total / cheapest - 1.0)
                - (0.5 if over_budget else 0.0))

    item.source = max(options, key=appeal).source
    # The score uses the best case over the allowed sources so that it moves
    # monotonically with the answers, whichever source is finally chosen.
    best_roi = max((o.roi for o in options if o.roi is not None), default=None)
    # Applied to ruled-out strategies too, so that ruling one out never raises its score.
    if best_roi is not None:
        effect = ECONOMICS_WEIGHT * math.tanh(best_roi / 2.0)
        item.raw += effect
        horizon = options[0].horizon_months
        item.reasons.append(Effect(
            "monthly_queries", item.id, effect,
            f"Over {horizon} months the expected benefit is {best_roi + 1:.1f} times the cost "
            f"at best (ROI {best_roi:.0%}).", "economics", "economics"))
    cheapest_up = min(o.upfront_total for o in options)
    cheapest_month = min(o.monthly_total for o in options)
    _constraint(item, "budget_upfront", cheapest_up, budget_up, "budget_upfront", BUDGET_WEIGHT,
                "budget", f"Costs {money(cheapest_up)} upfront at the least, over the "
                f"{money(budget_up)} budget.")
    _constraint(item, "budget_monthly", cheapest_month, budget_month, "budget_monthly",
                BUDGET_WEIGHT, "budget", f"Costs {money(cheapest_month)} a month at the least, "
                f"over the {money(budget_month)} monthly budget.")
    item.within_budget = cheapest_up <= budget_up and cheapest_month <= budget_month
    weeks = options[0].weeks_to_live
    deadline = answers.get("timeline_weeks", math.inf)
    _constraint(item, "timeline_weeks", weeks, deadline, "timeline", TIMELINE_WEIGHT, "timeline",
                f"Needs about {weeks:.0f} weeks to go live; the deadline is {deadline:g} weeks.")


def _recommend(ranked: list[Scored], source_reasons: list[Effect],
               preference: dict[str, float]) -> Decision:
    eligible = [s for s in ranked if s.eligible]
    within = bool(eligible)
    if not eligible:
        # Nothing fits every constraint: recommend the best of those ruled out only by
        # budget or deadline, and say so, rather than recommend nothing.
        eligible = [s for s in ranked if not s.hard_excluded] or ranked
        eligible = sorted(eligible, key=lambda s: -s.raw)
    best = eligible[0]
    runner = eligible[1] if len(eligible) > 1 else None
    margin = best.raw - runner.raw if runner else 2.0
    if runner is None:
        # Every alternative is ruled out; name the best of them as runner-up all the same.
        runner = next((s for s in ranked if s is not best), None)
    # Nothing within the constraints means the pick is the least bad, not a confident one.
    confidence = 0.5 + 0.5 * math.tanh(max(0.0, margin)) if within else 0.5
    ordered = [best] + [s for s in ranked if s is not best]
    return Decision(ordered, best, runner, confidence, within, source_reasons, preference)
