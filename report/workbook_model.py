"""What the workbook holds: the assessment's named quantities, ready to lay out.

A quantity is an input (an answer or an assumption: a value the reader may
change) or a formula (the engine's own expression for a derived quantity, a
cost line or a total, from ``engine.cost_model.quantities``); nothing here
restates the cost model's arithmetic. What the sheet cannot recompute (gates,
ranking, P10/P90, the tornado) report.workbook writes from the assessment as
values.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field, replace
from typing import Literal

from tunewise.engine.assessment import Assessment
from tunewise.engine.cost_model import Quantity as EngineQuantity
from tunewise.engine.cost_model import load_cost_model, quantities
from tunewise.engine.formulas import compile_formula, parse
from tunewise.engine.money import SYMBOLS
from tunewise.report.excel_formula import fold, names_in
from tunewise.report.workbook_choices import (
    ChoiceTable,
    Conditions,
    choice_tables,
    lookup_formula,
    switch_formula,
)

Kind = Literal["answer", "assumption", "derived", "line", "total"]
LINE_STAGES = {line.id: line.stage for line in load_cost_model().data.lines}
LOOKUPS = {lookup.id: lookup for lookup in load_cost_model().data.lookups}
Group = Literal["upfront", "monthly", "benefit", "hidden", "total", ""]


@dataclass(frozen=True)
class Quantity:
    """One named cell of the workbook."""

    name: str
    label: str
    kind: Kind
    value: float | str | None
    formula: str | None = None
    unit: str = ""
    basis: str = ""
    strategy: str | None = None
    group: Group = ""
    # answers: the value in words
    words: str = ""
    # assumptions: the catalogue record beside the input cell
    low: float | None = None
    high: float | None = None
    source: str = ""
    as_of: str = ""
    source_kind: str = ""
    overridden: bool = False

    @property
    def is_input(self) -> bool:
        return self.kind in ("answer", "assumption")


@dataclass
class Model:
    """Every quantity, in the engine's order, the strategies they belong to, and the tables
    that turn a choice answer into the figures the cost model reads."""

    quantities: list[Quantity]
    strategies: list[str]
    currency: str
    tables: list[ChoiceTable] = field(default_factory=list)
    # a table entry's value at export time, by (column name, row)
    entry_values: dict[tuple[str, int], float] = field(default_factory=dict)

    def table_for(self, question: str) -> ChoiceTable | None:
        return next((t for t in self.tables if t.question == question), None)

    def of_kind(self, kind: Kind) -> list[Quantity]:
        return [q for q in self.quantities if q.kind == kind]

    def for_strategy(self, strategy: str) -> list[Quantity]:
        return [q for q in self.quantities if q.strategy == strategy]

    def names(self) -> set[str]:
        return {q.name for q in self.quantities} | {n for t in self.tables for n in t.names}

    def name_for(self, base: str, strategy: str) -> str:
        """A quantity's name for one strategy: suffixed where strategies differ, else shared."""
        suffixed = f"{base}_{strategy}"
        return suffixed if suffixed in self.names() else base


def currency_unit(unit: str, currency: str) -> str:
    """A catalogue unit as the workbook shows it: dollar amounts are in the report's currency."""
    return currency + unit.removeprefix("USD") if unit.startswith("USD") else unit


def symbol_format(currency: str) -> str:
    symbol = SYMBOLS.get(currency, currency + " ").replace('"', "")
    return f'"{symbol}"#,##0;-"{symbol}"#,##0'


def fx_rate(assessment: Assessment) -> float:
    """Units of the report's currency per US dollar, as the assessment used it."""
    if assessment.currency == "USD":
        return 1.0
    return next(a.value for a in assessment.assumptions if a.key == f"fx_{assessment.currency}")


def answers_from(assessment: Assessment, bank) -> list[Quantity]:
    """The answers as input cells: booleans as 1/0 so formulas can weigh them."""
    result = []
    for shown in assessment.answers:
        question = bank.get(shown.question)
        value = shown.value
        if isinstance(value, bool):
            value = 1 if value else 0
        result.append(Quantity(
            name=shown.question, label=shown.prompt, kind="answer", value=value,
            unit=question.unit or ("1 = yes, 0 = no" if question.type == "bool" else ""),
            words=shown.label,
            basis="default (not answered)" if shown.defaulted else ""))
    return result


def assumptions_from(assessment: Assessment, fx: float) -> list[Quantity]:
    """The catalogue figures as input cells, money already in the report's currency."""
    result = []
    for used in assessment.assumptions:
        rate = fx if used.unit.startswith("USD") else 1.0
        result.append(Quantity(
            name=used.key, label=used.label, kind="assumption", value=used.value * rate,
            unit=currency_unit(used.unit, assessment.currency), low=used.low * rate,
            high=used.high * rate, source=used.source, as_of=used.as_of,
            source_kind=used.kind, overridden=used.overridden))
    return result


