"""The cost and benefit model: named lines, each traceable to assumptions and answers.

The lines themselves are data (engine/data/cost_lines.yaml, evaluated by
engine/cost_model.py); this module turns one evaluation into `Economics` with
totals, and finds break-even volumes. Amounts are in the answer file's
currency: `values_in` converts the catalogue's dollar figures first. `v` is a
plain mapping of assumption key to value, `answers` the effective answers.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Generic, TypeVar

from tunewise.engine.cost_model import (
    FINE_TUNED,
    RETRIEVES,
    WEEKS_PER_MONTH,
    fill_basis,
    load_cost_model,
    select,
)

TRAINS_ML = FINE_TUNED


_T = TypeVar("_T")


class cached_property(Generic[_T]):  # noqa: N801 - named for what it replaces
    """functools.cached_property without its lock (Python 3.11 takes one on every first read,
    which was a tenth of the sensitivity analysis). Economics is never shared between threads."""

    def __init__(self, function: Callable[[Any], _T]):
        self.function, self.name = function, function.__name__
        self.__doc__ = function.__doc__

    def __get__(self, instance: Any, owner: type | None = None) -> _T:
        if instance is None:
            return self  # type: ignore[return-value]
        value = instance.__dict__[self.name] = self.function(instance)
        return value


@dataclass(slots=True)
class Line:
    """One cost or benefit line: a key, an amount, and how it was reached."""

    key: str
    amount: float
    # Formatting every explanation is costly and the sensitivity analysis discards
    # almost all of them, so the text is built only when it is read.
    basis: Callable[[], str]
    assumptions: tuple[str, ...] = ()


@dataclass
class Economics:
    """All lines of one strategy on one source. Totals are cached: build the lines first."""

    strategy: str
    source: str
    upfront: list[Line] = field(default_factory=list)
    monthly: list[Line] = field(default_factory=list)
    hidden: list[Line] = field(default_factory=list)
    benefit: list[Line] = field(default_factory=list)
    weeks_to_live: float = 0.0
    error_reduction: float = 0.0
    errors_avoided_monthly: float = 0.0
    horizon_months: int = 36
    retrains_per_month: float = 0.0
    one_off_benefit: float = 0.0
    env: dict[str, Any] = field(default_factory=dict, repr=False)

    @cached_property
    def upfront_total(self) -> float:
        return sum(line.amount for line in self.upfront)

    @cached_property
    def monthly_total(self) -> float:
        return sum(line.amount for line in self.monthly)

    @cached_property
    def hidden_total(self) -> float:
        return sum(line.amount for line in self.hidden)

    @cached_property
    def benefit_monthly(self) -> float:
        return sum(line.amount for line in self.benefit)

    @cached_property
    def live_months(self) -> float:
        return min(self.weeks_to_live / WEEKS_PER_MONTH, float(self.horizon_months))

    @cached_property
    def horizon_total(self) -> float:
        """Cash spent over the horizon: upfront plus running costs once live."""
        return self.upfront_total + self.monthly_total * (self.horizon_months - self.live_months)

    @cached_property
    def benefit_horizon(self) -> float:
        """Benefits earned once live, plus any one-off value (owned model weights)."""
        return self.benefit_monthly * (self.horizon_months - self.live_months) + self.one_off_benefit

    def cumulative(self) -> list[float]:
        """Cumulative cash cost at the end of each month 0..horizon."""
        live, upfront, monthly = self.live_months, self.upfront_total, self.monthly_total
        # (x if x > 0.0 else 0.0 is max(0.0, x) exactly, NaN and -0.0 included)
        return [upfront + monthly * (month - live if month - live > 0.0 else 0.0)
                for month in range(self.horizon_months + 1)]


def values_in(catalogue, currency: str) -> dict[str, float]:
    """Catalogue values as a plain dict, with dollar amounts converted to ``currency``."""
    rate = catalogue.fx(currency)
    return {
        key: entry.value * rate if entry.unit.startswith("USD") else entry.value
        for key, entry in catalogue.entries.items()
    }


def change_level(answers: Mapping[str, Any]) -> str:
    return answers.get("data_change") or "static"


def volume_level(answers: Mapping[str, Any]) -> str:
    if not answers.get("needs_private_data", True):
        return "none"
    return answers.get("data_volume") or "none"


def _units() -> dict[str, str]:
    from tunewise.engine.assumptions import load_catalogue

    model = load_cost_model()
    units = {key: entry.unit for key, entry in load_catalogue().entries.items()}
    units.update({lookup.id: lookup.unit for lookup in model.data.lookups})
    units.update({derived.id: derived.unit for derived in model.data.derived})
    units.update({line.id: "USD" for line in model.data.lines})
    units["queries"] = "questions"
    return units


_UNITS: dict[str, str] = {}


def economics(
    v: Mapping[str, float],
    strategy: str,
    source: str,
    answers: Mapping[str, Any],
    queries: float | None = None,
    off: frozenset[str] = frozenset(),
    near: Economics | None = None,
    near_answers: Mapping[str, Any] | None = None,
) -> Economics:
    """Every cost and benefit line of one strategy on one model source (engine/data/cost_lines.yaml).

    ``off`` holds priced-effect switches at 0 (to measure what an effect is worth).
    ``near`` (the same strategy and source, same figures, for ``near_answers``) lets only
    what the changed answers reach be recomputed (`CostModel.evaluate_near`).
    """
    model = load_cost_model()
    if near is not None and queries is None:
        env = model.evaluate_near(near.env, near_answers or {}, v, answers, strategy, source, off)
    else:
        env = model.evaluate(v, answers, strategy, source, queries, off)
    if not _UNITS:
        _UNITS.update(_units())
    result = Economics(strategy=strategy, source=source, horizon_months=int(v["horizon_months"]))
    stages = {"upfront": result.upfront, "monthly": result.monthly, "hidden": result.hidden,
              "benefit": result.benefit}
    reads = model.reads(answers, strategy, source)
    for spec, template in _applicable(strategy, source):
        amount = float(env[spec.id])
        if spec.skip_zero and amount == 0:
            continue
        stages[spec.stage].append(Line(spec.id, amount, _basis(template, env), reads[spec.id]))
    return _with_figures(result, env)


def _with_figures(result: Economics, env: dict[str, Any]) -> Economics:
    """The evaluated figures besides the cost lines that the decision and the report read."""
    result.weeks_to_live = float(env["weeks_to_live"])
    result.error_reduction = float(env["error_reduction"])
    result.errors_avoided_monthly = float(env["errors_avoided_monthly"])
    result.retrains_per_month = float(env["retrains_per_month"])
    result.one_off_benefit = float(env["ip_asset_value"])
    result.env = env
    return result


def totals_only(v: Mapping[str, float], strategy: str, source: str, answers: Mapping[str, Any],
                near: Economics | None = None, near_answers: Mapping[str, Any] | None = None,
                off: frozenset[str] = frozenset(), queries: float | None = None) -> Economics:
    """`economics` with each stage's lines summed into one (in line order, so the totals are the
    same to the last bit) and no explanations: for trials, which read only totals.

    ``near`` (a full `economics` of the same strategy and source, same figures, for
    ``near_answers``) lets only what the changed answers touch be recomputed; ``queries``, a
    volume other than the answers', is one more such change.
    """
    model = load_cost_model()
    base = near.env if near is not None else None
    env = model.evaluate_near(base, near_answers or {}, v, answers, strategy, source, off, queries)
    sums = {"upfront": 0.0, "monthly": 0.0, "hidden": 0.0, "benefit": 0.0}
    for spec, _ in _applicable(strategy, source):
        sums[spec.stage] = sums[spec.stage] + float(env[spec.id])
    result = Economics(strategy=strategy, source=source, horizon_months=int(v["horizon_months"]),
                       upfront=[Line("upfront", sums["upfront"], str)],
                       monthly=[Line("monthly", sums["monthly"], str)],
                       hidden=[Line("hidden", sums["hidden"], str)],
                       benefit=[Line("benefit", sums["benefit"], str)])
    return _with_figures(result, env)


@cache
def _applicable(strategy: str, source: str) -> tuple[tuple[Any, str], ...]:
    """The line specs that apply to a strategy on a source, with their basis templates."""
    model = load_cost_model()
    return tuple((spec, select(spec.basis, strategy, source) or "") for spec in model.data.lines
                 if model.applies(spec, strategy, source))


def _basis(template: str, env: Mapping[str, Any]) -> Callable[[], str]:
    return lambda: fill_basis(template, env, _UNITS)


def assumptions_read(v: Mapping[str, float], strategy: str, source: str,
                     answers: Mapping[str, Any]) -> frozenset[str]:
    """The assumption keys one strategy's economics depend on, for the given answers."""
    reads = load_cost_model().reads(answers, strategy, source)
    found: set[str] = {"horizon_months"}
    for line in load_cost_model().data.lines:
        found.update(reads[line.id])
    return frozenset(found.union(reads["weeks_to_live"], reads["live_months"]))


