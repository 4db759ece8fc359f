"""The pick for many trials at once, when the answers are fixed and only the costs differ.

The tornado sets each uncertain figure to its low and its high: about two hundred trials
that share the answers (so the same gates) and differ only in costs, which
`montecarlo.one_at_a_time` evaluates in one numpy pass. Deciding each with the scalar
`decide` was most of the sensitivity analysis; here the same steps run over all
trials as numpy columns, in the same order and with the same operations:

* net value as `verdict.deterministic_value` computes it (`value.factors_by_month` and
  `value.combine` run the scalar arithmetic over columns: the same floating-point results);
* the model source each strategy runs on (`decide._cost`'s preference);
* eligibility under the limits, the ranking (`decide._rank_key`) and the verdict.

Only trials whose verdict is `build` get a pick here; a trial where two compared
figures are within rounding of each other (the scalar path rounds to 6 decimals), or
whose verdict is anything else, gets ``None``, and the caller decides it the scalar way.
`tests/test_engine_picks.py` checks the two paths agree.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from tunewise.engine.assessment import SourceId, StrategyId
from tunewise.engine.cost_model import WEEKS_PER_MONTH
from tunewise.engine.decide import RuleStage
from tunewise.engine.montecarlo import StageTotals
from tunewise.engine.value import combine, delivered_by_month, factors_by_month

ORDER: tuple[StrategyId, ...] = ("prompt", "rag", "peft", "full_fine_tune", "from_scratch", "hybrid")
# Figures the scalar path rounds to 6 decimals before comparing: closer than this, ask it.
NEAR = 1e-5


@dataclass
class _Option:
    """One strategy on one source, for every trial."""

    net_value: np.ndarray
    horizon_total: np.ndarray
    short_money: np.ndarray     # upfront shortfall plus twelve months of the monthly one
    short_weeks: np.ndarray
    fits: np.ndarray
    break_even: np.ndarray      # `verdict.break_even_cost`: cost per wrong answer for a net value of 0
    unsure: np.ndarray          # a figure that is not a number: leave the trial to the scalar path


def _option(totals: StageTotals, count: int, horizon: int, gates: Gates,
            rate: Any, ramp: Any, success: Any) -> _Option:
    c = totals.columns
    upfront, monthly, benefit, weeks = c["upfront"], c["monthly"], c["benefit"], c["weeks_to_live"]
    live = np.minimum(weeks / WEEKS_PER_MONTH, float(horizon))
    running, adopted = _factors(live, horizon, rate, ramp)
    value = _full(combine(upfront, monthly, benefit, running, adopted,
                          delivered_by_month(live, rate), success, c["ip_asset_value"]), count)
    total = _full(upfront + monthly * (horizon - live), count)
    short_up = np.maximum(0.0, upfront - gates.budget_upfront)
    short_month = np.maximum(0.0, monthly - gates.budget_monthly)
    short_weeks = np.maximum(0.0, weeks - gates.timeline_weeks)
    fits = (short_up <= 0) & (short_month <= 0) & (short_weeks <= 0)
    avoided = c["errors_avoided_monthly"]
    per_unit = success * adopted * avoided
    with np.errstate(divide="ignore", invalid="ignore"):
        used = np.where(avoided != 0, benefit / avoided, 0.0)
        break_even = np.where(per_unit > 0, used - value / per_unit, math.inf)
    unsure = (np.isnan(value) | np.isnan(total) | np.isnan(upfront) | np.isnan(monthly) | np.isnan(weeks)
              | np.isnan(break_even))
    return _Option(value, total, short_up + 12 * short_month, short_weeks, fits, _full(break_even, count),
                   unsure)


def _full(values: Any, count: int) -> np.ndarray:
    """``values`` as a column of ``count`` trials (read-only when it was one value)."""
    if isinstance(values, np.ndarray) and values.shape == (count,):
        return values
    return np.broadcast_to(values, (count,))


def _factors(live: np.ndarray, horizon: int, rate: Any, ramp: Any) -> tuple[np.ndarray, np.ndarray]:
    """`factors_by_month`, worked out once per distinct go-live when the rates are the same for all."""
    if np.ndim(rate) or np.ndim(ramp):
        return factors_by_month(live, horizon, rate, ramp)
    distinct, back = np.unique(live, return_inverse=True)
    running, adopted = factors_by_month(distinct, horizon, rate, ramp)
    return running[back], adopted[back]


def _compare(parts: Sequence[tuple[np.ndarray, np.ndarray, bool]], count: int
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(a comes first, a full tie, unsure) for tuples compared part by part, lowest first.

    A rounded part compares as round(x, 6) does, which agrees with comparing the floats
    unless they differ by less than NEAR; those trials come back unsure.
    """
    decided = np.zeros(count, dtype=bool)
    first = np.zeros(count, dtype=bool)
    unsure = np.zeros(count, dtype=bool)
    for a, b, rounded in parts:
        bad = np.isnan(a) | np.isnan(b)
        if rounded:
            bad |= (a != b) & (np.abs(a - b) <= NEAR)
        unsure |= ~decided & bad
        less, more = (a < b) & ~bad, (a > b) & ~bad
        first |= ~decided & less
        decided |= less | more | bad
    return first, ~decided, unsure


