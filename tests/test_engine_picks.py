"""The tornado's vectorised picks (engine/picks.py) agree with the scalar decision, trial by trial."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from tunewise.engine import montecarlo, picks
from tunewise.engine.answers import load_answer_path, require
from tunewise.engine.assumptions import load_catalogue
from tunewise.engine.costs import economics, values_in
from tunewise.engine.decide import decide, effective_answers, rule_stage
from tunewise.engine.questions import load_bank
from tunewise.engine.rules import load_rules
from tunewise.engine.scenarios import Scenarios
from tunewise.engine.sensitivity import flip_changes
from tunewise.engine.value import combine, delivered_by_month

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.yaml"))
# Limits that put some trials over budget or late, so more than one verdict and source show up.
TIGHTER = ({}, {"budget_upfront": 60_000, "timeline_weeks": 10}, {"budget_monthly": 4_000},
           {"privacy": "regulated"})


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("change", TIGHTER, ids=("as-given", "tight-upfront", "tight-monthly", "regulated"))
def test_vectorised_picks_match_scalar_decisions(path: Path, change: dict) -> None:
    """Each figure at its low and its high, costed in the same pass as every other answer to every
    question (as the assessment's tornado does), is picked as the scalar decision on those costs picks."""
    bank, book, catalogue = load_bank(), load_rules(), load_catalogue()
    answer_file = require(load_answer_path(path))
    values = values_in(catalogue, answer_file.currency)
    answers = effective_answers(bank, dict(answer_file.answers) | change)
    stage = rule_stage(book, answers)
    base = decide(book, answers, values, explain=False)
    figures = [(key, end) for key, e in catalogue.entries.items()
               if e.low != e.high and not key.startswith("fx_") and key != "horizon_months"
               for end in (e.low, e.high)]
    scenarios = Scenarios(book, bank, values, answers, base)
    scenarios.changes(flip_changes(bank, answers), answers, figures=figures)
    horizon = int(values["horizon_months"])
    decided = 0
    for key, value in figures:
        trial = scenarios.figures[(key, value)]

        def reuse(strategy: str, source: str, trial=trial):
            return trial.totals[(strategy, source)].economics(strategy, source, horizon, trial.at)

        scalar = decide(book, answers, dict(values) | {key: value}, reuse=reuse, stage=stage,
                        explain=False)
        # the batch's costs are those of evaluating this figure's value afresh
        leader = base.recommended
        afresh = economics(dict(values) | {key: value}, leader.id, leader.source, answers).horizon_total
        assert math.isclose(reuse(leader.id, leader.source).horizon_total, afresh, rel_tol=1e-12), key
        picked = trial.picked
        if picked is not None:
            decided += 1
            assert picked.strategy == scalar.recommended.id, (key, value, scalar.verdict)
            assert picked.source == scalar.recommended.source, (key, value)
            assert picked.ranked == tuple(s.id for s in scalar.ranked), (key, value)
            assert picked.verdict == scalar.verdict, (key, value)
    # Only figures too close to call are left to the scalar path: nearly every trial is picked here.
    assert decided >= 0.9 * len(figures), (decided, len(figures))


def test_horizon_totals_read_from_the_columns_are_those_of_the_trials_economics() -> None:
    """The sensitivity's horizon totals, taken from a batch's columns, are what each trial's own
    Economics gives, to the last bit: a negative zero, a go-live after the horizon, not a number."""
    import numpy as np

    columns = {name: np.array(values, dtype=float) for name, values in {
        "upfront": [-0.0, 1e5, 3.5, np.nan, 2e6], "monthly": [-0.0, 1234.5, 0.1, 7.0, np.inf],
        "benefit": [0.0] * 5, "weeks_to_live": [-0.0, 12.0, 400.0, 3.0, np.nan],
        "error_reduction": [0.0] * 5, "errors_avoided_monthly": [0.0] * 5, "retrains_per_month": [0.0] * 5,
        "ip_asset_value": [0.0] * 5}.items()}
    totals = montecarlo.StageTotals(columns)
    for at in range(5):
        expected = totals.economics("rag", "closed_api", 36, at).horizon_total
        found = totals.horizon_total(36, at)
        assert repr(found) == repr(expected)


@pytest.mark.parametrize("rate", [0.08, 0.0, -0.5, np.array([0.08, 0.2, 0.0])])
@pytest.mark.parametrize("zero", [0.0, -0.0])
def test_net_value_without_a_one_off_benefit_skips_its_discount_to_the_same_bits(rate, zero) -> None:
    """Without a one-off benefit the picks leave its discount out; the net values are the same
    floats as with it (signed zeros included), and a one-off benefit is still discounted."""
    live = np.array([[[0.0, 2.5, 7.25]], [[1.0, 36.0, 12.5]]])
    upfront, monthly, benefit, running, adopted = (live * k + 1.0 for k in (1000.0, -30.0, 55.0, 0.9, 0.7))
    none = np.full(live.shape, zero)
    full = combine(upfront, monthly, benefit, running, adopted, delivered_by_month(live, rate), 0.8, none)
    lean = combine(upfront, monthly, benefit, running, adopted, picks._delivered(live, rate, none), 0.8, none)
    assert np.array_equal(full, lean) and np.array_equal(np.signbit(full), np.signbit(lean))
    some = none.copy()
    some[0, 0, 1] = 5000.0
    assert np.array_equal(picks._delivered(live, rate, some), delivered_by_month(live, rate))
    with np.errstate(invalid="ignore"):   # a rate below -100 %: its discount is not a number
        assert np.isnan(picks._delivered(live, np.array([-1.5, 0.1, 0.1]), none)).any()
