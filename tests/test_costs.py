"""The cost model: hand-checked figures, break-even, and the direction costs move."""

import math
import struct

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.answer_strategies import answers
from tests.conftest import EXAMPLES
from tunewise.engine.answers import AnswerFile, Client, load_answer_path, require
from tunewise.engine.assess import assess
from tunewise.engine.assumptions import load_catalogue
from tunewise.engine.costs import economics, values_in
from tunewise.engine.money import round_to
from tunewise.engine.questions import load_bank

BASE = {
    "domain": "general", "needs_private_data": True, "data_volume": "moderate",
    "data_change": "quarterly", "stable_and_evolving": False, "privacy": "confidential",
    "needs_citations": False, "behaviour_change": False, "accuracy": "high",
    "latency": "interactive", "monthly_queries": 50_000, "budget_upfront": 1_000_000,
    "budget_monthly": 100_000, "ml_team": "engineers", "timeline_weeks": 26,
    "ip_ownership": False,
}
V = values_in(load_catalogue(), "USD")
CHANGE = load_bank().get("data_change").values
VOLUME = load_bank().get("data_volume").values


def test_rag_on_a_closed_api_by_hand():
    e = economics(V, "rag", "closed_api", BASE)
    upfront = {line.key: line.amount for line in e.upfront}
    # 240 h of preparation x 40 % for retrieval, 80 h evaluation, 240 h build, all at $100/h
    assert upfront["data_preparation"] == pytest.approx(96 * 100)
    assert upfront["evaluation_set"] == pytest.approx(80 * 100)
    assert upfront["engineering"] == pytest.approx(240 * 100)
    assert upfront["ingestion"] == pytest.approx(20e6 * 0.02 / 1e6)   # 20M tokens embedded
    monthly = {line.key: line.amount for line in e.monthly}
    # per question: 600 cached-prefix tokens billed at 0.8*0.25+0.2 = 40 %, 400 question tokens,
    # 5 passages x 800 tokens, 350 output tokens, at $0.40 / $1.60 per million
    per_question = (600 * 0.4 + 400 + 4000) * 0.40e-6 + 350 * 1.60e-6
    assert monthly["inference"] == pytest.approx(50_000 * per_question)
    assert monthly["vector_db"] == pytest.approx(50.0)          # under the $50 minimum
    changed = 20e6 * 0.1 / 4.5                                  # 10 % of documents every 4.5 months
    assert monthly["reembedding"] == pytest.approx(changed * 0.02e-6 + 8 * 100)
    assert monthly["maintenance"] == pytest.approx(0.015 * (9_600 + 8_000 + 24_000))
    live = (6 + 4 * 0.4) / (52 / 12)                            # weeks to go live, in months
    assert e.horizon_total == pytest.approx(e.upfront_total + e.monthly_total * (36 - live))
    assert e.benefit_monthly == pytest.approx(50_000 * 0.2 * 0.45 * 9.10)  # default cost per error


def test_peft_on_a_closed_api_by_hand():
    e = economics(V, "peft", "closed_api", BASE)
    ml_rate = 100 * 1.3                                         # engineers learning on the job
    assert e.upfront_total == pytest.approx((240 + 80 + 200) * ml_rate + 2e6 * 3 * 5 / 1e6)
    monthly = {line.key: line.amount for line in e.monthly}
    per_question = (240 * 0.4 + 400) * 0.80e-6 + 350 * 3.20e-6   # shorter prompt, 2x prices
    assert monthly["inference"] == pytest.approx(50_000 * per_question)
    assert monthly["retraining"] == pytest.approx((30 + 40 * ml_rate) / 4.5)
    assert e.retrains_per_month == pytest.approx(1 / 4.5)
    reduction = 0.5 * 0.85                                      # talk's figure x quarterly freshness
    assert e.error_reduction == pytest.approx(reduction)


