"""The tornado's vectorised picks (engine/picks.py) agree with the scalar decision, trial by trial."""

from __future__ import annotations

from pathlib import Path

import pytest

from tunewise.engine import montecarlo
from tunewise.engine.answers import load_answer_path, require
from tunewise.engine.assumptions import load_catalogue
from tunewise.engine.costs import values_in
from tunewise.engine.decide import decide, effective_answers, rule_stage
from tunewise.engine.picks import Gates, build_picks
from tunewise.engine.questions import load_bank
from tunewise.engine.rules import load_rules

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.yaml"))
# Limits that put some trials over budget or late, so more than one verdict and source show up.
TIGHTER = ({}, {"budget_upfront": 60_000, "timeline_weeks": 10}, {"budget_monthly": 4_000},
           {"privacy": "regulated"})


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("change", TIGHTER, ids=("as-given", "tight-upfront", "tight-monthly", "regulated"))
def test_vectorised_picks_match_scalar_decisions(path: Path, change: dict) -> None:
    bank, book, catalogue = load_bank(), load_rules(), load_catalogue()
    answer_file = require(load_answer_path(path))
    values = values_in(catalogue, answer_file.currency)
    answers = effective_answers(bank, dict(answer_file.answers) | change)
    stage = rule_stage(book, answers)
    base = decide(book, answers, values, explain=False)
    pairs = [(item.id, source) for item in base.ranked for source in item.economics]
    ranges = {key: (e.low, e.high) for key, e in catalogue.entries.items()
              if e.low != e.high and not key.startswith("fx_") and key != "horizon_months"}
    trials = montecarlo.one_at_a_time(values, ranges, answers, pairs)
    picks = build_picks(Gates.uniform(stage, answers, trials.count), trials.totals, trials.count,
                        trials.horizon, trials.values)
    decided = 0
    for (key, value), at in trials.index.items():
        def reuse(strategy: str, source: str, at: int = at):
            return trials.economics(strategy, source, at)

        scalar = decide(book, answers, dict(values) | {key: value}, reuse=reuse, stage=stage,
                        explain=False)
        picked = picks[at]
        if picked is not None:
            decided += 1
            assert picked.strategy == scalar.recommended.id, (key, value, scalar.verdict)
            assert picked.source == scalar.recommended.source, (key, value)
            assert picked.ranked == tuple(s.id for s in scalar.ranked), (key, value)
            assert picked.verdict == scalar.verdict, (key, value)
    # Only figures too close to call are left to the scalar path: nearly every trial is picked here.
    assert decided >= 0.9 * len(picks), (decided, len(picks))


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
