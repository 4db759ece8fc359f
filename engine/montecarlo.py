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
from typing import TYPE_CHECKING, Any

import numpy as np

from tunewise.engine.cost_model import load_cost_model
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
          count: int = DRAWS, seed: int = SEED) -> dict[str, Any]:
    """Catalogue values with every uncertain figure replaced by ``count`` PERT draws."""
    rng = np.random.Generator(np.random.PCG64(seed))
    drawn: dict[str, Any] = dict(values)
    for key in sorted(catalogue.entries):
        entry = catalogue.entries[key]
        if entry.low == entry.high or entry.kind == "policy" or key.startswith("fx_"):
            continue
        rate = currency_rate if entry.unit.startswith("USD") else 1.0
        low, mode, high = entry.low * rate, values[key], entry.high * rate
        alpha = 1.0 + 4.0 * (mode - low) / (high - low)
        beta = 1.0 + 4.0 * (high - mode) / (high - low)
        drawn[key] = low + rng.beta(alpha, beta, count) * (high - low)
    return drawn


def net_values(item: Scored, drawn: Mapping[str, Any], answers: Mapping[str, Any]) -> np.ndarray:
    """Net value of one strategy on its chosen source, for every draw."""
    model = load_cost_model()
    env = model.evaluate(drawn, answers, item.id, item.source)
    stage: dict[str, Any] = {"upfront": 0.0, "monthly": 0.0, "benefit": 0.0}
    for line in model.data.lines:
        if line.stage in stage and model.applies(line, item.id, item.source):
            stage[line.stage] = stage[line.stage] + env[line.id]
    horizon = int(drawn["horizon_months"])
    value = net_present_value(stage["upfront"], stage["monthly"], stage["benefit"], env["live_months"],
                              horizon, drawn["discount_rate_annual"], drawn["adoption_ramp_months"],
                              drawn[f"success_{item.id}"], env["ip_asset_value"])
    return np.broadcast_to(np.asarray(value, dtype=float), (DRAWS,))


def simulate(ranked: Sequence[Scored], drawn: Mapping[str, Any], answers: Mapping[str, Any]
             ) -> tuple[dict[str, Spread], dict[str, float]]:
    """(P10/mean/P90 of net value by strategy, share of draws in which each is best).

    "Best" is among the strategies that pass every gate; when none does, among
    those ruled out only by a limit.
    """
    values = {item.id: net_values(item, drawn, answers) for item in ranked}
    spreads = {key: Spread(float(v.mean()), float(np.percentile(v, 10)), float(np.percentile(v, 90)))
               for key, v in values.items()}
    contenders = [s.id for s in ranked if s.eligible] or [s.id for s in ranked if not s.hard_excluded]
    share = {key: 0.0 for key in values}
    if contenders:
        stack = np.vstack([values[key] for key in contenders])
        best = np.bincount(np.argmax(stack, axis=0), minlength=len(contenders))
        for key, count in zip(contenders, best, strict=True):
            share[key] = float(count) / DRAWS
    return spreads, share
