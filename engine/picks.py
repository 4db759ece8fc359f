"""The pick for many trials at once, from their costs already evaluated as numpy columns.

The sensitivity analysis tries a few hundred trials per assessment: other answers, other
volumes, and each uncertain figure at its low and its high (engine/scenarios.py evaluates
them in one numpy pass per strategy and source). Deciding each with the scalar `decide`
was most of the analysis; here the same steps run over all trials as numpy columns, in
the same order and with the same operations:

* net value as `verdict.deterministic_value` computes it (`value.factors_by_month` and
  `value.combine` run the scalar arithmetic over columns: the same floating-point results);
* the model source each strategy runs on (`decide._cost`'s preference);
* eligibility under the limits, the ranking (`decide._rank_key`) and the verdict.

A trial where two compared figures are within rounding of each other (the scalar path
rounds to 6 decimals), or a case this does not cover (no option left open), gets ``None``,
and the caller decides it the scalar way.
`tests/test_engine_picks.py` checks the two paths agree.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from tunewise.engine.assessment import SourceId, StrategyId, Verdict
from tunewise.engine.cost_model import WEEKS_PER_MONTH
from tunewise.engine.decide import Decision, RuleStage
from tunewise.engine.montecarlo import StageTotals
from tunewise.engine.value import combine, delivered_by_month, factors_by_month, is_column

ORDER: tuple[StrategyId, ...] = ("prompt", "rag", "peft", "full_fine_tune", "from_scratch", "hybrid")
# Figures the scalar path rounds to 6 decimals before comparing: closer than this, ask it.
NEAR = 1e-5


SOURCES: tuple[SourceId, ...] = ("closed_api", "open_weights")
VERDICTS: tuple[Verdict, ...] = ("build", "outside_constraints", "do_not_build")
_READ = ("upfront", "monthly", "benefit", "weeks_to_live", "errors_avoided_monthly", "ip_asset_value",
         "error_reduction")


@dataclass
class _Options:
    """Every strategy on every source, for every trial: arrays indexed [source, strategy, trial]
    (after the choice of source, [strategy, trial])."""

    net_value: np.ndarray
    horizon_total: np.ndarray
    short_money: np.ndarray     # upfront shortfall plus twelve months of the monthly one
    short_weeks: np.ndarray
    fits: np.ndarray
    break_even: np.ndarray      # `verdict.break_even_cost`: cost per wrong answer for a net value of 0
    unsure: np.ndarray          # a figure that is not a number: leave the trial to the scalar path
    no_volume: np.ndarray       # `verdict.nearness_to_paying`'s second figure

    def pick(self, use_first: np.ndarray) -> _Options:
        """Per strategy and trial, the first source's figures where ``use_first``, else the second's."""
        return _Options(*(np.where(use_first, column[0], column[1]) for column in (
            self.net_value, self.horizon_total, self.short_money, self.short_weeks, self.fits,
            self.break_even, self.unsure, self.no_volume)))


def _options(totals: Mapping[tuple[str, str], StageTotals], count: int, horizon: int, gates: Gates,
             trial_values: Mapping[str, Any]) -> _Options:
    """The figures the decision compares, the same operations as the scalar path, over all options
    at once. An option no trial may use is left at zero and never chosen."""
    c = {name: np.zeros((len(SOURCES), len(ORDER), count)) for name in _READ}
    for j, source in enumerate(SOURCES):
        for i, strategy in enumerate(ORDER):
            found = totals.get((strategy, source))
            if found is not None:
                for name in _READ:
                    c[name][j, i] = found.columns[name]
    rate, ramp = trial_values["discount_rate_annual"], trial_values["adoption_ramp_months"]
    chances = [trial_values[f"success_{strategy}"] for strategy in ORDER]
    success = (np.array(chances, dtype=float)[:, None] if not any(map(is_column, chances))
               else np.stack([_full(chance, count) for chance in chances]))
    upfront, monthly, benefit, weeks = c["upfront"], c["monthly"], c["benefit"], c["weeks_to_live"]
    live = np.minimum(weeks / WEEKS_PER_MONTH, float(horizon))
    running, adopted = _factors(live, horizon, rate, ramp)
    value = combine(upfront, monthly, benefit, running, adopted, _delivered(live, rate, c["ip_asset_value"]),
                    success, c["ip_asset_value"])
    total = upfront + monthly * (horizon - live)
    short_up = np.maximum(0.0, upfront - gates.budget_upfront)
    short_month = np.maximum(0.0, monthly - gates.budget_monthly)
    short_weeks = np.maximum(0.0, weeks - gates.timeline_weeks)
    fits = (short_up <= 0) & (short_month <= 0) & (short_weeks <= 0)
    avoided = c["errors_avoided_monthly"]
    per_unit = success * adopted * avoided
    capacity = success * adopted * c["error_reduction"]
    with np.errstate(divide="ignore", invalid="ignore"):
        used = np.where(avoided != 0, benefit / avoided, 0.0)
        break_even = np.where(per_unit > 0, used - value / per_unit, math.inf)
        no_volume = np.where(capacity > 0, -value / capacity, math.inf)
    unsure = (np.isnan(value) | np.isnan(total) | np.isnan(upfront) | np.isnan(monthly) | np.isnan(weeks)
              | np.isnan(break_even) | np.isnan(no_volume))
    return _Options(value, total, short_up + 12 * short_month, short_weeks, fits, break_even, unsure,
                    no_volume)


def _delivered(live: np.ndarray, rate: Any, one_off: np.ndarray) -> Any:
    """`value.delivered_by_month`, the discount of a one-off benefit; 1.0 when every one-off benefit
    is zero (with a finite rate above -100 % each discount is positive and finite, and a zero
    times it is the same zero as times 1.0): most assessments have no one-off benefit, and a
    power per option and trial is one of the dearest steps of a pick."""
    if not one_off.any() and np.all((rate > -1.0) & (rate < math.inf)):
        return 1.0
    return delivered_by_month(live, rate)


def _full(values: Any, count: int) -> np.ndarray:
    """``values`` as a column of ``count`` trials (read-only when it was one value)."""
    if isinstance(values, np.ndarray) and values.shape == (count,):
        return values
    return np.broadcast_to(values, (count,))


def _factors(live: np.ndarray, horizon: int, rate: Any, ramp: Any) -> tuple[np.ndarray, np.ndarray]:
    """`factors_by_month` for go-lives [source, strategy, trial] (rates and ramps one figure or
    one per trial), worked out once per distinct (go-live, rate, ramp), bit for bit.

    Most trials of an option share its first trial's inputs: only those that differ are looked
    at one by one (`value._scalar_factors` keeps what it has worked out)."""
    first = live[..., :1]
    differ = live != first
    rate_first, ramp_first = _first(rate), _first(ramp)
    for figure, at_first in ((rate, rate_first), (ramp, ramp_first)):
        if is_column(figure):
            differ |= figure != at_first
    found = factors_by_month(first.ravel(), horizon, rate_first, ramp_first)
    running, adopted = (np.repeat(factor.reshape(first.shape), live.shape[-1], axis=-1) for factor in found)
    if differ.any():
        where = np.nonzero(differ)
        trials = where[-1]
        others = factors_by_month(live[where], horizon, _at(rate, trials), _at(ramp, trials))
        running[where], adopted[where] = others
    return running, adopted


def _first(figure: Any) -> float:
    """The first trial's value of a figure given as one number or one per trial."""
    return float(figure[0]) if is_column(figure) else float(figure)