@dataclass
class Gates:
    """What the answers of each trial decide before any cost: per strategy, as columns."""

    eligible: dict[str, np.ndarray]
    hard: dict[str, np.ndarray]
    allowed: dict[str, dict[str, np.ndarray]]   # strategy -> source -> allowed in the trial
    budget_upfront: np.ndarray
    budget_monthly: np.ndarray
    timeline_weeks: np.ndarray

    @classmethod
    def of(cls, stages: Sequence[RuleStage], answer_sets: Sequence[Mapping[str, Any]]) -> Gates:
        """From each trial's rule stage and answers (one of each per trial)."""
        # Trials share few stages: work each out once, then give every trial its own.
        positions: dict[int, int] = {}
        distinct = [positions.setdefault(id(stage), len(positions)) for stage in stages]
        unique = list({id(stage): stage for stage in stages}.values())
        back = np.array(distinct)
        first = unique[0].scored
        eligible = {sid: np.array([s.scored[sid].eligible for s in unique])[back] for sid in first}
        hard = {sid: np.array([s.scored[sid].hard_excluded for s in unique])[back] for sid in first}
        allowed = {sid: {source: np.array([source in s.scored[sid].allowed for s in unique])[back]
                         for source in ("closed_api", "open_weights")} for sid in first}

        def limit(key: str) -> np.ndarray:
            return np.array([float(a.get(key, math.inf)) for a in answer_sets])

        return cls(eligible, hard, allowed, limit("budget_upfront"), limit("budget_monthly"),
                   limit("timeline_weeks"))

    @classmethod
    def uniform(cls, stage: RuleStage, answers: Mapping[str, Any], count: int) -> Gates:
        """The same answers in every trial (only figures differ)."""
        one = cls.of([stage], [answers])
        repeat = lambda column: np.repeat(column, count)  # noqa: E731
        return cls({k: repeat(v) for k, v in one.eligible.items()},
                   {k: repeat(v) for k, v in one.hard.items()},
                   {k: {s: repeat(c) for s, c in v.items()} for k, v in one.allowed.items()},
                   repeat(one.budget_upfront), repeat(one.budget_monthly), repeat(one.timeline_weeks))


@dataclass
class Outcome:
    """What the sensitivity analysis reads of one trial's decision."""

    strategy: StrategyId
    source: SourceId
    ranked: tuple[StrategyId, ...]