def test_no_break_even_where_the_totals_never_cross():
    # legal-high-volume: RAG on open weights costs more than PEFT on a closed API at every volume
    answer_file = require(load_answer_path(EXAMPLES / "legal-high-volume.yaml"))
    assessment = assess(answer_file, with_sensitivity=False)
    assert assessment.break_even_monthly_queries is None
    values = values_in(load_catalogue(), answer_file.currency)
    for volume in (0, 10_000, 1_000_000, 100_000_000, 10_000_000_000):
        rag = economics(values, "rag", assessment.strategy("rag").model_source, answer_file.answers, volume)
        peft = economics(values, "peft", assessment.strategy("peft").model_source, answer_file.answers,
                         volume)
        assert rag.horizon_total > peft.horizon_total


@pytest.mark.parametrize("stem", ["regulated-clinic", "support-tickets"])
def test_rag_and_peft_agree_at_the_break_even_volume(stem):
    answer_file = require(load_answer_path(EXAMPLES / f"{stem}.yaml"))
    assessment = assess(answer_file, with_sensitivity=False)
    volume = assessment.break_even_monthly_queries
    assert volume is not None and volume > 0
    values = values_in(load_catalogue(), answer_file.currency)
    rag = economics(values, "rag", assessment.strategy("rag").model_source, answer_file.answers,
                    volume).horizon_total
    peft = economics(values, "peft", assessment.strategy("peft").model_source,
                     answer_file.answers, volume).horizon_total
    assert rag == pytest.approx(peft, rel=0.01)


@given(answers(), st.sampled_from(["prompt", "rag", "peft", "full_fine_tune", "from_scratch",
                                   "hybrid"]), st.sampled_from(["closed_api", "open_weights"]),
       st.integers(0, 10**9), st.integers(0, 10**9))
def test_costs_never_fall_as_volume_rises(drawn, strategy, source, a, b):
    low, high = sorted((a, b))
    assert (economics(V, strategy, source, drawn, high).monthly_total
            >= economics(V, strategy, source, drawn, low).monthly_total - 1e-9)


@given(answers(needs_private_data=True), st.sampled_from(["rag", "peft", "hybrid", "full_fine_tune"]),
       st.sampled_from(["closed_api", "open_weights"]), st.data())
def test_faster_change_never_makes_upkeep_cheaper(drawn, strategy, source, data):
    slow, fast = sorted(data.draw(st.lists(st.sampled_from(CHANGE), min_size=2, max_size=2,
                                           unique=True)), key=CHANGE.index)
    before = economics(V, strategy, source, drawn | {"data_change": slow})
    after = economics(V, strategy, source, drawn | {"data_change": fast})
    assert after.monthly_total >= before.monthly_total - 1e-9


@given(answers(needs_private_data=True), st.sampled_from(["rag", "peft", "hybrid"]),
       st.sampled_from(["closed_api", "open_weights"]), st.data())
def test_more_data_never_makes_building_cheaper(drawn, strategy, source, data):
    small, large = sorted(data.draw(st.lists(st.sampled_from(VOLUME), min_size=2, max_size=2,
                                             unique=True)), key=VOLUME.index)
    before = economics(V, strategy, source, drawn | {"data_volume": small})
    after = economics(V, strategy, source, drawn | {"data_volume": large})
    assert after.upfront_total >= before.upfront_total - 1e-9


@given(answers(), st.integers(1, 120), st.integers(1, 120))
def test_longer_horizons_cost_more(drawn, a, b):
    short, long = sorted((a, b))
    for strategy in ("rag", "peft"):
        first = economics(V | {"horizon_months": short}, strategy, "closed_api", drawn)
        second = economics(V | {"horizon_months": long}, strategy, "closed_api", drawn)
        assert second.horizon_total >= first.horizon_total - 1e-9


