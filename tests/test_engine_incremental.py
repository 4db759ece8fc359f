"""Shortcuts in the engine give the numbers a full computation gives, to the last bit.

The live panel starts each decision from the previous one's evaluations
(`CostModel.evaluate_near`), and the sensitivity analysis costs its trials the same way;
both must conclude exactly what a decision from scratch does. The Monte Carlo evaluates
its strategies together and discounts its draws month by month; both must give the
numbers the plain computation gives.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.answer_strategies import answers
from tunewise.engine import montecarlo
from tunewise.engine import value as npv
from tunewise.engine.assess import quick_decision
from tunewise.engine.assumptions import load_catalogue
from tunewise.engine.cost_model import load_cost_model
from tunewise.engine.costs import values_in
from tunewise.engine.decide import decide, effective_answers
from tunewise.engine.questions import load_bank
from tunewise.engine.rules import load_rules

STRATEGIES = ("prompt", "rag", "peft", "full_fine_tune", "from_scratch", "hybrid")
SOURCES = ("closed_api", "open_weights")


def _summary(decision) -> list:
    return [(s.id, s.source, s.eligible, s.hard_excluded, s.net_value, s.chosen.horizon_total,
             s.chosen.weeks_to_live, [(r.rule, r.effect, r.text) for r in s.reasons])
            for s in decision.ranked] + [decision.verdict, decision.confidence, decision.warnings]


@settings(max_examples=40, deadline=None)
@given(st.lists(answers(), min_size=2, max_size=4))
def test_live_decisions_in_a_row_match_decisions_from_scratch(answer_sets):
    bank, book = load_bank(), load_rules()
    values = values_in(load_catalogue(), "USD")
    for drawn in answer_sets:
        live = quick_decision(drawn)
        fresh = decide(book, effective_answers(bank, bank.defaults() | dict(drawn)), values)
        assert _summary(live) == _summary(fresh)


@settings(max_examples=60, deadline=None)
@given(answers(), answers())
def test_inputs_of_changed_answers_are_those_that_differ_in_full(first, second):
    """A sensitivity trial's inputs are worked out only for the answers it changes; they are
    exactly the inputs that differ when every answer is turned into numbers again."""
    bank, model = load_bank(), load_cost_model()
    before = effective_answers(bank, bank.defaults() | dict(first))
    after = effective_answers(bank, bank.defaults() | dict(second))
    base = model._answer_inputs(before, frozenset())
    changed = {q for q in before.keys() | after.keys() if before.get(q, base) != after.get(q, base)}
    expected = {name: value for name, value in model._answer_inputs(after, frozenset()).items()
                if value != base[name]}
    assert model.changed_inputs(after, changed, base) == expected


@settings(max_examples=40, deadline=None)
@given(answers(), answers(), st.none() | st.floats(min_value=0, max_value=1e9))
def test_evaluating_near_another_answer_set_equals_evaluating_in_full(first, second, queries):
    """Also at a volume other than the answers' (what the advice and the break-even volume try)."""
    bank, model = load_bank(), load_cost_model()
    values = values_in(load_catalogue(), "USD")
    before = effective_answers(bank, bank.defaults() | dict(first))
    after = effective_answers(bank, bank.defaults() | dict(second))
    for strategy in STRATEGIES:
        for source in SOURCES:
            base = model.evaluate(values, before, strategy, source)
            near = model.evaluate_near(base, before, values, after, strategy, source, queries=queries)
            full = model.evaluate(values, after, strategy, source, queries)
            _assert_same_figures(near, full)
            # the same answers with every priced effect held off (what pricing each effect asks)
            off = frozenset(model.switches)
            near = model.evaluate_near(base, before, values, before, strategy, source, off, queries)
            _assert_same_figures(near, model.evaluate(values, before, strategy, source, queries, off))


def _assert_same_figures(near, full) -> None:
    assert near.keys() == full.keys()
    for name, value in full.items():
        assert near[name] == value or (value != value and near[name] != near[name]), name


def _same(a, b) -> bool:
    """Equal to the last bit, with the same shape (NaN equal to NaN)."""
    return np.shape(a) == np.shape(b) and np.array_equal(a, b, equal_nan=True)


@settings(max_examples=25, deadline=None)
@given(answers(), st.booleans())
def test_evaluating_strategies_together_equals_evaluating_each_alone(drawn, on_draws):
    """`evaluate_many` copies the steps one strategy shares with another; the Monte Carlo uses it."""
    bank, model, catalogue = load_bank(), load_cost_model(), load_catalogue()
    values = values_in(catalogue, "USD")
    figures = montecarlo.draws(catalogue, values, 1.0) if on_draws else values
    effective = effective_answers(bank, bank.defaults() | dict(drawn))
    pairs = [(strategy, source) for source in SOURCES for strategy in STRATEGIES]
    for pair, together in zip(pairs, model.evaluate_many(figures, effective, pairs), strict=True):
        alone = model.evaluate(figures, effective, *pair)
        assert together.keys() == alone.keys()
        assert all(_same(together[name], found) for name, found in alone.items()), pair


