"""Many decisions that differ from one base decision in a few answers, costed together.

The sensitivity analysis asks the decision again for about a hundred changed answer
sets (each other answer to a question, a grid of volumes, a bisection between two of
them). Rerunning the whole scalar decision for each was most of an assessment's time.
Here the answers that changed are compared with what each strategy's costs read
(`CostModel.answers_read`): costs that cannot have changed are reused, and the rest are
evaluated for all trials at once, one numpy pass per strategy, model source and
formula plan. The gates, the ranking and the verdict then run per trial as before
(engine/decide.py), so every trial concludes exactly what a fresh decision would.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from tunewise.engine.conditions import questions_named
from tunewise.engine.cost_model import load_cost_model
from tunewise.engine.costs import Economics, totals_only
from tunewise.engine.decide import Decision, RuleStage, decide, effective_answers, rule_stage
from tunewise.engine.montecarlo import StageTotals, stage_totals
from tunewise.engine.picks import Gates, Outcome, build_picks
from tunewise.engine.questions import QuestionBank
from tunewise.engine.rules import RuleBook

# Below this many trials sharing a plan, scalar evaluation is as fast as a numpy pass.
MIN_BATCH = 3
_ABSENT = object()
# What the picks read of each trial's costs (engine/montecarlo.StageTotals' names).
_COLUMNS = ("upfront", "monthly", "benefit", "weeks_to_live", "error_reduction", "errors_avoided_monthly",
            "retrains_per_month", "ip_asset_value")

AnswerKey = tuple[tuple[str, Any], ...]


def answer_key(answers: Mapping[str, Any]) -> AnswerKey:
    return tuple(sorted(answers.items()))


class Scenarios:
    """Decisions for answer sets near a base decision's, with the costs shared where they can be."""

    def __init__(self, book: RuleBook, bank: QuestionBank, values: Mapping[str, float],
                 effective: Mapping[str, Any], base: Decision):
        self.book, self.bank, self.values = book, bank, values
        self.effective = dict(effective)
        self.base: dict[tuple[str, str], Economics] = {(item.id, source): economics for item in base.ranked
                     for source, economics in item.economics.items()}
        self.stage = rule_stage(book, effective)
        self.known: dict[tuple[AnswerKey, str, str], Economics] = {}
        self.decisions: dict[AnswerKey, Decision] = {}
        self.found: dict[AnswerKey, Outcome] = {}
        self.stages: dict[AnswerKey, RuleStage] = {}
        self.effectives: dict[AnswerKey, dict[str, Any]] = {}
        # The rules read only some answers: trials that agree on those share their gates.
        self.rule_questions = tuple(sorted(
            {q for rule in book.source_rules
             for q in questions_named(rule.when) + questions_named(rule.unless)}
            | {q for rule in book.exclusions for q in questions_named(rule.when)}
            | {q for rule in book.priced_effects for q in questions_named(rule.when)}))
        self.rule_stages: dict[tuple[Any, ...], RuleStage] = {}
        self.model = load_cost_model()

    def _effective(self, answers: Mapping[str, Any]) -> dict[str, Any]:
        key = answer_key(answers)
        found = self.effectives.get(key)
        if found is None:
            found = self.effectives[key] = effective_answers(self.bank, answers)
        return found

    def _changed(self, trial: Mapping[str, Any]) -> set[str]:
        base = self.effective
        return {key for key in trial.keys() | base.keys()
                if trial.get(key, _ABSENT) != base.get(key, _ABSENT)}

    def _stage(self, trial: Mapping[str, Any], key: AnswerKey) -> RuleStage:
        found = self.stages.get(key)
        if found is None:
            if not self._changed(trial):
                found = self.stage
            else:
                read = tuple(trial.get(q) for q in self.rule_questions)
                found = self.rule_stages.get(read)
                if found is None:
                    found = self.rule_stages[read] = rule_stage(self.book, trial)
            self.stages[key] = found
        return found

    def _unchanged(self, trial: Mapping[str, Any], changed: set[str], strategy: str,
                   source: str) -> bool:
        return (strategy, source) in self.base and not changed.intersection(
            self.model.answers_read(trial, strategy, source))

    def prime(self, answer_sets: Iterable[Mapping[str, Any]]) -> None:
        """Cost every strategy for all these answer sets ahead of deciding them."""
        trials: dict[AnswerKey, tuple[dict[str, Any], set[str]]] = {}
        for answers in answer_sets:
            trial = self._effective(answers)
            key = answer_key(trial)
            if key not in trials and key not in self.decisions:
                trials[key] = (trial, self._changed(trial))
        for strategy, source in self.base:
            groups: dict[tuple[Any, ...], list[tuple[AnswerKey, dict[str, Any]]]] = {}
            for key, (trial, changed) in trials.items():
                if (key, strategy, source) in self.known or self._unchanged(trial, changed, strategy, source):
                    continue
                plan = self.model._key(trial, strategy, source)
                groups.setdefault(plan, []).append((key, trial))
            for members in groups.values():
                if len(members) >= MIN_BATCH:
                    self._evaluate(members, strategy, source)

    def _evaluate(self, members: list[tuple[AnswerKey, dict[str, Any]]], strategy: str,
                  source: str) -> None:
        """One numpy pass over trials that share a formula plan: inputs that differ become columns."""
        model = self.model
        inputs = [model.inputs({}, trial, strategy, source, float(trial.get("monthly_queries") or 0))
                  for _, trial in members]
        env: dict[str, Any] = dict(self.values)
        env.update(inputs[0])
        # Only inputs the plan's formulas read can make a difference; the rest keep the first's.
        for name in model.inputs_read(members[0][1], strategy, source):
            first = env[name]
            column = [found[name] for found in inputs]
            if any(x != first for x in column):
                env[name] = np.array(column, dtype=float)
        for name, run in model.plan(members[0][1], strategy, source):
            env[name] = run(env)
        totals = stage_totals(env, strategy, source, len(members))
        horizon = int(self.values["horizon_months"])
        for at, (key, _) in enumerate(members):
            self.known[(key, strategy, source)] = totals.economics(strategy, source, horizon, at)

    def outcomes(self, answer_sets: Sequence[Mapping[str, Any]]) -> list[Outcome]:
        """Each answer set's pick, model source and ranking, decided over numpy columns where
        clear (engine/picks.py) and by the scalar decision elsewhere."""
        self.prime(answer_sets)
        trials = [self._effective(answers) for answers in answer_sets]
        keys = [answer_key(trial) for trial in trials]
        todo = {key: (trial, answers) for key, trial, answers in zip(keys, trials, answer_sets, strict=True)
                if key not in self.found}
        if todo:
            self._columns([trial for trial, _ in todo.values()], list(todo))
            for key, (_, answers) in todo.items():
                if key not in self.found:
                    decision = self.decide(answers)
                    self.found[key] = Outcome(decision.recommended.id, decision.recommended.source,
                                              tuple(s.id for s in decision.ranked))
        return [self.found[key] for key in keys]

    def outcome(self, answers: Mapping[str, Any]) -> Outcome:
        return self.outcomes([answers])[0]

    def horizon_total(self, answers: Mapping[str, Any], strategy: str, source: str) -> float | None:
        """The horizon total of one strategy on one source for these answers, when it is costed."""
        trial = self._effective(answers)
        key = answer_key(trial)
        if source not in (self._stage(trial, key).scored[strategy].allowed or ("open_weights",)):
            return None
        return self._economics(trial, key, self._changed(trial), strategy, source).horizon_total

    def _economics(self, trial: Mapping[str, Any], key: AnswerKey, changed: set[str], strategy: str,
                   source: str) -> Economics:
        found = self.known.get((key, strategy, source))
        if found is None:
            if self._unchanged(trial, changed, strategy, source):
                found = self.base[(strategy, source)]
            else:
                found = totals_only(self.values, strategy, source, trial,
                                    near=self.base.get((strategy, source)), near_answers=self.effective)
                self.known[(key, strategy, source)] = found
        return found

    def _columns(self, trials: list[dict[str, Any]], keys: list[AnswerKey]) -> None:
        """Decide trials over columns; those it cannot call stay out of ``found``."""
        stages = [self._stage(trial, key) for trial, key in zip(trials, keys, strict=True)]
        changes = [self._changed(trial) for trial in trials]
        totals: dict[tuple[str, str], StageTotals] = {}
        count = len(trials)
        for strategy in self.stage.scored:
            for source in ("closed_api", "open_weights"):
                columns: dict[str, list[float]] = {name: [0.0] * count for name in _COLUMNS}
                used = False
                for at, (trial, key, stage, changed) in enumerate(zip(trials, keys, stages, changes,
                                                                      strict=True)):
                    if source not in (stage.scored[strategy].allowed or ("open_weights",)):
                        continue
                    used = True
                    e = self._economics(trial, key, changed, strategy, source)
                    for name, value in zip(_COLUMNS, (
                            e.upfront_total, e.monthly_total, e.benefit_monthly, e.weeks_to_live,
                            e.error_reduction, e.errors_avoided_monthly, e.retrains_per_month,
                            e.one_off_benefit), strict=True):
                        columns[name][at] = value
                if used:
                    totals[(strategy, source)] = StageTotals({name: np.array(values, dtype=float)
                                                              for name, values in columns.items()})
        gates = Gates.of(stages, trials)
        horizon = int(self.values["horizon_months"])
        for key, outcome in zip(keys, build_picks(gates, totals, count, horizon, self.values), strict=True):
            if outcome is not None:
                self.found[key] = outcome

    def decide(self, answers: Mapping[str, Any]) -> Decision:
        """The decision for these answers (the pick and its costs; no reasons priced)."""
        trial = self._effective(answers)
        key = answer_key(trial)
        found = self.decisions.get(key)
        if found is not None:
            return found
        changed = self._changed(trial)

        def reuse(strategy: str, source: str) -> Economics | None:
            known = self.known.get((key, strategy, source))
            if known is None and self._unchanged(trial, changed, strategy, source):
                known = self.base[(strategy, source)]
            return known

        stage = self.stage if not changed else None
        found = self.decisions[key] = decide(self.book, trial, self.values, reuse=reuse, stage=stage,
                                             explain=False)
        return found