def _at(figure: Any, trials: np.ndarray) -> Any:
    """A figure given as one number or one per trial, at the given trials."""
    return figure[trials] if is_column(figure) else figure


def _compare(parts: Sequence[tuple[np.ndarray, np.ndarray, bool]], shape: Any
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(a comes first, a full tie, unsure) for tuples compared part by part, lowest first.

    A rounded part compares as round(x, 6) does, which agrees with comparing the floats
    unless they differ by less than NEAR; those trials come back unsure.
    """
    decided = np.zeros(shape, dtype=bool)
    first = np.zeros(shape, dtype=bool)
    unsure = np.zeros(shape, dtype=bool)
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

    strategies: tuple[str, ...]
    # [eligible / ruled out by a gate / allowed on the closed API / allowed on open weights,
    #  strategy (in the order of ``strategies``), trial]
    flags: np.ndarray
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
        strategies = unique[0].flags()[0]
        if any(stage.flags()[0] != strategies for stage in unique):
            raise ValueError("trials' rule stages list different strategies")
        flags = np.array([stage.flags()[1] for stage in unique]).transpose(2, 1, 0)[:, :, distinct]

        # (and few answer sets: every figure trial has the base's)
        sets: dict[int, int] = {}
        at_set = [sets.setdefault(id(answers), len(sets)) for answers in answer_sets]
        distinct_sets = list({id(answers): answers for answers in answer_sets}.values())
        limits = np.array([[float(a.get(key, math.inf)) for a in distinct_sets]
                           for key in ("budget_upfront", "budget_monthly", "timeline_weeks")])[:, at_set]
        return cls(strategies, flags, *limits)

    @classmethod
    def uniform(cls, stage: RuleStage, answers: Mapping[str, Any], count: int) -> Gates:
        """The same answers in every trial (only figures differ)."""
        one = cls.of([stage], [answers])
        return cls(one.strategies, np.repeat(one.flags, count, axis=-1), np.repeat(one.budget_upfront, count),
                   np.repeat(one.budget_monthly, count), np.repeat(one.timeline_weeks, count))


@dataclass
class Outcome:
    """What the sensitivity analysis reads of one trial's decision."""

    strategy: StrategyId
    source: SourceId
    ranked: tuple[StrategyId, ...]
    verdict: Verdict = "build"

    @classmethod
    def of(cls, decision: Decision) -> Outcome:
        """What a scalar decision concluded, for a trial the vectorised picks left to it."""
        return cls(decision.recommended.id, decision.recommended.source,
                   tuple(s.id for s in decision.ranked), decision.verdict)


def build_picks(gates: Gates, totals: Mapping[tuple[str, str], StageTotals], count: int,
                horizon: int, trial_values: Mapping[str, Any]) -> list[Outcome | None]:
    """Each trial's pick, its model source and the ranking; None where the scalar decision must
    say (figures too close to call here, or a case this does not cover)."""
    found = _pick_columns(gates, totals, count, horizon, trial_values)
    return [None] * count if found is None else _outcomes(*found)


def pick_strategies(gates: Gates, totals: Mapping[tuple[str, str], StageTotals], count: int,
                    horizon: int, trial_values: Mapping[str, Any]) -> list[StrategyId | None]:
    """Only each trial's recommended strategy (None as in `build_picks`)."""
    found = _pick_columns(gates, totals, count, horizon, trial_values)
    if found is None:
        return [None] * count
    unsure, pick = found[0].tolist(), found[1].tolist()
    return [None if doubt else ORDER[at] for doubt, at in zip(unsure, pick, strict=True)]


def _pick_columns(gates: Gates, totals: Mapping[tuple[str, str], StageTotals], count: int,
                  horizon: int, trial_values: Mapping[str, Any]
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None:
    """(unsure, the pick, the ranking, runs on the closed API, the verdict as a position in
    VERDICTS) per trial, strategies as positions in ORDER."""
    if gates.strategies != ORDER:
        return None
    # Arrays [strategy, trial] (and [source, strategy, trial]) in the listed order.
    allowed = gates.flags[2:]
    none_allowed = ~(allowed[0] | allowed[1])
    # `decide._cost` costs the allowed sources, or open weights when none is allowed.
    usable = np.stack([allowed[0], allowed[1] | none_allowed])
    for j, source in enumerate(SOURCES):
        for i, strategy in enumerate(ORDER):
            if (strategy, source) not in totals and usable[j, i].any():
                return None
    options = _options(totals, count, horizon, gates, trial_values)
    both = usable[0] & usable[1]
    # (each comparison below is made only where some trial reads it: the same picks, less work)
    first, doubt = _better_source(options) if both.any() else (both, both)
    use_api = np.where(both, first, usable[0])
    chosen = options.pick(use_api)
    unsure = np.where(both, doubt | options.unsure[0] | options.unsure[1], chosen.unsure).any(axis=0)
    eligible = chosen.fits & gates.flags[0] & ~none_allowed
    hard = gates.flags[1] | none_allowed
    order, doubt_order = _order([(~eligible).astype(float), hard.astype(float), -chosen.net_value,
                                 chosen.horizon_total])
    unsure |= doubt_order
    pays = chosen.net_value > 0
    open_pays, eligible_pays, any_open = (~hard & pays).any(axis=0), (eligible & pays).any(axis=0), \
        (~hard).any(axis=0)
    # `verdict.conclude`: outside_constraints picks, among open options that pay, the one needing
    # the smallest change of limits; do_not_build the open option with the lowest break-even cost.
    # Neither breaks a full tie by rank here: such trials are left to the scalar path.
    far, none = np.inf, (order[:, 0], np.zeros(count, dtype=bool))
    outside = open_pays & ~eligible_pays
    nothing = ~open_pays & any_open
    nearest, doubt_near = _lowest([np.where(~hard & pays, figure, far) for figure in (
        chosen.short_money, chosen.short_weeks, -chosen.net_value)]) if outside.any() else none
    cheapest, doubt_cheap = _lowest([np.where(~hard, figure, far) for figure in (
        chosen.break_even, chosen.no_volume, -chosen.net_value)]) if nothing.any() else none
    unsure |= (outside & doubt_near) | (nothing & doubt_cheap) | (~open_pays & ~any_open)
    pick = np.where(eligible_pays, order[:, 0], np.where(outside, nearest, cheapest))
    verdict = np.where(eligible_pays, 0, np.where(outside, 1, 2))
    return unsure, pick, order, use_api, verdict


def _outcomes(unsure: np.ndarray, pick: np.ndarray, order: np.ndarray, use_api: np.ndarray,
              verdict: np.ndarray) -> list[Outcome | None]:
    """One Outcome per distinct (pick, its source, ranking, verdict): trials mostly repeat a few,
    and nothing changes an Outcome once made."""
    count = pick.shape[0]
    api = use_api[pick, np.arange(count)]
    # Each row (pick, source, verdict, ranking) as one number: positions below 6, so base 6.
    code = ((pick * 2 + api) * 3 + verdict) * 6 ** order.shape[1] + order @ _PLACES[-order.shape[1]:]
    made: dict[int, Outcome] = {}
    found: list[Outcome | None] = []
    for at, (doubt, key) in enumerate(zip(unsure.tolist(), code.tolist(), strict=True)):
        if doubt:
            found.append(None)
            continue
        outcome = made.get(key)
        if outcome is None:
            outcome = made[key] = _outcome(int(pick[at]), bool(api[at]), order[at].tolist(), int(verdict[at]))
        found.append(outcome)
    return found


# 6**5 ... 6**0: a ranking of the six strategies as one number in base 6
_PLACES = 6 ** np.arange(len(ORDER) - 1, -1, -1, dtype=np.int64)


def _outcome(chosen_at: int, api: bool, ranking: list[int], concluded: int) -> Outcome:
    rest = tuple(ORDER[i] for i in ranking if i != chosen_at)
    runs_on: SourceId = "closed_api" if api else "open_weights"
    return Outcome(ORDER[chosen_at], runs_on, (ORDER[chosen_at], *rest), VERDICTS[concluded])


def _order(parts: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Each trial's ranking (strategies by position, best first) by `decide._rank_key`, whose
    last part is the listed order: a full tie keeps the earlier one first (a stable sort).

    The scalar key rounds its last two parts to 6 decimals; comparing the floats agrees with
    that unless two of them differ by less than NEAR, and such trials come back unsure. The
    check looks at every pair, whether or not an earlier part already separates them: a few
    more trials go to the scalar path, none is decided differently.
    """
    count = parts[0].shape[1]
    # np.lexsort sorts by its last key first: the ranking's last part goes first in the list.
    order = np.lexsort(parts[::-1], axis=0).T
    unsure = np.zeros(count, dtype=bool)
    for part in parts:
        unsure |= np.isnan(part).any(axis=0)
    for part in parts[2:]:
        gap = np.abs(part[:, None, :] - part[None, :, :])
        unsure |= ((gap <= NEAR) & (gap > 0)).any(axis=(0, 1))
    return order, unsure


def _lowest(parts: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """(strategy with the lowest figures, unsure) per trial, the figures [strategy, trial]
    compared as tuples; a full tie for the lowest (or a figure that is not a number) is unsure."""
    order = np.lexsort(parts[::-1], axis=0)
    lowest, next_lowest = order[0], order[1]
    trials = np.arange(order.shape[1])
    tied = np.ones(order.shape[1], dtype=bool)
    unsure = np.zeros(order.shape[1], dtype=bool)
    for part in parts:
        tied &= part[lowest, trials] == part[next_lowest, trials]
        unsure |= np.isnan(part).any(axis=0)
    return lowest, unsure | tied


def _better_source(options: _Options) -> tuple[np.ndarray, np.ndarray]:
    """`decide._cost`'s preference between the two sources, per strategy and trial: (the first
    source, whose name sorts first, is preferred; unsure)."""
    fits = options.fits

    def key(j: int) -> list[np.ndarray]:
        return [np.where(fits[j], 0.0, 1.0), np.where(fits[j], 0.0, options.short_money[j]),
                np.where(fits[j], 0.0, options.short_weeks[j]), -options.net_value[j],
                np.where(fits[j], options.horizon_total[j], 0.0)]

    rounded = (False, True, False, True, True)
    first, tie, unsure = _compare(list(zip(key(0), key(1), rounded, strict=True)), fits.shape[1:])
    # equal figures: the source whose name sorts first, as the tuples compare
    return first | tie, unsure
