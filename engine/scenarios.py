"""Many decisions that differ from one base decision in a few answers, costed together.

The sensitivity analysis asks the decision again for several hundred changed answer
sets (each other answer to a question, a grid of volumes, a bisection between two of
them). Each batch of them is costed in one numpy pass per strategy and model source:
the base answers' evaluation is the starting point, the answer inputs that differ
become columns, and only the formula steps that read them (directly or through earlier
steps) run again. Formula plans differ only in their lookups, so trials with other
lookup answers share the pass too. The picks are then made over the columns
(engine/picks.py); where that cannot call a trial, the scalar decision (engine/decide.py)
does, so every trial concludes exactly what a fresh decision would
(tests/test_engine_incremental.py checks it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from tunewise.engine.assessment import StrategyId
from tunewise.engine.conditions import questions_named
from tunewise.engine.cost_model import load_cost_model
from tunewise.engine.costs import Economics
from tunewise.engine.decide import Decision, RuleStage, decide, effective_answers, rule_stage
from tunewise.engine.memo import remembered
from tunewise.engine.montecarlo import StageTotals, stage_totals
from tunewise.engine.picks import Gates, Outcome, build_picks, pick_strategies
from tunewise.engine.questions import QuestionBank
from tunewise.engine.rules import RuleBook

_ABSENT = object()

AnswerKey = tuple[tuple[str, Any], ...]
SOURCES = ("closed_api", "open_weights")
# A trial's key, and the answers that apply in it (None when they are the base's but one free answer).
_Keyed = tuple[AnswerKey, "dict[str, Any] | None"]


def answer_key(answers: Mapping[str, Any]) -> AnswerKey:
    return tuple(sorted(answers.items()))


@dataclass
class _Trial:
    """One answer set to decide: its key, the answers that apply, its gates, and the answer inputs
    that differ from the base's (a catalogue figure's trials are `FigureTrial`s)."""

    key: AnswerKey
    answers: dict[str, Any]
    stage: RuleStage
    delta: Mapping[str, float]


@dataclass
class FigureTrial:
    """One catalogue figure at another value, the answers as the base's: every option's stage
    totals in its batch (at position ``at``) and the pick, None where the scalar decision must say."""

    totals: dict[tuple[str, str], StageTotals]
    at: int
    picked: Outcome | None


def _columns(base: Mapping[str, float], trials: list[_Trial], figures: Sequence[tuple[str, float]]
             ) -> dict[str, np.ndarray]:
    """The inputs that differ from the base's in any trial, as columns (rows of one table, filled
    in one numpy step). The ``figures`` trials come after ``trials``, one figure changed each."""
    names: dict[str, int] = {}
    rows, trials_at, values = [], [], []
    for at, trial in enumerate(trials):
        for name, value in trial.delta.items():
            rows.append(names.setdefault(name, len(names)))
            trials_at.append(at)
            values.append(value)
    rows += [names.setdefault(name, len(names)) for name, _ in figures]
    trials_at += range(len(trials), len(trials) + len(figures))
    values += [value for _, value in figures]
    count = len(trials) + len(figures)
    table = np.repeat(np.array([base[name] for name in names], dtype=float)[:, None], count, axis=1)
    table[rows, trials_at] = values
    return dict(zip(names, table, strict=True))


class Scenarios:
    """Decisions for answer sets near a base decision's, with the costs shared where they can be."""

    def __init__(self, book: RuleBook, bank: QuestionBank, values: Mapping[str, float],
                 effective: Mapping[str, Any], base: Decision):
        self.book, self.bank, self.values = book, bank, values
        self.effective = dict(effective)
        self.base: dict[tuple[str, str], Economics] = base.costed()
        self.stage = rule_stage(book, effective)
        self.known: dict[tuple[AnswerKey, str, str], Economics] = {}
        self.decisions: dict[AnswerKey, Decision] = {}
        self.found: dict[AnswerKey, Outcome] = {}
        self.stages: dict[AnswerKey, RuleStage] = {}
        self.effectives: dict[AnswerKey, dict[str, Any]] = {}
        self.keyed: dict[tuple[Any, ...], tuple[Mapping[str, Any], _Keyed]] = {}
        self.rule_questions = book.rule_questions
        self.model = load_cost_model()
        read_by_when = {q for question in bank.questions for q in questions_named(question.when)}
        self.free = free_questions(bank, read_by_when | set(self.rule_questions), self.model)
        self.plain = frozenset(q for q in self.effective if q not in read_by_when)
        # Trials costed together in a batch: their totals, by trial, until asked.
        self.batched: dict[AnswerKey, tuple[dict[tuple[str, str], StageTotals], int]] = {}
        self.figures: dict[tuple[str, float], FigureTrial] = {}
        self.base_inputs = self.model._answer_inputs(self.effective, frozenset())
        # (answer inputs and catalogue figures share one namespace in an evaluation)
        self.base_columns = dict(values) | self.base_inputs
        self.base_queries = float(self.effective.get("monthly_queries") or 0)
        self.base_envs: dict[tuple[str, str], dict[str, Any]] = {}
        self.base_key = answer_key(self.effective)
        self.base_positions = {question: at for at, (question, _) in enumerate(self.base_key)}

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
            # (trials that agree on the answers the rules read share a stage: `rule_stage` keeps them)
            found = self.stages[key] = rule_stage(self.book, trial)
        return found

    def _unchanged(self, trial: Mapping[str, Any], changed: set[str], strategy: str,
                   source: str) -> bool:
        return (strategy, source) in self.base and not changed.intersection(
            self.model.answers_read(trial, strategy, source))

    def changes(self, changes: Sequence[tuple[str, Any]], answers: Mapping[str, Any] | None = None,
                figures: Sequence[tuple[str, float]] = ()) -> list[Outcome]:
        """The outcome of ``answers`` (the base's by default) with one question changed, per change,
        all costed and picked in one numpy pass. A change to a free question (`free_questions`)
        keeps the base's gates and answers but that one, so it needs no work of its own.

        ``figures`` (catalogue key, value) join the same pass: the base answers with that one
        figure changed, as the tornado tries them; their outcomes are kept in `figures`."""
        raw = self.effective if answers is None else answers
        # A question no other one's applicability reads, answered and applying in the base, changes
        # only itself among the answers that apply (when ``raw`` is the base's own answers).
        plain = self.plain if answers is None or self._effective(raw) == self.effective else frozenset()
        keys: list[AnswerKey] = []
        todo: dict[AnswerKey, _Trial] = {}
        for question, value in changes:
            key, trial = self._keyed(question, value, raw, plain)
            if key not in self.found and key not in todo:
                if trial is None:
                    answers = self.effective | {question: value}
                    delta = self.model.changed_inputs(answers, {question}, self.base_inputs)
                    todo[key] = _Trial(key, answers, self.stage, delta)
                else:
                    todo[key] = _Trial(key, trial, self._stage(trial, key), self._delta(trial))
            keys.append(key)
        fresh = [figure for figure in dict.fromkeys(figures) if figure not in self.figures]
        if todo or fresh:
            self._batch(list(todo.values()), fresh)
        return [self.found[key] for key in keys]

    def _keyed(self, question: str, value: Any, raw: Mapping[str, Any], plain: frozenset[str]) -> _Keyed:
        """The key of ``raw`` with one answer changed, and the answers that then apply (None for a
        free question: the base's with that one changed, made only if needed). The sensitivity
        asks for most changes more than once (to decide them, then to read them): kept."""
        def make() -> _Keyed:
            if question in self.free and value is not None:
                return self._free_key(question, value), None
            trial = (self.effective | {question: value} if question in plain and value is not None
                     else self._effective(dict(raw) | {question: value}))
            return answer_key(trial), trial

        return remembered(self.keyed, (id(raw), plain, question, type(value), value), raw, make)

    def winners_at(self, volumes: Sequence[int]) -> list[StrategyId]:
        """The recommended strategy at each volume, every other answer as the base's: what the
        bisection for the volumes where the pick changes asks, hundreds of times. The volume is a
        free question, so all of them share the gates and plans: one pass, and no per-trial work."""
        if "monthly_queries" not in self.free:
            return [outcome.strategy for outcome in self.changes([("monthly_queries", v) for v in volumes])]
        count = len(volumes)
        column = np.array(volumes, dtype=float)
        columns = {"monthly_queries": column, "answered_monthly_queries": np.ones(count), "queries": column}
        everyone = list(range(count))
        lookups: list[list[tuple[Mapping[str, Any], list[int]]]] = [
            [(self.effective, everyone)] for _ in self.model.data.lookups]
        totals = self._totals(count, lookups, columns, list(self.base))
        picks = pick_strategies(Gates.uniform(self.stage, self.effective, count), totals, count,
                                int(self.values["horizon_months"]), self.values)
        return [picked if picked is not None
                else self.decide(self.effective | {"monthly_queries": volume}).recommended.id
                for volume, picked in zip(volumes, picks, strict=True)]

    def _free_key(self, question: str, value: Any) -> AnswerKey:
        """`answer_key` of the base answers with one answer changed, without sorting them again."""
        at = self.base_positions.get(question)
        if at is None:
            return answer_key(self.effective | {question: value})
        return (*self.base_key[:at], (question, value), *self.base_key[at + 1:])

    def change_totals(self, change: tuple[str, Any], strategies: Sequence[tuple[str, str]]
                      ) -> list[float | None]:
        """The horizon total of each (strategy, source) with one answer of the base changed, read
        from the batch that decided that change; None where its gates do not cost that source."""
        key, trial = self._keyed(*change, self.effective, self.plain)
        stage = self.stage if trial is None else self._stage(trial, key)
        if key not in self.batched:
            self.changes([change])
        totals, at = self.batched[key]
        horizon = int(self.values["horizon_months"])
        found: list[float | None] = []
        for strategy, source in strategies:
            if source not in (stage.scored[strategy].allowed or ("open_weights",)):
                found.append(None)
                continue
            assert (strategy, source) in totals, "a batch costs every source its trials' gates allow"
            found.append(totals[(strategy, source)].horizon_total(horizon, at))
        return found

    def _delta(self, trial: Mapping[str, Any]) -> dict[str, float]:
        return self.model.changed_inputs(trial, self._changed(trial), self.base_inputs)

    def _batch(self, trials: list[_Trial], figures: Sequence[tuple[str, float]] = ()) -> None:
        """Cost every strategy on every source the trials may use, one numpy pass each, then pick.
        The ``figures`` trials (the base answers, one catalogue figure changed) come last."""
        count = len(trials) + len(figures)
        columns = _columns(self.base_columns, trials, figures)
        lookups = self._lookup_groups(trials, len(figures))
        queries = [float(trial.answers.get("monthly_queries") or 0) for trial in trials]
        if any(q != self.base_queries for q in queries):
            columns["queries"] = np.array(queries + [self.base_queries] * len(figures), dtype=float)
        every_stage = [trial.stage for trial in trials] + [self.stage] * len(figures)
        stages = list({id(stage): stage for stage in every_stage}.values())
        pairs = [(strategy, source) for strategy in self.stage.scored for source in SOURCES
                 if any(source in (stage.scored[strategy].allowed or ("open_weights",)) for stage in stages)]
        totals = self._totals(count, lookups, columns, pairs)
        gates = Gates.of(every_stage, [trial.answers for trial in trials] + [self.effective] * len(figures))
        # the figures the picks read (rates, ramp, chances of success), columns where a trial varies them
        trial_values: dict[str, Any] = dict(self.values)
        trial_values.update((name, column) for name, column in columns.items() if name in self.values)
        picks = build_picks(gates, totals, count, int(self.values["horizon_months"]), trial_values)
        for at, (trial, picked) in enumerate(zip(trials, picks[:len(trials)], strict=True)):
            self.batched[trial.key] = (totals, at)
            if picked is None:
                picked = Outcome.of(self.decide(trial.answers))
            self.found[trial.key] = picked
        # (a figure trial's scalar decision needs its figure: the caller makes it, if asked)
        for at, figure in enumerate(figures, start=len(trials)):
            self.figures[figure] = FigureTrial(totals, at, picks[at])

    def _lookup_groups(self, trials: list[_Trial], figures: int = 0
                       ) -> list[list[tuple[Mapping[str, Any], list[int]]]]:
        """Per lookup, the trials that share its formula, with the answers of one of them. Formula
        plans differ only in their lookups' formulas, each chosen by the answer to one question.
        The last ``figures`` trials have the base's answers."""
        # Many trials share one answer set (every figure trial has the base's): each set once.
        sets: dict[int, tuple[Mapping[str, Any], list[int]]] = {}
        for at, trial in enumerate(trials):
            sets.setdefault(id(trial.answers), (trial.answers, []))[1].append(at)
        if figures:
            sets.setdefault(id(self.effective), (self.effective, []))[1].extend(
                range(len(trials), len(trials) + figures))
        by_answer: dict[tuple[str, str], dict[Any, tuple[Mapping[str, Any], list[int]]]] = {}
        found: list[list[tuple[Mapping[str, Any], list[int]]]] = []
        for lookup in self.model.data.lookups:
            answered = by_answer.get((lookup.answer, lookup.default))
            if answered is None:
                answered = by_answer[(lookup.answer, lookup.default)] = {}
                for answers, positions in sets.values():
                    answer = answers.get(lookup.answer) or lookup.default
                    answered.setdefault(answer, (answers, []))[1].extend(positions)
            groups: dict[str, tuple[Mapping[str, Any], list[int]]] = {}
            for answer, (answers, positions) in answered.items():
                groups.setdefault(lookup.values[answer], (answers, []))[1].extend(positions)
            found.append(list(groups.values()))
        return found

    def _totals(self, count: int, lookups: list[list[tuple[Mapping[str, Any], list[int]]]],
                columns: Mapping[str, np.ndarray], pairs: list[tuple[str, str]]
                ) -> dict[tuple[str, str], StageTotals]:
        """Stage totals of every pair over the trials. A step that gives the same value for a pair
        evaluated before it (`_shared_steps`) takes that value instead of being computed again."""
        shared = self._shared_steps(tuple(pairs), lookups)
        envs: list[dict[str, Any]] = []
        for (strategy, source), copies in zip(pairs, shared, strict=True):
            envs.append(self._evaluate(count, lookups, columns, strategy, source, envs, copies))
        return {(strategy, source): stage_totals(env, strategy, source, count)
                for (strategy, source), env in zip(pairs, envs, strict=True)}

    def _shared_steps(self, pairs: tuple[tuple[str, str], ...],
                      lookups: list[list[tuple[Mapping[str, Any], list[int]]]]) -> list[tuple[int, ...]]:
        """Per pair, for each plan step, the position of an earlier pair whose step has the same
        value in this batch, or -1. Only lookups have formulas chosen by an answer, the same for
        every pair; the trials use several of them, so a lookup is the same in two pairs only if
        none of its formulas reads a name that differs between the two (`cost_model.copy_sources`)."""
        model = self.model
        texts = tuple(tuple(model.lookup_text(lookup, answers) for answers, _ in groups)
                      for lookup, groups in zip(model.data.lookups, lookups, strict=True))
        keys = tuple(model._key(self.effective, strategy, source) for strategy, source in pairs)
        return model.copies(self.effective, keys, texts)

    def _evaluate(self, count: int, lookups: list[list[tuple[Mapping[str, Any], list[int]]]],
                  columns: Mapping[str, np.ndarray], strategy: str, source: str,
                  earlier: Sequence[Mapping[str, Any]] = (), copies: Sequence[int] = ()) -> dict[str, Any]:
        """One strategy on one source for ``count`` trials: the base answers' evaluation, with every
        step that reads a changed input, directly or through earlier steps, rerun over the columns.

        Formula plans differ only in their lookup steps (a lookup's formula is chosen by an
        answer): ``lookups`` holds, per lookup, the trials that share its formula (with the
        answers of one of them); each is run over the columns and its trials keep its result.
        A step whose ``copies`` entry names one of the ``earlier`` evaluations takes its value.
        """
        model = self.model
        env = dict(self._base_env(strategy, source))
        env.update(columns)
        changed = set(columns)
        plans: dict[int, tuple[tuple[str, Any], ...]] = {}
        copies = copies or (-1,) * len(model.plan(self.effective, strategy, source))

        def step(answers: Mapping[str, Any], index: int) -> Any:
            plan = plans.get(id(answers))
            if plan is None:
                plan = plans[id(answers)] = model.plan(answers, strategy, source)
            return plan[index][1]

        for index, groups in enumerate(lookups):
            name = model.data.lookups[index].id
            before = env[name]
            if copies[index] >= 0:
                env[name] = earlier[copies[index]][name]
            elif len(groups) == 1:
                env[name] = step(groups[0][0], index)(env)
            else:
                column = np.empty(count)
                for answers, positions in groups:
                    found = step(answers, index)(env)
                    column[positions] = found[positions] if isinstance(found, np.ndarray) else found
                env[name] = column
            if isinstance(env[name], np.ndarray) or env[name] != before:
                changed.add(name)
        base_key = model._key(self.effective, strategy, source)
        plan = model.plan(self.effective, strategy, source, base_key)
        for index in model._dirty(self.effective, strategy, source, frozenset(changed), base_key):
            if index >= len(lookups):
                name, run = plan[index]
                env[name] = run(env) if copies[index] < 0 else earlier[copies[index]][name]
        return env

    def _base_env(self, strategy: str, source: str) -> dict[str, Any]:
        """The base answers' full evaluation of one strategy on one source (kept: batches start from it)."""
        found = self.base_envs.get((strategy, source))
        if found is None:
            # The base decision costed the sources its gates allow, and kept each evaluation.
            known = self.base.get((strategy, source))
            found = self.base_envs[(strategy, source)] = known.env if known is not None and known.env \
                else self.model.evaluate(self.values, self.effective, strategy, source)
        return found

    def _from_batch(self, key: AnswerKey, strategy: str, source: str) -> Economics | None:
        batched = self.batched.get(key)
        if batched is None or (strategy, source) not in batched[0]:
            return None
        totals, at = batched
        found = self.known[(key, strategy, source)] = totals[(strategy, source)].economics(
            strategy, source, int(self.values["horizon_months"]), at)
        return found

    def decide(self, answers: Mapping[str, Any]) -> Decision:
        """The decision for these answers (the pick and its costs; no reasons priced)."""
        trial = self._effective(answers)
        key = answer_key(trial)
        found = self.decisions.get(key)
        if found is not None:
            return found
        changed = self._changed(trial)

        def reuse(strategy: str, source: str) -> Economics | None:
            known = self.known.get((key, strategy, source)) or self._from_batch(key, strategy, source)
            if known is None and self._unchanged(trial, changed, strategy, source):
                known = self.base[(strategy, source)]
            return known

        stage = self.stage if not changed else None
        found = self.decisions[key] = decide(self.book, trial, self.values, reuse=reuse, stage=stage,
                                             explain=False)
        return found


def free_questions(bank: QuestionBank, read_by_rules: Iterable[str], model: Any) -> frozenset[str]:
    """Number questions whose answer moves only figures: no rule or applicability condition
    (``read_by_rules``), switch or formula plan reads it, and it always applies. Changing one keeps
    every gate and formula plan of the base answers, and the answers that apply are the base's
    with that one changed."""
    read_elsewhere = set(read_by_rules) | {answer for answer, _ in model._lookup_fields}
    read_elsewhere |= {q for condition in model.switches.values() for q in questions_named(condition)}
    return frozenset(q.id for q in bank.questions
                     if q.type in ("integer", "money") and q.when is None and q.id not in read_elsewhere)