def build_picks(gates: Gates, totals: Mapping[tuple[str, str], StageTotals], count: int,
                horizon: int, trial_values: Mapping[str, Any]) -> list[Outcome | None]:
    """Each trial's pick, its model source and the ranking; None where the scalar decision must
    say (figures too close to call here, or a case this does not cover)."""
    rate, ramp = trial_values["discount_rate_annual"], trial_values["adoption_ramp_months"]
    unsure = np.zeros(count, dtype=bool)
    ones = np.ones(count)
    # Per strategy, the ranking's figures: not eligible, hard excluded, -net value, horizon total.
    ranked: list[tuple[np.ndarray, ...]] = []
    chosen_options: list[_Option] = []
    chosen_sources: list[np.ndarray] = []
    if tuple(gates.eligible) != ORDER:
        return [None] * count
    names = ORDER
    for strategy_id in names:
        allowed = gates.allowed[strategy_id]
        none_allowed = ~(allowed["closed_api"] | allowed["open_weights"])
        # `decide._cost` costs the allowed sources, or open weights when none is allowed.
        usable = {"closed_api": allowed["closed_api"], "open_weights": allowed["open_weights"] | none_allowed}
        options = {}
        for source in ("closed_api", "open_weights"):
            if not usable[source].any():
                continue
            if (strategy_id, source) not in totals:
                return [None] * count
            options[source] = _option(totals[(strategy_id, source)], count, horizon, gates, rate, ramp,
                                      trial_values[f"success_{strategy_id}"])
        if len(options) == 2:
            api, own = options["closed_api"], options["open_weights"]
            both = usable["closed_api"] & usable["open_weights"]
            better = _better_source(api, own, count)
            use_api = np.where(both, better.from_first, usable["closed_api"])
            chosen = _select(use_api, api, own)
            chosen.unsure = np.where(both, better.unsure, np.where(use_api, api.unsure, own.unsure))
        else:
            (only, chosen), = options.items()
            use_api = np.full(count, only == "closed_api")
        unsure |= chosen.unsure
        eligible = chosen.fits & gates.eligible[strategy_id] & ~none_allowed
        hard = (gates.hard[strategy_id] | none_allowed) * ones
        ranked.append((~eligible * ones, hard, -chosen.net_value, chosen.horizon_total))
        chosen_options.append(chosen)
        chosen_sources.append(use_api)
    order, doubt = _order(ranked, count)
    unsure |= doubt
    top = order[:, 0]
    open_pays = np.zeros(count, dtype=bool)
    eligible_pays = np.zeros(count, dtype=bool)
    any_open = np.zeros(count, dtype=bool)
    for (not_eligible, hard, _, _), option in zip(ranked, chosen_options, strict=True):
        open_pays |= (hard == 0) & (option.net_value > 0)
        eligible_pays |= (not_eligible == 0) & (option.net_value > 0)
        any_open |= hard == 0
    # `verdict.conclude`: outside_constraints picks, among open options that pay, the one needing
    # the smallest change of limits; do_not_build the open option with the lowest break-even cost.
    # Neither breaks a full tie by rank here: such trials are left to the scalar path.
    far = np.full(count, math.inf)
    nearest, doubt_near = _lowest(
        [(np.where((hard == 0) & (o.net_value > 0), o.short_money, far),
          np.where((hard == 0) & (o.net_value > 0), o.short_weeks, far),
          np.where((hard == 0) & (o.net_value > 0), -o.net_value, far))
         for (_, hard, _, _), o in zip(ranked, chosen_options, strict=True)],
        (False, False, False), count, ties_go_first=False)
    cheapest, doubt_cheap = _lowest(
        [(np.where(hard == 0, o.break_even, far), np.where(hard == 0, -o.net_value, far))
         for (_, hard, _, _), o in zip(ranked, chosen_options, strict=True)],
        (False, False), count, ties_go_first=False)
    build = eligible_pays
    outside = open_pays & ~eligible_pays
    nothing = ~open_pays & any_open
    unsure |= (outside & doubt_near) | (nothing & doubt_cheap) | (~open_pays & ~any_open)
    pick = np.where(build, top, np.where(outside, nearest, cheapest))
    outcomes: list[Outcome | None] = []
    sources = [column.tolist() for column in chosen_sources]
    # Trials mostly repeat a few outcomes: make each once (nothing changes an Outcome).
    made: dict[tuple[int, bool, tuple[int, ...]], Outcome] = {}
    for at, (doubt, chosen_at, ranking) in enumerate(zip(unsure.tolist(), pick.tolist(), order.tolist(),
                                                          strict=True)):
        if doubt:
            outcomes.append(None)
            continue
        key = (chosen_at, sources[chosen_at][at], tuple(ranking))
        found = made.get(key)
        if found is None:
            rest = tuple(names[i] for i in ranking if i != chosen_at)
            runs_on: SourceId = "closed_api" if key[1] else "open_weights"
            found = made[key] = Outcome(names[chosen_at], runs_on, (names[chosen_at], *rest))
        outcomes.append(found)
    return outcomes