@pytest.mark.parametrize("horizon", [0, 1, 7, 8, 12, 36, 61, 128, 129, 300])
@pytest.mark.parametrize(("soonest", "latest", "longest_ramp"), [(-1.0, 400.0, 12.0), (3.0, 6.0, 4.0),
                                                                  (0.0, 1.0, 0.0), (10.0, 10.0, 2.0),
                                                                  (1e308, 1e308, 1.79e308)])
def test_discounting_columns_month_by_month_equals_the_plain_broadcast(horizon, soonest, latest,
                                                                      longest_ramp):
    """`value.factors` on columns of draws (months laid out first, only the months where some draw
    is part live or part adopted computed, numpy's row sums rebuilt) gives exactly what the
    straightforward draws-by-months computation gives."""
    rng = np.random.default_rng(horizon)
    live = rng.uniform(soonest, latest, 500)
    live[:100] = np.round(live[:100])          # whole months, where a month's live share is 0 or 1
    ramp = rng.uniform(0.0, longest_ramp, 500)
    ramp[:50] = 0.0
    for rate in (rng.uniform(0.0, 0.3, 500), 0.08, np.full(500, -1.0)):   # -1: an infinite discount
        with np.errstate(divide="ignore", invalid="ignore"):
            found = npv.factors(live, horizon, rate, ramp)
            plain = npv._factors_broadcast(npv._month_grid(horizon), live[:, None],
                                           np.maximum(ramp[:, None], 1e-9), npv._discount(rate, horizon))
        assert all(_same(a, b) and np.array_equal(np.signbit(a), np.signbit(b))
                   for a, b in zip(found, plain, strict=True))


@pytest.mark.parametrize("horizon", [1, 7, 12, 36, 61, 300])
@pytest.mark.parametrize(("soonest", "spread", "longest_ramp"), [(-1.0, 40.0, 12.0), (3.0, 3.0, 4.0),
                                                                 (0.0, 1.0, 0.0), (30.0, 0.0, 40.0)])
def test_monte_carlo_discounting_in_closed_form_equals_the_month_by_month_sums(horizon, soonest, spread,
                                                                             longest_ramp):
    """The Monte Carlo's geometric-series discounting gives the month-by-month figures to 1e-10 of
    their size, for go-lives before, inside and after the horizon, whole months and no ramp; a rate
    too near zero for the closed form, or one that is not a number, falls back to the months."""
    rng = np.random.default_rng(horizon)
    live = rng.uniform(soonest, soonest + spread, 2000)
    live[:300] = np.round(live[:300])
    ramp = rng.uniform(0.0, longest_ramp, 2000)
    ramp[:50] = 0.0
    for rate in (rng.uniform(0.002, 0.4, 2000), 0.09, np.full(2000, 1e-5), np.full(2000, -1.0)):
        with np.errstate(divide="ignore", invalid="ignore"):
            months = npv.factors(live, horizon, rate, ramp)
            closed = npv.factors_of_draws(live, horizon, rate, ramp)
        for a, b in zip(months, closed, strict=True):
            finite = np.isfinite(a)
            assert np.array_equal(finite, np.isfinite(b))
            assert np.allclose(a[finite], b[finite], rtol=1e-10, atol=1e-10)


def _fresh_outcome(bank, book, values, answers):
    decision = decide(book, effective_answers(bank, answers), values, explain=False)
    return (decision.recommended.id, decision.recommended.source, tuple(s.id for s in decision.ranked),
            decision.verdict)


@settings(max_examples=30, deadline=None)
@given(answers(), st.lists(st.integers(min_value=0, max_value=200_000_000), min_size=1, max_size=6))
def test_sensitivity_trials_decided_in_one_pass_match_decisions_from_scratch(drawn, volumes):
    """What the sensitivity analysis concludes for each changed answer (every other answer to every
    question, and other volumes) is what deciding that answer set from scratch concludes."""
    from tunewise.engine.scenarios import Scenarios
    from tunewise.engine.sensitivity import flip_changes

    bank, book = load_bank(), load_rules()
    values = values_in(load_catalogue(), "USD")
    raw = bank.defaults() | dict(drawn)
    effective = effective_answers(bank, raw)
    scenarios = Scenarios(book, bank, values, effective, decide(book, effective, values, explain=False))
    tried = flip_changes(bank, raw)
    for (question, value), outcome in zip(tried, scenarios.changes(tried, raw), strict=True):
        expected = _fresh_outcome(bank, book, values, raw | {question: value})
        found = (outcome.strategy, outcome.source, outcome.ranked, outcome.verdict)
        assert found == expected, (question, value)
    by_volume = [("monthly_queries", volume) for volume in volumes]
    winners = scenarios.winners_at(volumes)
    for (_, volume), outcome, winner in zip(by_volume, scenarios.changes(by_volume), winners, strict=True):
        expected = _fresh_outcome(bank, book, values, effective | {"monthly_queries": volume})
        assert (outcome.strategy, outcome.source, outcome.ranked, outcome.verdict) == expected, volume
        assert winner == expected[0], volume