def model_from_assessment(assessment: Assessment) -> Model:
    """The workbook's model: inputs from the assessment, every other cell the engine's formula."""
    from tunewise.engine.decide import effective_answers
    from tunewise.engine.questions import load_bank

    bank = load_bank()
    fx = fx_rate(assessment)
    values = {a.key: a.value * (fx if a.unit.startswith("USD") else 1.0) for a in assessment.assumptions}
    raw = {a.question: a.value for a in assessment.answers}
    answers = effective_answers(bank, raw)
    sources = {s.id: s.model_source for s in assessment.strategies}
    labels = {a.key: (a.label, a.unit, a.source) for a in assessment.assumptions}
    cost_model = load_cost_model()
    engine = quantities(values, answers, sources, labels, keep=frozenset(cost_model.switches))
    conditions = Conditions(bank, set(raw), raw)
    per_strategy = {q.name.removesuffix(f"_{q.strategy}") for q in engine if q.strategy}
    engine = _switches(cost_model, answers, conditions) + [
        _live_lookup(q, sources, per_strategy, conditions) for q in engine]
    kept = _needed(engine)
    computed = [q for q in engine if q.kind in ("derived", "line", "total") and q.name in kept]
    inputs = (_answers(assessment, bank, engine) + assumptions_from(assessment, fx))
    tables = choice_tables(bank, set(raw), sources, {s.id: s.label for s in assessment.strategies},
                           per_strategy)
    model = Model(quantities=inputs + [_formula_cell(q, assessment) for q in computed],
                  strategies=list(sources), currency=assessment.currency, tables=tables,
                  entry_values=_entry_values(tables, values))
    _check_references(model)
    return model


def _switches(cost_model, answers, conditions: Conditions) -> list[EngineQuantity]:
    """Each priced effect's switch, computed in the sheet from its rule's condition."""
    from tunewise.engine.conditions import holds
    from tunewise.engine.rules import load_rules

    effects = {effect.switch: effect for effect in load_rules().priced_effects}
    return [EngineQuantity(name, "derived", float(holds(condition, answers)),
                           switch_formula(condition, conditions),
                           f"Priced effect holds: {effects[name].id.replace('_', ' ')}", "1 = yes, 0 = no",
                           "")
            for name, condition in cost_model.switches.items()]


def _live_lookup(q: EngineQuantity, sources, per_strategy: set[str],
                 conditions: Conditions) -> EngineQuantity:
    """A lookup's quantity picks its entry by the answer cell, where the question has one."""
    base = q.name.removesuffix(f"_{q.strategy}") if q.strategy else q.name
    lookup = LOOKUPS.get(base)
    if q.kind != "derived" or lookup is None or lookup.answer not in conditions.cells:
        return q
    return replace(q, formula=lookup_formula(lookup, q.strategy, sources, per_strategy, conditions),
                   basis=f"the entry for the answer to {lookup.answer} (table below the answers)")


def _entry_values(tables: list[ChoiceTable], values: dict[str, float]) -> dict[tuple[str, int], float]:
    return {(column.name, row): float(compile_formula(parse(entry))(values))
            for table in tables for column in table.columns for row, entry in enumerate(column.entries)}


def _check_references(model: Model) -> None:
    """Every name a formula reads has a cell, or the workbook would show #NAME?."""
    defined = model.names()
    for q in model.quantities:
        if q.formula:
            missing = set(names_in(ast.unparse(fold(ast.parse(q.formula, mode="eval").body, {}))))
            if missing - defined:
                raise ValueError(f"{q.name}: its formula reads {sorted(missing - defined)}, "
                                 "which have no cell in the workbook")


def _needed(engine: list[EngineQuantity]) -> set[str]:
    """The names the totals, the hidden lines and the cash flow read, directly or not."""
    formulas = {q.name: q.formula for q in engine if q.formula}
    wanted = [q.name for q in engine if q.kind == "total" or q.kind == "line"
              or q.name.startswith(("live_months", "weeks_to_live", "ip_asset_value"))]
    seen: set[str] = set()
    while wanted:
        name = wanted.pop()
        if name in seen:
            continue
        seen.add(name)
        if formulas.get(name):
            wanted.extend(names_in(ast.unparse(fold(ast.parse(formulas[name], mode="eval").body, {}))))
    return seen


def _answers(assessment: Assessment, bank, engine: list[EngineQuantity]) -> list[Quantity]:
    """Every answer as an input cell; the cost model's figure where it reads the question."""
    used = {q.name: q.value for q in engine if q.kind == "answer"}
    result = []
    for shown in answers_from(assessment, bank):
        if shown.name in used and used[shown.name] != shown.value:
            shown = replace(shown, value=used[shown.name],
                            basis="does not apply to these answers; the cost model uses this value")
        result.append(shown)
    answered = {q.name for q in result}
    for name, value in used.items():
        if name not in answered:
            question = bank.get(name)
            result.append(Quantity(name=name, label=question.prompt, kind="answer", value=value,
                                   unit=question.unit or "", words="not answered",
                                   basis="not answered; the cost model's default"))
    return result


def _formula_cell(q: EngineQuantity, assessment: Assessment) -> Quantity:
    group = ""
    basis = q.basis
    if q.kind == "line":
        base = q.name.removesuffix(f"_{q.strategy}") if q.strategy else q.name
        group = LINE_STAGES.get(base, "")
        basis = _line_basis(assessment, q.strategy, base) or basis
    elif q.kind == "total":
        group = "total"
    unit = "money" if q.unit == "USD" else currency_unit(q.unit, assessment.currency)
    return Quantity(name=q.name, label=q.label, kind=q.kind, value=q.value, formula=q.formula,
                    unit=unit, basis=basis, strategy=q.strategy, group=group)  # type: ignore[arg-type]


def _line_basis(assessment: Assessment, strategy: str | None, key: str) -> str:
    """The line explained in words, as the report prints it (figures at export time)."""
    for s in assessment.strategies:
        if strategy not in (None, s.id):
            continue
        lines = (*s.costs.upfront_lines, *s.costs.monthly_lines, *s.costs.hidden_lines,
                 *s.benefits.lines)
        for line in lines:
            if line.key == key:
                return line.basis
    return ""
