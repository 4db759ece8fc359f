"""engine/data/cost_lines.yaml, loaded, checked and evaluated.

`CostModel.evaluate` computes every lookup, derived quantity and line of one
strategy on one model source; values may be floats (one assessment) or numpy
arrays (Monte Carlo draws), because every formula is compiled by
engine/formulas.py to work on both.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, model_validator

from tunewise.engine.conditions import holds, questions_named
from tunewise.engine.formulas import Compiled, FormulaError, compile_formula, names_in, parse
from tunewise.engine.money import money, tokens
from tunewise.engine.questions import load_bank, load_data_yaml

STRATEGIES = ("prompt", "rag", "peft", "full_fine_tune", "from_scratch", "hybrid")
SOURCES = ("closed_api", "open_weights")
FINE_TUNED = frozenset({"peft", "full_fine_tune", "from_scratch", "hybrid"})
RETRIEVES = frozenset({"rag", "hybrid"})
WEEKS_PER_MONTH = 52.0 / 12.0
Stage = Literal["upfront", "monthly", "hidden", "benefit"]
FormulaSpec = str | dict[str, str]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Lookup(_Frozen):
    id: str
    answer: str
    default: str
    unit: str
    label: str
    values: dict[str, str]


class Derived(_Frozen):
    id: str
    unit: str
    label: str
    formula: FormulaSpec


class LineSpec(_Frozen):
    id: str
    stage: Stage
    label: str
    formula: FormulaSpec
    basis: FormulaSpec
    strategies: tuple[str, ...] = STRATEGIES
    sources: tuple[str, ...] = SOURCES
    skip_zero: bool = False


class CostLinesFile(_Frozen):
    version: int
    answer_defaults: dict[str, float]
    lookups: tuple[Lookup, ...]
    derived: tuple[Derived, ...]
    lines: tuple[LineSpec, ...]

    @model_validator(mode="after")
    def _unique(self) -> CostLinesFile:
        seen: set[str] = set()
        ids = [x.id for x in self.lookups] + [x.id for x in self.derived] + [x.id for x in self.lines]
        for item_id in ids:
            if item_id in seen:
                raise ValueError(f"cost_lines.yaml: {item_id!r} is defined twice")
            seen.add(item_id)
        return self


def select(spec: FormulaSpec, strategy: str, source: str) -> str | None:
    """The formula text that applies to a strategy on a source."""
    if isinstance(spec, str):
        return spec
    for key in (f"{strategy}.{source}", strategy, source, "default"):
        if key in spec:
            return spec[key]
    return None


def flags(strategy: str, source: str) -> dict[str, float]:
    values = {f"is_{s}": float(s == strategy) for s in STRATEGIES}
    values.update(fine_tuned=float(strategy in FINE_TUNED), retrieves=float(strategy in RETRIEVES),
                  on_api=float(source == "closed_api"), self_hosted=float(source == "open_weights"),
                  weeks_per_month=WEEKS_PER_MONTH)
    return values


@cache
def _flags(strategy: str, source: str) -> dict[str, float]:
    return flags(strategy, source)


@dataclass(frozen=True)
class Formula:
    text: str
    tree: ast.Expression
    names: tuple[str, ...]

    @cached_property
    def run(self) -> Compiled:
        # Compiled when a plan first needs it: loading checks every formula, but one answer
        # file's plans use about half of them (one entry of each lookup).
        return compile_formula(self.tree)


def copy_sources(plans: Sequence[Sequence[tuple[str, Formula]]], flags: Sequence[Mapping[str, float]],
                 lookup_names: Sequence[frozenset[str]] = ()) -> list[tuple[int, ...]]:
    """For each plan (one strategy on one source each, the same answers and figures), for each of
    its steps, the position of the first earlier plan whose step gives the same value, or -1 when
    it must be computed. ``lookup_names``, when given, are the names each lookup may read (a batch
    of trials runs several formulas per lookup): a lookup is then the same wherever none of those
    names differs."""
    found = []
    for mine, plan in enumerate(plans):
        sources = [-1] * len(plan)
        for earlier in range(mine):
            differ = {name for name, value in flags[mine].items() if flags[earlier][name] != value}
            for index in _same_steps(plan, plans[earlier], differ, lookup_names):
                if sources[index] < 0:
                    sources[index] = earlier
        found.append(tuple(sources))
    return found


def _same_steps(plan: Sequence[tuple[str, Formula]], theirs: Sequence[tuple[str, Formula]], differ: set[str],
                lookup_names: Sequence[frozenset[str]]) -> list[int]:
    """The steps of ``plan`` with the same value as in ``theirs``: the same formula (every lookup of
    ``lookup_names`` has the same ones in both), reading no name in ``differ``, which grows by each
    step that differs."""
    same = []
    for index, ((name, formula), (_, their_formula)) in enumerate(zip(plan, theirs, strict=True)):
        lookup = index < len(lookup_names)
        if (lookup or formula is their_formula) and differ.isdisjoint(
                lookup_names[index] if lookup else formula.names):
            same.append(index)
        else:
            differ.add(name)
    return same


@cache
def _formula(text: str) -> Formula:
    tree = parse(text)
    return Formula(text, tree, tuple(names_in(tree)))


class CostModel:
    """The parsed, checked cost model."""

    def __init__(self, data: CostLinesFile, catalogue_keys: set[str], switches: Mapping[str, Any]):
        self.data = data
        # switch name -> condition on the answers (the priced effects of rules.yaml)
        self.switches = dict(switches)
        bank = load_bank()
        self.choice_questions = {q.id for q in bank.questions if q.type == "choice"}
        self.number_questions = {q.id for q in bank.questions if q.type != "choice"}
        self.answer_ids = set(bank.ids)
        self.catalogue_keys = catalogue_keys
        self._plans: dict[tuple[Any, ...], tuple[tuple[str, Compiled], ...]] = {}
        self._reads: dict[tuple[Any, ...], dict[str, tuple[str, ...]]] = {}
        self._inputs: dict[tuple[Any, ...], dict[str, float]] = {}
        self._answers_read: dict[tuple[Any, ...], frozenset[str]] = {}
        self._dirty_steps: dict[tuple[Any, ...], tuple[int, ...]] = {}
        self._copy_from: dict[tuple[Any, ...], list[tuple[int, ...]]] = {}
        # The answers (and defaults) the lookups read, each once: the plan depends on no other.
        self._lookup_fields = tuple(dict.fromkeys((lookup.answer, lookup.default) for lookup in data.lookups))
        self._check()

    def _check(self) -> None:
        """Every formula parses and names only what is defined above it."""
        known = (self.catalogue_keys | self.number_questions | {"queries"} | set(self.switches)
                 | {f"answered_{q}" for q in self.answer_ids} | set(flags("prompt", "closed_api")))
        for lookup in self.data.lookups:
            if lookup.answer not in self.choice_questions:
                raise FormulaError(f"lookup {lookup.id!r}: {lookup.answer!r} is not a choice question")
            values = set(load_bank().get(lookup.answer).values)
            if set(lookup.values) != values:
                raise FormulaError(f"lookup {lookup.id!r} must give a value for each of {sorted(values)}")
            for choice, text in lookup.values.items():
                self._names_known(text, known, f"lookup {lookup.id!r} ({choice})")
            known.add(lookup.id)
        for derived in self.data.derived:
            self._spec_known(derived.formula, known, f"quantity {derived.id!r}")
            known.add(derived.id)
        for line in self.data.lines:
            self._spec_known(line.formula, known, f"line {line.id!r}")
            known.add(line.id)

    def _spec_known(self, spec: FormulaSpec, known: set[str], where: str) -> None:
        texts = [spec] if isinstance(spec, str) else list(spec.values())
        for text in texts:
            self._names_known(text, known, where)

    @staticmethod
    def _names_known(text: str, known: set[str], where: str) -> None:
        try:
            unknown = [n for n in _formula(str(text)).names if n not in known]
        except FormulaError as error:
            raise FormulaError(f"{where}: {error}") from None
        if unknown:
            raise FormulaError(f"{where}: unknown name(s) {unknown} (define them above)")

    # --- evaluation ------------------------------------------------------------------
    def inputs(self, v: Mapping[str, Any], answers: Mapping[str, Any], strategy: str, source: str,
               queries: Any, off: frozenset[str] = frozenset()) -> dict[str, Any]:
        env: dict[str, Any] = dict(v)
        # Answers and switches do not depend on the strategy: worked out once per answer set.
        env.update(self._answer_inputs(answers, off))
        env.update(_flags(strategy, source))
        env["queries"] = queries
        return env

    def _answer_inputs(self, answers: Mapping[str, Any], off: frozenset[str]) -> dict[str, float]:
        """Answers and switches as numbers; the same answers always give the same numbers."""
        # A frozenset rather than sorted items: the same equality, half the cost of a lookup.
        key = (frozenset(answers.items()), off)
        found = self._inputs.get(key)
        if found is None:
            found = {}
            for qid in (*self.number_questions, *self.choice_questions):
                self._question_inputs(qid, answers, found)
            for name, condition in self.switches.items():
                found[name] = float(name not in off and holds(condition, answers))
            if len(self._inputs) > 4096:
                self._inputs.clear()
            self._inputs[key] = found
        return found

    def _question_inputs(self, qid: str, answers: Mapping[str, Any], found: dict[str, float]) -> None:
        """One question's answer as inputs: whether it was answered and, for a number question,
        its value (its default when unanswered)."""
        value = answers.get(qid)
        found[f"answered_{qid}"] = float(value is not None)
        if qid in self.number_questions:
            found[qid] = float(value) if value is not None else float(self.data.answer_defaults.get(qid, 0.0))

    def changed_inputs(self, answers: Mapping[str, Any], changed: set[str], base: Mapping[str, float]
                       ) -> dict[str, float]:
        """The answer inputs of ``answers`` that differ from ``base``, the inputs of answers that
        differ from these only in the questions ``changed``: `_answer_inputs` worked out for
        those questions and the switches that read them alone (the rest are the base's)."""
        found: dict[str, float] = {}
        for qid in changed:
            if qid in self.number_questions or qid in self.choice_questions:
                self._question_inputs(qid, answers, found)
        for name in {name for qid in changed for name in self._switches_reading.get(qid, ())}:
            found[name] = float(holds(self.switches[name], answers))
        return {name: value for name, value in found.items() if value != base[name]}

    @cached_property
    def _switches_reading(self) -> dict[str, tuple[str, ...]]:
        """The switches whose condition reads each question."""
        found: dict[str, list[str]] = {}
        for name, condition in self.switches.items():
            for qid in questions_named(condition):
                found.setdefault(qid, []).append(name)
        return {qid: tuple(names) for qid, names in found.items()}

    def lookup_text(self, lookup: Lookup, answers: Mapping[str, Any]) -> str:
        return lookup.values[answers.get(lookup.answer) or lookup.default]

    def applies(self, line: LineSpec, strategy: str, source: str) -> bool:
        return (strategy in line.strategies and source in line.sources
                and select(line.formula, strategy, source) is not None)

    def _key(self, answers: Mapping[str, Any], strategy: str, source: str) -> tuple[Any, ...]:
        # A list, not a generator: this runs several times per evaluation.
        fields = self._lookup_fields
        return (strategy, source, *[answers.get(answer) or default for answer, default in fields])

    def _plan_formulas(self, answers: Mapping[str, Any], strategy: str, source: str
                       ) -> list[tuple[str, Formula]]:
        steps: list[tuple[str, Formula]] = []
        for lookup in self.data.lookups:
            steps.append((lookup.id, _formula(self.lookup_text(lookup, answers))))
        for derived in self.data.derived:
            steps.append((derived.id, _formula(select(derived.formula, strategy, source) or "0")))
        for line in self.data.lines:
            applies = self.applies(line, strategy, source)
            text = select(line.formula, strategy, source) if applies else None
            steps.append((line.id, _formula(text or "0")))
        return steps

    def plan(self, answers: Mapping[str, Any], strategy: str, source: str,
             key: tuple[Any, ...] | None = None) -> tuple[tuple[str, Compiled], ...]:
        """The compiled formulas, in order, that one strategy on one source evaluates."""
        key = key or self._key(answers, strategy, source)
        found = self._plans.get(key)
        if found is None:
            found = self._plans[key] = tuple((name, formula.run) for name, formula
                                             in self._plan_formulas(answers, strategy, source))
        return found

    def evaluate(self, v: Mapping[str, Any], answers: Mapping[str, Any], strategy: str, source: str,
                 queries: Any = None, off: frozenset[str] = frozenset()) -> dict[str, Any]:
        """Every quantity and line for one strategy on one source (lines that do not apply are 0).

        ``off`` names priced-effect switches to hold at 0, to measure what an effect is worth.
        """
        if queries is None:
            queries = float(answers.get("monthly_queries") or 0)
        env = self.inputs(v, answers, strategy, source, queries, off)
        for name, run in self.plan(answers, strategy, source):
            env[name] = run(env)
        return env

    def evaluate_many(self, v: Mapping[str, Any], answers: Mapping[str, Any],
                      pairs: Sequence[tuple[str, str]], queries: Any = None) -> list[dict[str, Any]]:
        """`evaluate` of several strategy and source pairs on the same figures and answers.

        A step whose formula and inputs are those of a pair evaluated before it (most lookups
        and derived quantities: the corpus, the index, the rates) takes that pair's value
        instead of being computed again: the same numbers, for a fraction of the work when the
        figures are columns of Monte Carlo draws.
        """
        if queries is None:
            queries = float(answers.get("monthly_queries") or 0)
        keys = tuple(self._key(answers, strategy, source) for strategy, source in pairs)
        envs: list[dict[str, Any]] = []
        for (strategy, source), key, copies in zip(pairs, keys, self.copies(answers, keys), strict=True):
            env = self.inputs(v, answers, strategy, source, queries)
            for (name, run), earlier in zip(self.plan(answers, strategy, source, key), copies, strict=True):
                env[name] = run(env) if earlier < 0 else envs[earlier][name]
            envs.append(env)
        return envs

    def copies(self, answers: Mapping[str, Any], keys: tuple[tuple[Any, ...], ...],
               lookup_texts: tuple[tuple[str, ...], ...] = ()) -> list[tuple[int, ...]]:
        """`copy_sources` of the plans ``keys`` (`_key` for ``answers``), kept by the plans, which
        is all it depends on. ``lookup_texts``: for a batch of trials, the formulas each lookup
        runs (an answer chooses them, and trials differ in it)."""
        found = self._copy_from.get((keys, lookup_texts))
        if found is None:
            plans = [self._plan_formulas(answers, key[0], key[1]) for key in keys]
            lookup_names = [frozenset().union(*(_formula(text).names for text in group))
                            for group in lookup_texts]
            if len(self._copy_from) > 4096:
                self._copy_from.clear()
            found = self._copy_from[(keys, lookup_texts)] = copy_sources(
                plans, [_flags(key[0], key[1]) for key in keys], lookup_names)
        return found

    def evaluate_near(self, base: Mapping[str, Any] | None, base_answers: Mapping[str, Any],
                      v: Mapping[str, Any], answers: Mapping[str, Any], strategy: str, source: str,
                      off: frozenset[str] = frozenset(), queries: float | None = None) -> dict[str, Any]:
        """`evaluate`, starting from ``base``: an evaluation of the same strategy and source with
        the same figures ``v`` for ``base_answers``. Only the steps that read an input that
        differs are recomputed, by the same compiled formulas, so the result is the same as
        a full evaluation (which it falls back to when the formula plans differ)."""
        key = self._key(answers, strategy, source)
        if not base or (answers is not base_answers and key != self._key(base_answers, strategy, source)):
            return self.evaluate(v, answers, strategy, source, queries, off=off)
        if answers is base_answers:
            # The same answers: only the switches held off, and the volume, can differ.
            changes = {name: 0.0 for name in off if base[name] != 0.0}
            volume = float(answers.get("monthly_queries") or 0) if queries is None else queries
            if base["queries"] != volume:
                changes["queries"] = volume
        else:
            inputs = dict(self._answer_inputs(answers, off))
            inputs["queries"] = float(answers.get("monthly_queries") or 0) if queries is None else queries
            changes = {name: value for name, value in inputs.items() if base[name] != value}
        env = dict(base)
        env.update(changes)
        plan = self.plan(answers, strategy, source, key)
        for index in self._dirty(answers, strategy, source, frozenset(changes), key):
            name, run = plan[index]
            env[name] = run(env)
        return env

    def _dirty(self, answers: Mapping[str, Any], strategy: str, source: str, changed: frozenset[str],
               plan_key: tuple[Any, ...]) -> tuple[int, ...]:
        """The plan steps that read, directly or through earlier steps, any of ``changed``."""
        key = (plan_key, changed)
        found = self._dirty_steps.get(key)
        if found is None:
            touched, steps = set(changed), []
            for index, (name, formula) in enumerate(self._plan_formulas(answers, strategy, source)):
                if touched.intersection(formula.names):
                    steps.append(index)
                    touched.add(name)
            if len(self._dirty_steps) > 4096:
                self._dirty_steps.clear()
            found = self._dirty_steps[key] = tuple(steps)
        return found

    # --- what depends on what ----------------------------------------------------------
    def reads(self, answers: Mapping[str, Any], strategy: str, source: str) -> dict[str, tuple[str, ...]]:
        """For every defined name, the catalogue keys it depends on (transitively), sorted."""
        key = self._key(answers, strategy, source)
        if key not in self._reads:
            found = self._find_reads(answers, strategy, source)
            self._reads[key] = {name: tuple(sorted(keys)) for name, keys in found.items()}
        return self._reads[key]

    def _find_reads(self, answers: Mapping[str, Any], strategy: str, source: str) -> dict[str, set[str]]:
        deps: dict[str, set[str]] = {}

        def through(text: str) -> set[str]:
            found: set[str] = set()
            for name in _formula(text).names:
                if name in deps:
                    found |= deps[name]
                elif name in self.catalogue_keys:
                    found.add(name)
            return found

        for lookup in self.data.lookups:
            deps[lookup.id] = through(self.lookup_text(lookup, answers))
        for derived in self.data.derived:
            text = select(derived.formula, strategy, source)
            deps[derived.id] = through(text) if text is not None else set()
        for line in self.data.lines:
            text = select(line.formula, strategy, source)
            deps[line.id] = (through(text) if text is not None and self.applies(line, strategy, source)
                             else set())
        return deps

    def answers_read(self, answers: Mapping[str, Any], strategy: str, source: str) -> frozenset[str]:
        """The question ids whose answers one strategy's evaluation on one source can depend on.

        An answer outside this set cannot change any quantity of that evaluation, so a
        sensitivity trial that changes only such answers may reuse the costs already known.
        """
        key = self._key(answers, strategy, source)
        found = self._answers_read.get(key)
        if found is None:
            names = {name for _, formula in self._plan_formulas(answers, strategy, source)
                     for name in formula.names}
            questions = {lookup.answer for lookup in self.data.lookups}
            for name in names:
                if name in self.number_questions:
                    questions.add(name)
                elif name.startswith("answered_") and name[len("answered_"):] in self.answer_ids:
                    questions.add(name[len("answered_"):])
                elif name in self.switches:
                    questions.update(questions_named(self.switches[name]))
                elif name == "queries":
                    questions.add("monthly_queries")
            found = self._answers_read[key] = frozenset(questions)
        return found

    def formula_text(self, name: str, answers: Mapping[str, Any], strategy: str, source: str) -> str | None:
        for lookup in self.data.lookups:
            if lookup.id == name:
                return self.lookup_text(lookup, answers)
        for derived in self.data.derived:
            if derived.id == name:
                return select(derived.formula, strategy, source)
        for line in self.data.lines:
            if line.id == name:
                return select(line.formula, strategy, source)
        return None


_FIELD = re.compile(r"\{([a-z_0-9]+)(?::([a-z]+))?\}")


def fill_basis(template: str, env: Mapping[str, Any], units: Mapping[str, str]) -> str:
    """A basis template with each {name} replaced by its value in words."""
    pattern, fields = _template_parts(template)
    return pattern.format(*[_show(float(env[name]), style, units.get(name, "")) for name, style in fields])


@cache
def _template_parts(template: str) -> tuple[str, tuple[tuple[str, str | None], ...]]:
    """(the template as a str.format pattern with a {} for each field and its other braces doubled,
    the (name, style) of each field in order)."""
    parts = _FIELD.split(template)
    texts = [text.replace("{", "{{").replace("}", "}}") for text in parts[0::3]]
    return "{}".join(texts), tuple(zip(parts[1::3], parts[2::3], strict=True))


def _show(value: float, style: str | None, unit: str) -> str:
    if style == "pct":
        return f"{value:.0%}" if abs(value - round(value, 2)) < 1e-9 else f"{value:.1%}"
    if unit.startswith("USD"):
        return money(value)
    if unit.startswith("tokens") or unit == "parameters":
        return tokens(value)
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:,.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{value:,.0f}"


@cache
def load_cost_model() -> CostModel:
    from tunewise.engine.assumptions import load_catalogue
    from tunewise.engine.rules import load_rules

    data = CostLinesFile.model_validate(load_data_yaml("cost_lines.yaml"))
    switches = {effect.switch: effect.when for effect in load_rules().priced_effects}
    return CostModel(data, set(load_catalogue().entries), switches)


@dataclass(frozen=True)
class Quantity:
    """One named quantity of an assessment, for a spreadsheet: a value or a formula over others."""

    name: str
    kind: Literal["answer", "assumption", "derived", "line", "total"]
    value: float
    formula: str | None
    label: str
    unit: str
    basis: str
    strategy: str | None = None


def quantities(v: Mapping[str, float], answers: Mapping[str, Any], sources: Mapping[str, str],
               catalogue_labels: Mapping[str, tuple[str, str, str]],
               keep: frozenset[str] = frozenset()) -> list[Quantity]:
    """Every quantity of one assessment in dependency order, each formula naming only earlier ones.

    ``sources`` maps each strategy to its chosen model source; ``catalogue_labels``
    maps a catalogue key to (label, unit, source). Quantities that differ by
    strategy are named ``<name>_<strategy>``; per-strategy constants (which
    strategy, which source, whether a question was answered) are written as
    numbers. Totals: ``upfront_<id>``, ``monthly_<id>``, ``benefit_monthly_<id>``,
    ``horizon_total_<id>``. Parse any formula with engine.formulas.parse.
    Switches named in ``keep`` stay names instead of being written as numbers, for a
    spreadsheet that computes them from the answer cells.
    """
    model = load_cost_model()
    envs = {s: model.evaluate(v, answers, s, src) for s, src in sources.items()}
    first = next(iter(envs.values()))
    constants = (set(flags("prompt", "closed_api")) | {f"answered_{q}" for q in model.answer_ids}
                 | set(model.switches)) - keep
    per_strategy: set[str] = set()
    texts: dict[tuple[str, str], str | None] = {}
    items: list[tuple[str, str, str, str, Any]] = []  # (name, kind, label, unit, spec)
    every_entry: dict[str, set[str]] = {}
    for lookup in model.data.lookups:
        items.append((lookup.id, "derived", lookup.label, lookup.unit, model.lookup_text(lookup, answers)))
        every_entry[lookup.id] = {n for text in lookup.values.values() for n in _formula(text).names}
    for derived in model.data.derived:
        items.append((derived.id, "derived", derived.label, derived.unit, derived.formula))
    for line in model.data.lines:
        items.append((line.id, "line", line.label, "USD", line))
    for name, _, _, _, spec in items:
        for strategy, source in sources.items():
            if isinstance(spec, LineSpec):
                applies = model.applies(spec, strategy, source)
                text = select(spec.formula, strategy, source) if applies else None
            else:
                text = select(spec, strategy, source)
            texts[(name, strategy)] = text
        distinct = {texts[(name, s)] for s in sources}
        reads = {n for s in sources if texts[(name, s)] for n in _formula(str(texts[(name, s)])).names}
        reads |= every_entry.get(name, set())  # another answer may pick an entry that varies
        if len(distinct) > 1 or reads & (per_strategy | constants):
            per_strategy.add(name)

    used: set[str] = set()
    for text in texts.values():
        if text:
            used.update(_formula(text).names)
    out: list[Quantity] = []
    for qid in sorted(model.number_questions):
        if qid in used or (qid == "monthly_queries" and "queries" in used):
            out.append(Quantity(qid, "answer", float(first[qid]), None, qid, "", "your answer"))
    if "queries" in used:
        out.append(Quantity("queries", "derived", float(first["queries"]), "monthly_queries",
                            "Questions a month", "questions", "the monthly volume answered"))
    for key in sorted(k for k in used if k in model.catalogue_keys):
        label, unit, source_text = catalogue_labels.get(key, (key, "", ""))
        out.append(Quantity(key, "assumption", float(v[key]), None, label, unit, source_text))
    for name, kind, label, unit, spec in items:
        targets: list[str | None] = list(sources) if name in per_strategy else [None]
        for target in targets:
            key_strategy: str = target if target is not None else next(iter(sources))
            found = texts[(name, key_strategy)]
            if found is None:
                continue
            text = found
            env = envs[key_strategy]
            rewritten = _rename(text, key_strategy, per_strategy, constants, env, texts)
            basis = ""
            if isinstance(spec, LineSpec):
                basis = select(spec.basis, key_strategy, sources[key_strategy]) or ""
            out.append(Quantity(f"{name}_{target}" if target else name,
                                "line" if kind == "line" else "derived", float(env[name]),
                                rewritten, label, unit, basis, target))
    horizon = float(v["horizon_months"])
    for strategy, source in sources.items():
        env = envs[strategy]
        stage_names = {stage: [line.id for line in model.data.lines if line.stage == stage
                               and model.applies(line, strategy, source)]
                       for stage in ("upfront", "monthly", "benefit")}
        for stage, label in (("upfront", "Upfront cost"), ("monthly", "Monthly cost"),
                             ("benefit", "Monthly benefit")):
            names = [_suffixed(n, strategy, per_strategy) for n in stage_names[stage]]
            total = sum(float(env[n]) for n in stage_names[stage])
            prefix = "benefit_monthly" if stage == "benefit" else stage
            out.append(Quantity(f"{prefix}_{strategy}", "total", total, " + ".join(names) or "0",
                                label, "USD", f"sum of the {stage} lines", strategy))
        live = _suffixed("live_months", strategy, per_strategy)
        horizon_total = (sum(float(env[n]) for n in stage_names["upfront"])
                         + sum(float(env[n]) for n in stage_names["monthly"])
                         * (horizon - float(env["live_months"])))
        out.append(Quantity(f"horizon_total_{strategy}", "total", horizon_total,
                            f"upfront_{strategy} + monthly_{strategy} * (horizon_months - {live})",
                            "Cost over the horizon", "USD",
                            "upfront cost plus running costs for the months the system is live", strategy))
    return out


def _suffixed(name: str, strategy: str, per_strategy: set[str]) -> str:
    return f"{name}_{strategy}" if name in per_strategy else name


def _rename(text: str, strategy: str, per_strategy: set[str], constants: set[str],
            env: Mapping[str, Any], texts: Mapping[tuple[str, str], str | None]) -> str:
    """A formula with per-strategy names suffixed, constants written out and absent lines as 0."""

    class Renamer(ast.NodeTransformer):
        def visit_Name(self, node: ast.Name) -> ast.AST:
            if node.id in constants:
                return ast.Constant(float(env[node.id]))
            if (node.id, strategy) in texts and texts[(node.id, strategy)] is None:
                return ast.Constant(0.0)
            if node.id in per_strategy:
                return ast.Name(f"{node.id}_{strategy}", ast.Load())
            return node

    tree = Renamer().visit(parse(text))
    return ast.unparse(ast.fix_missing_locations(tree))
