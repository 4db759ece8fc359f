"""Shortcuts in the engine give the numbers a full computation gives, to the last bit.

The live panel starts each decision from the previous one's evaluations
(`CostModel.evaluate_near`), and the sensitivity analysis costs its trials the same way;
both must conclude exactly what a decision from scratch does.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.answer_strategies import answers
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


@settings(max_examples=40, deadline=None)
@given(answers(), answers())
def test_evaluating_near_another_answer_set_equals_evaluating_in_full(first, second):
    bank, model = load_bank(), load_cost_model()
    values = values_in(load_catalogue(), "USD")
    before = effective_answers(bank, bank.defaults() | dict(first))
    after = effective_answers(bank, bank.defaults() | dict(second))
    for strategy in STRATEGIES:
        for source in SOURCES:
            base = model.evaluate(values, before, strategy, source)
            near = model.evaluate_near(base, before, values, after, strategy, source)
            full = model.evaluate(values, after, strategy, source)
            assert near.keys() == full.keys()
            for name, value in full.items():
                assert near[name] == value or (value != value and near[name] != near[name]), name
