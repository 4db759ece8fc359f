"""Choice answers and the rules' priced effects as live formulas of the workbook.

The engine turns a choice answer into a figure through a lookup of
engine/data/cost_lines.yaml (say, retrainings a month for each pace of
change), and the rules' priced effects (engine/data/rules.yaml) into switches
that hold or not for the answers. Here the same data become spreadsheet
material: one table per choice question listing its choices (the dropdown of
the answer cell) and, per lookup, the entry of each choice as a formula over
the catalogue cells; each lookup's quantity picks its row by the answer
(INDEX/MATCH); each switch is its rule's condition written over the answer
cells. Nothing is restated: entries, choices and conditions are read from the
engine's own files, so the sheet and tunewise cannot drift apart.

Which questions apply follows the engine too: an answer to a question whose
``when`` does not hold is ignored (the lookup's default entry is used, and a
rule's clause on it is false), and that test is itself a formula.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tunewise.engine.conditions import COMBINATORS, holds
from tunewise.engine.cost_model import Lookup, flags, load_cost_model
from tunewise.engine.questions import QuestionBank
from tunewise.report.excel_formula import fold

SOURCE_WORDS = {"closed_api": "on a closed API", "open_weights": "self-hosted"}


@dataclass(frozen=True)
class Column:
    """One lookup's entries, a formula per choice, under a defined name."""

    name: str
    header: str
    entries: tuple[str, ...]


@dataclass(frozen=True)
class ChoiceTable:
    """A choice question's choices (named ``choices_<id>``), their words and its lookups."""

    question: str
    choices: tuple[str, ...]
    words: tuple[str, ...]
    columns: tuple[Column, ...]

    @property
    def names(self) -> list[str]:
        return [f"choices_{self.question}", f"words_{self.question}", *(c.name for c in self.columns)]


class Conditions:
    """Conditions of questions.yaml and rules.yaml as formulas over the answer cells.

    ``cells`` are the questions with an answer cell (those the answer file
    answers); a clause on any other question is settled now, as the engine
    settles it: with the question's default for a ``when`` (the engine fills
    defaults in to decide what applies), and as false for a rule (the engine
    reads only answers given to questions that apply).
    """

    def __init__(self, bank: QuestionBank, cells: set[str], raw: Mapping[str, Any]):
        self.bank, self.cells = bank, cells
        self.merged = bank.defaults() | dict(raw)

    def applies(self, question: str) -> str:
        """1 when the question applies, as a formula."""
        return self._all(self.bank.get(question).when, effective=False)

    def rule(self, condition: Mapping[str, Any] | None) -> str:
        """1 when a rule's condition holds for the answers that apply, as a formula."""
        return self._all(condition, effective=True)

    def _all(self, condition: Mapping[str, Any] | None, effective: bool) -> str:
        clauses = [self._clause(key, expected, effective) for key, expected in (condition or {}).items()]
        return _joined(clauses, "and")

    def _clause(self, key: str, expected: Any, effective: bool) -> str:
        if key in COMBINATORS:
            parts = [self._all(sub, effective) for sub in expected]
            return _joined(parts, "or" if key == "any" else "and")
        if key not in self.cells:
            settled = {key: self.merged.get(key)} if not effective else {}
            return "1" if holds({key: expected}, settled) else "0"
        test = _joined([_test(key, op, value) for op, value in expected.items()], "and") \
            if isinstance(expected, Mapping) else _test(key, "eq", expected)
        if effective and self.bank.get(key).when:
            return _joined([self.applies(key), test], "and")
        return test


def _literal(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    return repr(value)


def _test(key: str, op: str, value: Any) -> str:
    symbols = {"eq": "==", "ne": "!=", "gte": ">=", "gt": ">", "lte": "<=", "lt": "<"}
    if op in symbols:
        return f"{key} {symbols[op]} {_literal(value)}"
    if op == "in":
        return _joined([f"{key} == {_literal(v)}" for v in value], "or")
    if op == "not_in":
        return _joined([f"{key} != {_literal(v)}" for v in value], "and")
    raise ValueError(f"operator {op!r} has no spreadsheet form")


def _joined(parts: list[str], op: str) -> str:
    """Clauses joined by ``and``/``or``, with those already settled folded away."""
    unit, absorbing = ("1", "0") if op == "and" else ("0", "1")
    if absorbing in parts:
        return absorbing
    kept = [p for p in parts if p != unit]
    if not kept:
        return unit
    return kept[0] if len(kept) == 1 else f" {op} ".join(f"({p})" for p in kept)


def _entries(lookup: Lookup, strategy: str, source: str) -> tuple[str, ...]:
    constants = flags(strategy, source)
    return tuple(ast.unparse(fold(ast.parse(text, mode="eval").body, constants))
                 for text in lookup.values.values())


def columns_of(lookup: Lookup, sources: Mapping[str, str], per_strategy: set[str],
               strategy_labels: Mapping[str, str]) -> dict[str, Column]:
    """For each strategy, the column its lookup quantity reads.

    Strategies whose entries are the same share a column: one column when the
    entries never depend on the strategy, else one per model source (or per
    strategy) where they differ.
    """
    targets = list(sources) if lookup.id in per_strategy else [next(iter(sources))]
    groups: dict[tuple[str, ...], list[str]] = {}
    for strategy in targets:
        groups.setdefault(_entries(lookup, strategy, sources[strategy]), []).append(strategy)
    found: dict[str, Column] = {}
    for entries, members in groups.items():
        if len(groups) == 1:
            name, header = f"table_{lookup.id}", lookup.label
        elif all(sources[m] == sources[members[0]] for m in members) and \
                sum(sources[m] == sources[members[0]] for m in targets) == len(members):
            name = f"table_{lookup.id}_{sources[members[0]]}"
            header = f"{lookup.label} ({SOURCE_WORDS[sources[members[0]]]})"
        else:
            name = f"table_{lookup.id}_{members[0]}"
            header = f"{lookup.label} ({', '.join(strategy_labels[m] for m in members)})"
        for member in members:
            found[member] = Column(name, header, entries)
    return found


def choice_tables(bank: QuestionBank, cells: set[str], sources: Mapping[str, str],
                  strategy_labels: Mapping[str, str], per_strategy: set[str]) -> list[ChoiceTable]:
    """One table per choice question with an answer cell, in the question bank's order."""
    lookups = load_cost_model().data.lookups
    tables = []
    for question in bank.questions:
        if question.type != "choice" or question.id not in cells:
            continue
        columns: dict[str, Column] = {}
        for lookup in (item for item in lookups if item.answer == question.id):
            for column in columns_of(lookup, sources, per_strategy, strategy_labels).values():
                columns.setdefault(column.name, column)
        tables.append(ChoiceTable(question.id, tuple(question.values),
                                  tuple(c.label for c in question.choices), tuple(columns.values())))
    return tables


def lookup_formula(lookup: Lookup, strategy: str | None, sources: Mapping[str, str],
                   per_strategy: set[str], conditions: Conditions) -> str:
    """The lookup's quantity: the entry on the answer's row, or the default entry where the
    question does not apply."""
    target = strategy or next(iter(sources))
    column = columns_of(lookup, sources, per_strategy, {s: s for s in sources})[target]
    picked = f"pick_({lookup.answer}, {column.name})"
    applies = conditions.applies(lookup.answer)
    if applies == "1":
        return picked
    default = column.entries[list(lookup.values).index(lookup.default)]
    return f"if_({applies}, {picked}, {default})"


def switch_formula(condition: Mapping[str, Any] | None, conditions: Conditions) -> str:
    return f"if_({conditions.rule(condition)}, 1, 0)"