def _order(keys: Sequence[tuple[np.ndarray, ...]], count: int) -> tuple[np.ndarray, np.ndarray]:
    """Each trial's ranking (positions into ``keys``, best first) by `decide._rank_key`, whose
    last part is the listed order: a full tie keeps the earlier one first (a stable sort).

    The scalar key rounds its last two parts to 6 decimals; comparing the floats agrees with
    that unless two of them differ by less than NEAR, and such trials come back unsure. The
    check looks at every pair, whether or not an earlier part already separates them: a few
    more trials go to the scalar path, none is decided differently.
    """
    parts = [np.stack([_full(key[part], count) for key in keys]) for part in range(4)]
    # np.lexsort sorts by its last key first: the ranking's last part goes first in the list.
    order = np.lexsort(parts[::-1], axis=0).T
    unsure = np.zeros(count, dtype=bool)
    for part in parts:
        unsure |= np.isnan(part).any(axis=0)
    for part in parts[2:]:
        gap = np.abs(part[:, None, :] - part[None, :, :])
        unsure |= ((gap <= NEAR) & (gap > 0)).any(axis=(0, 1))
    return order, unsure


def _select(first: np.ndarray, a: _Option, b: _Option) -> _Option:
    return _Option(np.where(first, a.net_value, b.net_value),
                   np.where(first, a.horizon_total, b.horizon_total),
                   np.where(first, a.short_money, b.short_money),
                   np.where(first, a.short_weeks, b.short_weeks),
                   np.where(first, a.fits, b.fits), np.where(first, a.break_even, b.break_even),
                   a.unsure | b.unsure)


def _lowest(keys: Sequence[tuple[np.ndarray, ...]], rounded: Sequence[bool], count: int,
            ties_go_first: bool) -> tuple[np.ndarray, np.ndarray]:
    """(position of the lowest key, unsure) per trial, keys compared as tuples.

    With ``ties_go_first`` a full tie keeps the earlier key (the ranking ends in the listed
    order); without, a full tie is unsure.
    """
    best, at = keys[0], np.zeros(count, dtype=int)
    unsure = np.zeros(count, dtype=bool)
    tied = np.zeros(count, dtype=bool)      # the lowest so far ties with another key
    for position, other in enumerate(keys[1:], start=1):
        first, tie, doubt = _compare(list(zip(best, other, rounded, strict=True)), count)
        unsure |= doubt
        tied = np.where(first, tied, tie)
        keep = first | tie
        best = tuple(np.where(keep, x, y) for x, y in zip(best, other, strict=True))
        at = np.where(keep, at, position)
    if not ties_go_first:
        unsure |= tied
    return at, unsure


@dataclass
class _Preferred:
    from_first: np.ndarray
    unsure: np.ndarray


def _better_source(a: _Option, b: _Option, count: int) -> _Preferred:
    """`decide._cost`'s preference between two sources, ``a`` the one whose name sorts first."""
    zero = np.zeros(count)

    def key(o: _Option) -> list[np.ndarray]:
        return [np.where(o.fits, 0.0, 1.0), np.where(o.fits, zero, o.short_money),
                np.where(o.fits, zero, o.short_weeks), -o.net_value, np.where(o.fits, o.horizon_total, zero)]

    rounded = (False, True, False, True, True)
    first, tie, unsure = _compare(list(zip(key(a), key(b), rounded, strict=True)), count)
    # equal figures: the source whose name sorts first, as the tuples compare
    return _Preferred(first | tie, unsure | a.unsure | b.unsure)
