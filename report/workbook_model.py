"""What the workbook holds: the assessment's named quantities, ready to lay out.

A quantity is an input (an answer or an assumption: a value the reader may
change), a formula (the engine's own expression for a derived quantity, a
cost line or a total), or a value computed by tunewise that the sheet cannot
recompute (gates, P10/P90, the tornado). Formulas come from the engine's cost
model; nothing here restates its arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from tunewise.engine.assessment import Assessment
from tunewise.engine.costs import WEEKS_PER_MONTH
from tunewise.engine.money import SYMBOLS

Kind = Literal["answer", "assumption", "derived", "line", "total"]
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
    # answers: the allowed choices (for a list check on the cell) and the value in words
    choices: tuple[str, ...] = ()
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

    @property
    def is_live(self) -> bool:
        return self.formula is not None


@dataclass
class Model:
    """Every quantity, in the engine's order, and the strategies they belong to."""

    quantities: list[Quantity]
    strategies: list[str]
    currency: str
    live: bool = field(default=False)

    def of_kind(self, kind: Kind) -> list[Quantity]:
        return [q for q in self.quantities if q.kind == kind]

    def for_strategy(self, strategy: str) -> list[Quantity]:
        return [q for q in self.quantities if q.strategy == strategy]

    def names(self) -> set[str]:
        return {q.name for q in self.quantities}


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
            choices=tuple(question.values), words=shown.label,
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


def totals_from(assessment: Assessment) -> list[Quantity]:
    """Each strategy's lines and totals as tunewise computed them (values, not formulas)."""
    result = []
    for s in assessment.strategies:
        groups = (("upfront", s.costs.upfront_lines), ("monthly", s.costs.monthly_lines),
                  ("benefit", s.benefits.lines), ("hidden", s.costs.hidden_lines))
        for group, lines in groups:
            for line in lines:
                result.append(Quantity(
                    name=f"{line.key}_{s.id}", label=line.label, kind="line", value=line.amount,
                    basis=line.basis, strategy=s.id, group=group, unit="money"))  # type: ignore[arg-type]
        for name, label, value, unit in (
                (f"upfront_{s.id}", "Upfront total", s.costs.upfront, "money"),
                (f"monthly_{s.id}", "Monthly total", s.costs.monthly, "money"),
                (f"benefit_monthly_{s.id}", "Benefit a month at full use", s.benefits.monthly,
                 "money"),
                (f"weeks_to_live_{s.id}", "Weeks to go live", s.weeks_to_live, "weeks"),
                (f"live_months_{s.id}", "Months live within the horizon",
                 min(s.weeks_to_live / WEEKS_PER_MONTH, s.costs.horizon_months), "months"),
                (f"horizon_total_{s.id}", f"Total cost over {s.costs.horizon_months} months",
                 s.costs.horizon_total, "money")):
            result.append(Quantity(name=name, label=label, kind="total", value=value,
                                   strategy=s.id, group="total", unit=unit))
    return result


def model_from_assessment(assessment: Assessment) -> Model:
    """The workbook's model from the assessment alone: inputs live, every total a value."""
    from tunewise.engine.questions import load_bank

    fx = fx_rate(assessment)
    quantities = (answers_from(assessment, load_bank()) + assumptions_from(assessment, fx)
                  + totals_from(assessment))
    return Model(quantities=quantities, strategies=[s.id for s in assessment.strategies],
                 currency=assessment.currency, live=False)
