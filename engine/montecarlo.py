"""Monte Carlo over the catalogue's ranges: net value ranges and the chance each option is best.

Every uncertain figure (an entry whose low and high differ, other than exchange
rates and modelling choices of kind `policy`) is drawn from a PERT distribution
over low, value and high. All strategies share the same draws, so "the chance
of being best" compares like with like. The generator is seeded, so the same
answers give byte-identical output.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np

from tunewise.engine.assessment import StrategyId
from tunewise.engine.cost_model import load_cost_model
from tunewise.engine.costs import WEEKS_PER_MONTH, Economics, Line
from tunewise.engine.value import net_present_value

if TYPE_CHECKING:
    from tunewise.engine.assumptions import Catalogue
    from tunewise.engine.decide import Scored

DRAWS = 2000
SEED = 20261129


@dataclass(frozen=True)
class Spread:
    mean: float
    p10: float
    p90: float


def draws(catalogue: Catalogue, values: Mapping[str, float], currency_rate: float,
          count: int = DRAWS, seed: int = SEED) -> Mapping[str, Any]:
    """Catalogue values with every uncertain figure replaced by ``count`` PERT draws (read-only:
    the last one is kept for the next assessment on the same catalogue and values)."""
    for known, rate, known_count, known_seed, known_values, drawn in _DRAWN:
        if (known is catalogue and (rate, known_count, known_seed) == (currency_rate, count, seed)
                and known_values == values):
            return drawn
    found: dict[str, Any] = dict(values)
    found.update(_drawn_columns(_pert_inputs(catalogue, values, currency_rate), count, seed))
    _DRAWN[:] = [(catalogue, currency_rate, count, seed, dict(values), MappingProxyType(found))]
    return _DRAWN[0][5]


_DRAWN: list[tuple[Catalogue, float, int, int, dict[str, float], Mapping[str, Any]]] = []


def _pert_inputs(catalogue: Catalogue, values: Mapping[str, float], currency_rate: float
                 ) -> tuple[tuple[str, float, float, float], ...]:
    """(key, low, mode, high) of every uncertain figure, in the order they are drawn."""
    found = []
    for key in sorted(catalogue.entries):
        entry = catalogue.entries[key]
        if entry.low == entry.high or entry.kind == "policy" or key.startswith("fx_"):
            continue
        rate = currency_rate if entry.unit.startswith("USD") else 1.0
        found.append((key, entry.low * rate, values[key], entry.high * rate))
    return tuple(found)


@lru_cache(maxsize=8)
def _drawn_columns(inputs: tuple[tuple[str, float, float, float], ...], count: int, seed: int
                   ) -> dict[str, np.ndarray]:
    # Drawing ~100 PERT columns is most of a Monte Carlo's cost and depends only on the
    # catalogue's figures, not the answers: assessments in one process (the TUI, a batch, a
    # portfolio) that share a catalogue share the draws. Read-only, since they are shared.
    rng = np.random.Generator(np.random.PCG64(seed))
    columns = {}
    for key, low, mode, high in inputs:
        alpha = 1.0 + 4.0 * (mode - low) / (high - low)
        beta = 1.0 + 4.0 * (high - mode) / (high - low)
        column = low + rng.beta(alpha, beta, count) * (high - low)
        column.flags.writeable = False
        columns[key] = column
    return columns


def clear_draws() -> None:
    """Forget the shared draws (for timing an assessment as the first in a process)."""
    _drawn_columns.cache_clear()
    _DRAWN.clear()


_SUMMED = ("upfront", "monthly", "benefit")   # the stages a strategy's net value adds its lines into


def _sum_stages(env: Mapping[str, Any], strategy: str, source: str, found: dict[str, Any]) -> dict[str, Any]:
    """Add an evaluation's lines into ``found``'s stages (those it names), in line order, as
    `Economics` sums them. ``found`` holds each stage's starting total: a number, or a column
    made for this sum."""
    for name, stage in _stage_lines(strategy, source):
        if stage in found:
            total = found[stage]
            if isinstance(total, np.ndarray):
                # (a column made here: add in place, the same numbers without a new column per line)
                np.add(total, env[name], out=total)
            else:
                found[stage] = total + env[name]
    return found


def _net_values(env: Mapping[str, Any], strategy: str, source: str, drawn: Mapping[str, Any]) -> np.ndarray:
    stage = _sum_stages(env, strategy, source, dict.fromkeys(_SUMMED, 0.0))
    horizon = int(drawn["horizon_months"])
    value = net_present_value(stage["upfront"], stage["monthly"], stage["benefit"], env["live_months"],
                              horizon, drawn["discount_rate_annual"], drawn["adoption_ramp_months"],
                              drawn[f"success_{strategy}"], env["ip_asset_value"], draws=True)
    return _column(value, DRAWS)


@lru_cache(maxsize=64)
def _stage_lines(strategy: str, source: str) -> tuple[tuple[str, str], ...]:
    """(line id, stage) of the lines that apply to a strategy on a source, in line order."""
    model = load_cost_model()
    return tuple((line.id, line.stage) for line in model.data.lines if model.applies(line, strategy, source))


def simulate(ranked: Sequence[Scored], drawn: Mapping[str, Any], answers: Mapping[str, Any]
             ) -> tuple[dict[StrategyId, Spread], dict[StrategyId, float]]:
    """(P10/mean/P90 of net value by strategy, share of draws in which each is best).

    "Best" is among the strategies that pass every gate; when none does, among
    those ruled out only by a limit.
    """
    envs = load_cost_model().evaluate_many(drawn, answers, [(item.id, item.source) for item in ranked])
    values = {item.id: _net_values(env, item.id, item.source, drawn)
              for item, env in zip(ranked, envs, strict=True)}
    spreads = {}
    if values:
        # One call for every strategy: each row's mean and percentiles are those it has alone.
        table = np.vstack(list(values.values()))
        means = table.mean(axis=1)
        p10, p90 = np.percentile(table, [10, 90], axis=1)
        spreads = {key: Spread(float(means[at]), float(p10[at]), float(p90[at]))
                   for at, key in enumerate(values)}
    contenders = [s.id for s in ranked if s.eligible] or [s.id for s in ranked if not s.hard_excluded]
    share = {key: 0.0 for key in values}
    if contenders:
        stack = np.vstack([values[key] for key in contenders])
        best = np.bincount(np.argmax(stack, axis=0), minlength=len(contenders))
        for key, count in zip(contenders, best, strict=True):
            share[key] = float(count) / DRAWS
    return spreads, share


_PER_TRIAL = ("weeks_to_live", "error_reduction", "errors_avoided_monthly", "retrains_per_month",
              "ip_asset_value")


@dataclass
class StageTotals:
    """Upfront, monthly and benefit totals (and what the decision reads besides) of many trials."""

    columns: dict[str, np.ndarray]
    _rows: dict[str, list[float]] | None = None
    _horizon_totals: list[float] | None = None

    def horizon_total(self, horizon: int, at: int) -> float:
        """`Economics.horizon_total` of trial ``at`` (the same operations, over the columns once),
        without making its Economics."""
        found = self._horizon_totals
        if found is None:
            # 0.0 + x as Economics' sum() of one line gives (it turns -0.0 into 0.0)
            upfront, monthly = 0.0 + self.columns["upfront"], 0.0 + self.columns["monthly"]
            live = np.minimum(self.columns["weeks_to_live"] / WEEKS_PER_MONTH, float(horizon))
            found = self._horizon_totals = (upfront + monthly * (horizon - live)).tolist()
        return found[at]

    def economics(self, strategy: str, source: str, horizon: int, at: int) -> Economics:
        # The columns as lists of floats, made once: reading many trials one at a time, an
        # index into a list is several times cheaper than float() of a numpy element.
        found = self._rows
        if found is None:
            found = self._rows = {name: column.tolist() for name, column in self.columns.items()}
        result = Economics(strategy=strategy, source=source, horizon_months=horizon,
                           upfront=[Line("upfront", found["upfront"][at], str)],
                           monthly=[Line("monthly", found["monthly"][at], str)],
                           benefit=[Line("benefit", found["benefit"][at], str)])
        result.weeks_to_live = found["weeks_to_live"][at]
        result.error_reduction = found["error_reduction"][at]
        result.errors_avoided_monthly = found["errors_avoided_monthly"][at]
        result.retrains_per_month = found["retrains_per_month"][at]
        result.one_off_benefit = found["ip_asset_value"][at]
        return result


def stage_totals(env: Mapping[str, Any], strategy: str, source: str, count: int) -> StageTotals:
    """Sum an evaluation's lines by stage, in line order (as `Economics` sums them), per trial."""
    found = _sum_stages(env, strategy, source, {stage: np.zeros(count) for stage in _SUMMED})
    for name in _PER_TRIAL:
        found[name] = _column(env[name], count)
    return StageTotals(found)


def _column(value: Any, count: int) -> np.ndarray:
    """A figure as a column of ``count`` trials (np.broadcast_to's numbers, at a fraction of its cost)."""
    if isinstance(value, np.ndarray) and value.shape == (count,) and value.dtype == float:
        return value
    return np.full(count, value, dtype=float)
