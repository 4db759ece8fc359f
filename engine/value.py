"""Risk-adjusted net present value of one strategy, for one set of figures or for many draws.

The model, month by month over the horizon (month t = 1..H, discounted at
``(1 + discount_rate_annual) ** (-t / 12)``):

* upfront cost is paid at month 0, undiscounted;
* running costs are paid for the part of each month the system is live;
* benefits are earned for the part of each month the system is live, scaled by
  an adoption ramp (use grows linearly to full over ``adoption_ramp_months``)
  and by the probability that the build succeeds (a failed build still costs).

Every argument may be a float or a numpy array of draws; the result has the
shape of the broadcast arguments, so one call values 2,000 Monte Carlo draws.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np

Number = Any  # float | numpy array, broadcast together


def _month_grid(horizon: int) -> np.ndarray:
    return np.arange(1, horizon + 1, dtype=float)


@lru_cache(maxsize=4096)
def _scalar_factors(live: float, horizon: int, rate: float, ramp: float) -> tuple[float, float]:
    running = adopted = 0.0
    ramp = max(ramp, 1e-9)
    for month in range(1, horizon + 1):
        active = min(max(month - live, 0.0), 1.0)
        if active <= 0:
            continue
        discount = (1.0 + rate) ** (-month / 12.0)
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
    t = _month_grid(horizon)
    live = np.asarray(live_months, dtype=float)[..., None]
    ramp = np.maximum(np.asarray(ramp_months, dtype=float)[..., None], 1e-9)
    discount = _discount(discount_rate, horizon)
    # np.minimum/np.maximum rather than np.clip: the same numbers, without clip's overhead.
    active = np.minimum(np.maximum(t - live, 0.0), 1.0)
    # adoption at the middle of the month's live part
    adopted = np.minimum(np.maximum((t - 0.5 * active - live) / ramp, 0.0), 1.0) * active
    return (discount * active).sum(axis=-1), (discount * adopted).sum(axis=-1)


_DISCOUNTS: list[tuple[Any, int, np.ndarray]] = []


def _discount(discount_rate: Number, horizon: int) -> np.ndarray:
    """(1 + rate) ** (-t / 12) for months 1..horizon; every strategy of a Monte Carlo shares
    the same drawn rates, so the last few results are kept (by identity of the rates)."""
    for rates, months, found in _DISCOUNTS:
        if rates is discount_rate and months == horizon:
            return found
    t = _month_grid(horizon)
    rate = np.asarray(discount_rate, dtype=float)[..., None]
    found = (1.0 + rate) ** (-t / 12.0)
    _DISCOUNTS.insert(0, (discount_rate, horizon, found))
    del _DISCOUNTS[4:]
    return found


def net_present_value(upfront: Number, monthly: Number, benefit_monthly: Number,
                      live_months: Number, horizon: int, discount_rate: Number,
                      ramp_months: Number, p_success: Number, one_off_benefit: Number = 0.0
                      ) -> Any:
    """Expected discounted benefits minus discounted costs over the horizon."""
    scalars = (upfront, monthly, benefit_monthly, live_months, discount_rate, ramp_months, p_success,
               one_off_benefit)
    if all(isinstance(x, float | int) for x in scalars):
        run, adopt = _scalar_factors(float(live_months), horizon, float(discount_rate),
                                     float(ramp_months))
        return p_success * (benefit_monthly * adopt + one_off_benefit) - monthly * run - upfront
    running, adopted = factors(live_months, horizon, discount_rate, ramp_months)
    return (np.asarray(p_success) * (np.asarray(benefit_monthly) * adopted
                                     + np.asarray(one_off_benefit))
            - np.asarray(monthly) * running - np.asarray(upfront))