def test_every_cost_line_traces_to_the_catalogue_and_overrides_are_marked():
    answer_file = require(load_answer_path(EXAMPLES / "support-tickets.yaml"))
    assessment = assess(answer_file, with_sensitivity=False)
    catalogue = load_catalogue()
    for strategy in assessment.strategies:
        costs = strategy.costs
        for line in [*costs.upfront_lines, *costs.monthly_lines, *costs.hidden_lines,
                     *strategy.benefits.lines]:
            assert line.assumptions, line.key
            assert set(line.assumptions) <= set(catalogue.entries), line.key
            assert line.basis
        assert costs.upfront == pytest.approx(sum(x.amount for x in costs.upfront_lines), abs=0.05)
        assert costs.monthly == pytest.approx(sum(x.amount for x in costs.monthly_lines), abs=0.05)
    overridden = AnswerFile(**(answer_file.model_dump() | {"assumptions": {"gpu_hour_usd": 9.0}}))
    again = assess(overridden, with_sensitivity=False)
    entry = next(a for a in again.assumptions if a.key == "gpu_hour_usd")
    assert entry.overridden and entry.value == 9.0
    assert not next(a for a in assessment.assumptions if a.key == "gpu_hour_usd").overridden


def test_currency_converts_catalogue_dollars():
    answer_file = require(load_answer_path(EXAMPLES / "support-tickets.yaml"))   # EUR
    euros = assess(answer_file, with_sensitivity=False)
    dollars = assess(AnswerFile(**(answer_file.model_dump() | {"currency": "USD"})),
                     with_sensitivity=False)
    rate = load_catalogue().value("fx_EUR")
    # the same plan priced in euros: catalogue dollar figures times the rate
    assert euros.strategy("rag").costs.upfront == pytest.approx(
        dollars.strategy("rag").costs.upfront * rate, rel=1e-6)
    assert "€" in euros.recommendation.summary


def test_budget_overrun_is_explained_with_both_numbers():
    answer_file = AnswerFile(client=Client(name="A", project="B"),
                             answers=BASE | {"budget_upfront": 20_000})
    assessment = assess(answer_file, with_sensitivity=False)
    peft = assessment.strategy("peft")
    assert not peft.eligible
    [text] = [t for t in peft.excluded_because if "budget" in t]
    upfront = peft.costs.upfront
    assert f"${upfront:,.0f}" in text and "$20,000" in text
    assert f"${upfront - 20_000:,.0f} more" in text
    assert peft.shortfall.upfront == pytest.approx(upfront - 20_000, abs=0.01)
    [gate] = [g for g in peft.gates if g.gate == "budget_upfront"]
    assert not gate.passed and gate.text == text


def test_flips_and_tornado_are_reported():
    assessment = assess(require(load_answer_path(EXAMPLES / "regulated-clinic.yaml")))
    sens = assessment.sensitivity
    assert any(f.question == "data_change" and f.strategy == "peft" for f in sens.flips)
    assert sens.tornado and all(bar.low <= bar.high for bar in sens.tornado)
    swings = [bar.swing for bar in sens.tornado[:5]]
    assert swings == sorted(swings, reverse=True)
    assert len(sens.volume_curve) >= 10
    assert sens.recommendation_changes_at


_TIES = ([k / 200 for k in range(-400, 400)] + [k / 20 for k in range(-400, 400)]
         + [2.675, 1.005, 0.125, -0.125])
_EDGES = [0.0, -0.0, 1e-9, -1e-9, -0.004, 5e-324, 99_999_999_999.995, 1e15 + 0.125, 1.7976931348623157e308,
          float("inf"), float("-inf"), float("nan")]


@given(st.lists(st.floats(allow_nan=True, allow_infinity=True), max_size=50), st.integers(0, 4))
def test_fast_rounding_gives_pythons_round_to_the_last_bit(figures, digits):
    """The report's figures are rounded by `money.round_to`: every one the float round() gives,
    signed zeros, ties, the largest and smallest doubles and NaN included."""
    for x in figures + _TIES + _EDGES:
        ours, pythons = round_to(x, digits), round(x, digits)
        assert (math.isnan(ours) and math.isnan(pythons)) or \
            struct.pack("<d", ours) == struct.pack("<d", pythons), (x, digits)