def total_at_volume(v: Mapping[str, float], strategy: str, source: str, answers: Mapping[str, Any],
                    queries: float, near: Economics | None = None) -> float:
    """The horizon total at another volume (``near``: the same strategy and source evaluated for
    ``answers``, from which only what the volume reaches is recomputed)."""
    return totals_only(v, strategy, source, answers, near, answers, queries=queries).horizon_total


def kinks(v: Mapping[str, float], strategy: str, source: str, answers: Mapping[str, Any],
          near: Economics | None = None) -> list[float]:
    """Volumes where a strategy's cost changes slope (minimum GPUs, database minimum)."""
    env = load_cost_model().evaluate_near(near.env if near else None, answers, v, answers, strategy, source,
                                          queries=0.0)
    points = []
    if source == "open_weights":
        points.append(v["selfhost_min_gpus"] * env["gpu_capacity"])
    elif strategy in RETRIEVES:
        per_query = env["read_units_per_query"] * v["vector_db_read_unit_usd_per_m"] / 1e6
        if per_query > 0:
            points.append((v["vector_db_min_monthly_usd"] - env["index_gb"] * v["vector_db_gb_month_usd"])
                          / per_query)
    return [float(p) for p in points if p > 0]


def break_even(
    v: Mapping[str, float],
    a: tuple[str, str],
    b: tuple[str, str],
    answers: Mapping[str, Any],
    ceiling: float = 1e11,
    near: Mapping[tuple[str, str], Economics] | None = None,
) -> float | None:
    """Lowest monthly volume at which strategies ``a`` and ``b`` cost the same over the horizon.

    Both totals are piecewise linear in volume, so the difference is linear
    between the known kinks and the crossing is solved exactly in each piece.
    ``near`` holds evaluations for ``answers`` to start from, by strategy and source.
    """
    near_a, near_b = (near or {}).get(a), (near or {}).get(b)
    points = sorted({0.0, ceiling, *kinks(v, *a, answers, near_a), *kinks(v, *b, answers, near_b)})
    points = [p for p in points if 0.0 <= p <= ceiling]

    def gap(q: float) -> float:
        return total_at_volume(v, *a, answers, q, near_a) - total_at_volume(v, *b, answers, q, near_b)

    previous_q, previous_gap = points[0], gap(points[0])
    if previous_gap == 0:
        return None
    for q in points[1:]:
        current = gap(q)
        if current == 0:
            return q
        if (previous_gap < 0) != (current < 0):
            crossing = previous_q + (q - previous_q) * previous_gap / (previous_gap - current)
            return crossing if math.isfinite(crossing) else None
        previous_q, previous_gap = q, current
    return None
