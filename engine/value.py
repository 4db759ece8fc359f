"""Risk-adjusted net present value of one strategy, for one set of figures or for many draws.

The model, month by month over the horizon (month t = 1..H, discounted at
``(1 + discount_rate_annual) ** (-t / 12)``):

* upfront cost is paid at month 0, undiscounted;
* running costs are paid for the part of each month the system is live;
* benefits are earned for the part of each month the system is live, scaled by
  an adoption ramp (use grows linearly to full over ``adoption_ramp_months``)
  and by the probability that the build succeeds (a failed build still costs);
* a one-off benefit (owned model weights) counts at the end of the month the
  system goes live, when the weights exist, also only if the build succeeds.

Every argument may be a float or a numpy array of draws; the result has the
shape of the broadcast arguments, so one call values 2,000 Monte Carlo draws.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import lru_cache, wraps
from typing import Any, TypeVar

import numpy as np

Number = Any  # float | numpy array, broadcast together
_T = TypeVar("_T")


def _month_grid(horizon: int) -> np.ndarray:
    return np.arange(1, horizon + 1, dtype=float)


@lru_cache(maxsize=4096)
def _scalar_factors(live: float, horizon: int, rate: float, ramp: float) -> tuple[float, float]:
    running = adopted = 0.0
    ramp = max(ramp, 1e-9)
    for month, discount in enumerate(_monthly_discounts(rate, horizon), start=1):
        active = min(max(month - live, 0.0), 1.0)
        if active <= 0:
            continue
        running += discount * active
        adopted += discount * active * min(max((month - 0.5 * active - live) / ramp, 0.0), 1.0)
    return running, adopted


def factors(live_months: Number, horizon: int, discount_rate: Number,
            ramp_months: Number) -> tuple[np.ndarray, np.ndarray]:
    """(discounted live months, discounted adopted months): what one monthly unit of
    running cost and of benefit is worth today over the horizon."""
    if all(isinstance(x, float | int) for x in (live_months, discount_rate, ramp_months)):
        running, adopted = _scalar_factors(float(live_months), horizon, float(discount_rate),
                                           float(ramp_months))
        return np.float64(running), np.float64(adopted)  # type: ignore[return-value]
    live = np.asarray(live_months, dtype=float)
    ramp = np.maximum(np.asarray(ramp_months, dtype=float), 1e-9)
    if live.ndim == 1 and ramp.shape == live.shape and np.shape(discount_rate) in ((), live.shape):
        return _factors_transposed(live, horizon, discount_rate, ramp)
    return _factors_broadcast(_month_grid(horizon), live[..., None], ramp[..., None],
                              _discount(discount_rate, horizon))


def _factors_transposed(live: np.ndarray, horizon: int, discount_rate: Number, ramp: np.ndarray
                        ) -> tuple[np.ndarray, np.ndarray]:
    """`_factors_broadcast` for columns of draws, laid out months x draws instead of draws x
    months, so that every step runs along the draws. Each entry is the same operation on the
    same numbers, and `_sums_down` adds each draw's months in the order numpy's row sum does,
    so the results are the same to the last bit, in about a third of the time.

    Months before any draw is live are 0 in both tables, and months by which every draw is
    live and fully adopted are the discount itself in both (x 1 x 1): only the months between
    are computed."""
    discount, finite = _discount_transposed(discount_rate, horizon)
    shape = (horizon, live.shape[0])
    # (an infinite or undefined discount times 0 is not 0: then every month is computed)
    first, last = _months_to_compute(live, ramp, horizon) if finite else (0, horizon)
    running, adopted = np.zeros(shape), np.zeros(shape)
    np.copyto(running[last:], discount[last:])
    np.copyto(adopted[last:], discount[last:])
    if last > first:
        zeros, ones = _bounds(shape)
        rows = last - first
        _fill(running[first:last], adopted[first:last], _month_grid(horizon)[first:last, None], live, ramp,
              discount[first:last], zeros[:rows], ones[:rows])
    return _sums_down(running), _sums_down(adopted)


def _months_to_compute(live: np.ndarray, ramp: np.ndarray, horizon: int) -> tuple[int, int]:
    """(first, last): rows before ``first`` are 0, rows from ``last`` on are the discount.

    Row t (month t + 1) is 0 when (t + 1) - live <= 0 for every draw, that is for the
    smallest live; it is the discount when every draw has (t + 1) - live >= 1 and
    ((t + 1) - 0.5 - live) / ramp >= 1, which, once true, stays true for later months.
    """
    if not (np.isfinite(live).all() and np.isfinite(ramp).all()):
        return 0, horizon
    soonest = float(live.min())
    first = 0
    while first < horizon and (first + 1.0) - soonest <= 0:
        first += 1
    with np.errstate(over="ignore"):
        adopted_by = float(np.max(live + 0.5 + ramp))    # about when the last draw is fully adopted
    if not adopted_by < horizon + 1:
        return first, horizon
    guess = math.ceil(adopted_by) - 1
    for last in (max(guess, first), max(guess, first) + 1):
        if last >= horizon:
            break
        month = last + 1.0
        if (month - live >= 1.0).all() and ((month - 0.5 - live) / ramp >= 1.0).all():
            return first, last
    return first, horizon


def _fill(running: np.ndarray, adopted: np.ndarray, t: np.ndarray, live: np.ndarray, ramp: np.ndarray,
          discount: np.ndarray, zeros: np.ndarray, ones: np.ndarray) -> None:
    """The rows of both tables for months ``t``, written in place (`_factors_broadcast`'s steps)."""
    # np.minimum/np.maximum against arrays rather than np.clip or a number: the same numbers, faster.
    active = np.subtract(t, live, out=running)
    np.maximum(active, zeros, out=active)
    np.minimum(active, ones, out=active)
    # adoption at the middle of the month's live part
    np.multiply(active, 0.5, out=adopted)
    np.subtract(t, adopted, out=adopted)
    np.subtract(adopted, live, out=adopted)
    np.divide(adopted, ramp, out=adopted)
    np.maximum(adopted, zeros, out=adopted)
    np.minimum(adopted, ones, out=adopted)
    np.multiply(adopted, active, out=adopted)
    np.multiply(discount, active, out=running)
    np.multiply(discount, adopted, out=adopted)


_PAIRWISE_BLOCK = 128  # numpy's PW_BLOCKSIZE


def _sums_down(table: np.ndarray) -> np.ndarray:
    """Each column's sum, added as numpy's `.sum(axis=-1)` adds a row of the transposed table:
    0.0 plus its pairwise sum (eight running sums for up to 128 entries, then halves)."""
    return 0.0 + _pairwise(table)


def _pairwise(table: np.ndarray) -> np.ndarray:
    count = table.shape[0]
    if count < 8:
        found = np.zeros(table.shape[1:])
        for row in table:
            found += row
        return found
    if count > _PAIRWISE_BLOCK:
        half = count // 2
        half -= half % 8
        return _pairwise(table[:half]) + _pairwise(table[half:])
    whole = count - count % 8
    sums = table[:8].copy()
    for start in range(8, whole, 8):
        sums += table[start:start + 8]
    found = (sums[0] + sums[1]) + (sums[2] + sums[3])
    found += (sums[4] + sums[5]) + (sums[6] + sums[7])
    for row in table[whole:]:
        found += row
    return found


_BOUNDS: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = {}


def _bounds(shape: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """Read-only tables of 0 and of 1 to clip against."""
    found = _BOUNDS.get(shape)
    if found is None:
        if len(_BOUNDS) > 8:
            _BOUNDS.clear()
        zeros, ones = np.zeros(shape), np.ones(shape)
        zeros.flags.writeable = ones.flags.writeable = False
        found = _BOUNDS[shape] = (zeros, ones)
    return found


def _factors_broadcast(t: np.ndarray, live: np.ndarray, ramp: np.ndarray, discount: np.ndarray
                       ) -> tuple[np.ndarray, np.ndarray]:
    """`factors` for arguments of different shapes (the live months a single figure, say)."""
    # np.minimum/np.maximum rather than np.clip: the same numbers, without clip's overhead.
    active = np.minimum(np.maximum(t - live, 0.0), 1.0)
    # adoption at the middle of the month's live part
    adopted = np.minimum(np.maximum((t - 0.5 * active - live) / ramp, 0.0), 1.0) * active
    return (discount * active).sum(axis=-1), (discount * adopted).sum(axis=-1)


def _kept_by_draws(make: Callable[..., _T]) -> Callable[..., _T]:
    """``make(drawn, ...)`` with its last few results kept, by the identity of the drawn figure
    (a column of Monte Carlo draws: rates or ramps) and the equality of the rest: every strategy
    of a Monte Carlo shares the same draws."""
    kept: list[tuple[Any, tuple[Any, ...], _T]] = []

    @wraps(make)
    def kept_make(drawn: Any, *rest: Any) -> _T:
        for known, known_rest, found in kept:
            if known is drawn and known_rest == rest:
                return found
        found = make(drawn, *rest)
        kept.insert(0, (drawn, rest, found))
        del kept[4:]
        return found

    return kept_make


@_kept_by_draws
def _discount(discount_rate: Number, horizon: int) -> np.ndarray:
    """(1 + rate) ** (-t / 12) for months 1..horizon."""
    t = _month_grid(horizon)
    rate = np.asarray(discount_rate, dtype=float)[..., None]
    return (1.0 + rate) ** (-t / 12.0)


@_kept_by_draws
def _discount_transposed(discount_rate: Number, horizon: int) -> tuple[np.ndarray, bool]:
    """`_discount` laid out months x draws (copied from it, so the numbers are the same), and
    whether every entry is finite."""
    table = np.ascontiguousarray(np.atleast_2d(_discount(discount_rate, horizon)).T)
    return table, bool(np.isfinite(table).all())


def factors_of_draws(live_months: np.ndarray, horizon: int, discount_rate: Number, ramp_months: Number
                     ) -> tuple[np.ndarray, np.ndarray]:
    """`factors` for columns of Monte Carlo draws, as sums of geometric series instead of tables of
    months: a few dozen operations per column rather than a dozen per month. The results agree with
    `factors` to about 1e-12 of their size, not to the last bit, which the Monte Carlo's spreads do
    not need (the decision itself uses `factors` and `factors_by_month`). Where the closed form
    would lose precision (a discount rate within 0.1 % of none, or figures that are not finite or
    out of range), it is `factors` itself."""
    live = np.asarray(live_months, dtype=float)
    ramp, ramp_usable = _draw_ramps(ramp_months, live.shape)
    rates = _draw_rates(discount_rate, horizon, live.shape)
    if rates is None or not (ramp_usable and np.isfinite(live).all() and live.min(initial=0.0) >= 0.0):
        return factors(live_months, horizon, discount_rate, ramp_months)
    log_d, gap, d, beyond = rates          # ln d, 1 - d, d, d^(horizon + 1); month t counts d^t
    # Month `part` (>= 1) is the first with a live share, `share`; months from part + 1 are fully live.
    part = np.floor(live) + 1.0
    share = part - live
    at_part = np.exp(part * log_d)
    first = at_part * d
    counted = np.where(part <= horizon, at_part * share, 0.0)
    running = counted + np.where(part < horizon, (first - beyond) / gap, 0.0)
    adoption_at_part = np.minimum(np.maximum((part - 0.5 * share - live) / ramp, 0.0), 1.0)
    # Adoption grows as (t - 0.5 - live) / ramp through month `last`, then it is 1. Over the
    # `count` months part + 1 .. last: sum of d^t = first * plain, and of (t - part - 1) d^t =
    # first * weighted, with d^count - 1 from expm1 so that a discount near 1 keeps its precision.
    last = np.minimum(np.ceil(live + 0.5 + ramp) - 1.0, float(horizon))
    count = np.maximum(last - part, 0.0)
    grown = np.expm1(count * log_d)
    plain = -grown / gap
    weighted = (d * plain - count * (1.0 + grown)) / gap
    ramped = first * ((part + 0.5 - live) * plain + weighted)
    after_ramp = first * (1.0 + grown)
    adopted_after = np.where(np.maximum(part + 1.0, last + 1.0) <= horizon, (after_ramp - beyond) / gap, 0.0)
    return running, counted * adoption_at_part + ramped / ramp + adopted_after


@_kept_by_draws
def _draw_ramps(ramp_months: Number, shape: tuple[int, ...]) -> tuple[np.ndarray, bool]:
    """The adoption ramps per draw (at least 1e-9), read-only, and whether the closed form can use
    them (finite and below 1e6 months): every strategy of a Monte Carlo shares the drawn ramps."""
    ramp = np.maximum(np.broadcast_to(np.asarray(ramp_months, dtype=float), shape), 1e-9)
    ramp.flags.writeable = False
    return ramp, bool(np.isfinite(ramp).all() and ramp.max(initial=0.0) < 1e6)


@_kept_by_draws
def _draw_rates(discount_rate: Number, horizon: int, shape: tuple[int, ...]
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None:
    """(ln d, 1 - d, d, d^(horizon + 1)) per draw, d the monthly discount; None where the closed form
    would lose precision."""
    rate = np.broadcast_to(np.asarray(discount_rate, dtype=float), shape)
    with np.errstate(all="ignore"):
        log_d = -np.log1p(rate) / 12.0
    usable = np.isfinite(log_d).all() and np.abs(log_d).min(initial=1.0) > 1e-4
    return (log_d, -np.expm1(log_d), np.exp(log_d), np.exp((horizon + 1.0) * log_d)) if usable else None


def one_off_discount(live_months: Number, discount_rate: Number) -> Any:
    """Discount factor of a one-off benefit received at the end of the month the system goes live."""
    return (1.0 + np.asarray(discount_rate, dtype=float)) ** (-np.ceil(live_months) / 12.0)


def combine(upfront: Number, monthly: Number, benefit_monthly: Number, running: Number,
            adopted: Number, delivered: Number, p_success: Number, one_off_benefit: Number) -> Any:
    """Net value from its factors, in the order the scalar path computes it (engine/picks.py
    runs the same on columns of trials and must get the same floating-point results)."""
    return p_success * (benefit_monthly * adopted + one_off_benefit * delivered) - monthly * running - upfront


def factors_by_month(live: np.ndarray, horizon: int, rate: Number, ramp: Number
                     ) -> tuple[np.ndarray, np.ndarray]:
    """`_scalar_factors` for each trial of a column: the scalar path's own month-by-month sums,
    so every entry is exactly what one trial alone gives (numpy's pairwise sums in `factors`
    may differ from it in the last bits). Trials share few distinct inputs, and those are cached."""
    count = np.shape(live)[0]
    rates, ramps = _listed(rate, count), _listed(ramp, count)
    pairs = [_scalar_factors(x, horizon, r, m) for x, r, m in zip(np.asarray(live).tolist(), rates, ramps,
                                                                  strict=True)]
    return np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs])


def is_column(figure: Number) -> bool:
    """Whether a figure is given one per trial or draw (np.ndim's answer, without its cost)."""
    return isinstance(figure, np.ndarray) and figure.ndim > 0


def _listed(value: Number, count: int) -> list[float]:
    """A figure or column as a list of ``count`` floats (np.broadcast_to's, without its cost)."""
    if not is_column(value):
        return [float(value)] * count
    return np.broadcast_to(np.asarray(value, dtype=float), (count,)).tolist()


def delivered_by_month(live: np.ndarray, rate: Number) -> np.ndarray:
    """The scalar path's discount of a one-off benefit, over columns of trials."""
    return (1.0 + rate) ** (-np.ceil(live) / 12.0)


def net_present_value(upfront: Number, monthly: Number, benefit_monthly: Number,
                      live_months: Number, horizon: int, discount_rate: Number,
                      ramp_months: Number, p_success: Number, one_off_benefit: Number = 0.0,
                      draws: bool = False) -> Any:
    """Expected discounted benefits minus discounted costs over the horizon (``draws``: columns of
    Monte Carlo draws, discounted by `factors_of_draws`)."""
    scalars = (upfront, monthly, benefit_monthly, live_months, discount_rate, ramp_months, p_success,
               one_off_benefit)
    if all(isinstance(x, float | int) for x in scalars):
        run, adopt = _scalar_factors(float(live_months), horizon, float(discount_rate),
                                     float(ramp_months))
        delivered = (1.0 + discount_rate) ** (-math.ceil(live_months) / 12.0)
        return combine(upfront, monthly, benefit_monthly, run, adopt, delivered, p_success, one_off_benefit)
    running, adopted = (factors_of_draws if draws and np.ndim(live_months) == 1 else factors)(
        live_months, horizon, discount_rate, ramp_months)
    earned = np.asarray(benefit_monthly) * adopted
    if not (draws and np.ndim(one_off_benefit) == 0 and one_off_benefit == 0):
        # (the Monte Carlo skips discounting a one-off benefit that is zero in every draw)
        earned = earned + np.asarray(one_off_benefit) * one_off_discount(live_months, discount_rate)
    return np.asarray(p_success) * earned - np.asarray(monthly) * running - np.asarray(upfront)


def cumulative_net_value(upfront: float, monthly: float, benefit_monthly: float, live_months: float,
                         horizon: int, discount_rate: float, ramp_months: float, p_success: float,
                         one_off_benefit: float = 0.0) -> list[float]:
    """Risk-adjusted, discounted net value accumulated to the end of each month 0..horizon.

    The same cash flow as `net_present_value`, month by month (month 0 carries the
    upfront cost), so the last figure is the net present value.
    """
    ramp = max(ramp_months, 1e-9)
    delivered = math.ceil(live_months)
    total = -upfront + (p_success * one_off_benefit if delivered == 0 else 0.0)
    path = [total]
    earned = p_success * benefit_monthly
    for month, discount in enumerate(_monthly_discounts(discount_rate, horizon), start=1):
        # (a conditional clip is min(max(x, 0.0), 1.0) exactly, NaN and -0.0 included, and cheaper)
        active = month - live_months
        active = 0.0 if active < 0.0 else 1.0 if active > 1.0 else active
        if active > 0:
            adoption = (month - 0.5 * active - live_months) / ramp
            adoption = 0.0 if adoption < 0.0 else 1.0 if adoption > 1.0 else adoption
            total += discount * active * (earned * adoption - monthly)
        if month == delivered:
            total += discount * p_success * one_off_benefit
        path.append(total)
    return path


@lru_cache(maxsize=64)
def _monthly_discounts(rate: float, horizon: int) -> tuple[float, ...]:
    """(1 + rate) ** (-month / 12) for months 1..horizon."""
    return tuple((1.0 + rate) ** (-month / 12.0) for month in range(1, horizon + 1))


def payback_month(path: list[float], net_value: float) -> float | None:
    """The month from which the cumulative net value stays above zero; None unless it ends above zero.

    Interpolated linearly inside the month where it last crosses zero. The net value
    decides whether there is one, so a payback month exists exactly when it is positive.
    """
    if net_value <= 0:
        return None
    for month in range(len(path) - 1, 0, -1):
        before, after = path[month - 1], path[month]
        if before <= 0 < after or (before <= 0 and after <= 0):
            # `after <= 0` only when rounding leaves the last month a hair below a positive value
            return month - 1 + (-before / (after - before) if after > before else 1.0)
    return 0.0
