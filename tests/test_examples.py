"""Each bundled example reaches the recommendation the talk's reasoning leads to."""

import pytest

from tunewise.engine.answers import load_answer_path, require
from tunewise.engine.assess import assess

EXPECTED = {
    # news moves by the minute and answers must cite sources: retrieve, never train
    "trading-news": ("rag", "closed_api", "build"),
    # solved tickets to learn from, weekly-changing policies to look up
    "support-tickets": ("hybrid", "closed_api", "build"),
    # regulated patient data stays in-house; stable specialist knowledge. GPUs at a hyperscaler
    # that may host regulated data ($6.88 an hour) push every option over the $10,000 monthly
    # budget and just below break-even at $5 per wrong answer. With the talk's hallucination
    # figure at 50 % (the studies in the catalogue put it lower), RAG is nearest to paying back
    "regulated-clinic": ("rag", "open_weights", "do_not_build"),
    # a few pages fit in the prompt; with no team, contracting help takes the
    # prompt past the 4-week deadline, so the verdict names the 2 weeks it needs
    "small-faq": ("prompt", "closed_api", "outside_constraints"),
    # stable legal material at millions of questions a month; hosting two GPUs and
    # their operations costs more than the vendor's fine-tuned model at this volume
    "legal-high-volume": ("peft", "closed_api", "build"),
    # terabytes of private text, an expert team and a value put on ownership; training
    # from scratch would miss the 52-week deadline (56 weeks)
    "massive-corpus": ("full_fine_tune", "open_weights", "build"),
}


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_example_recommendation(examples_dir, stem):
    assessment = assess(require(load_answer_path(examples_dir / f"{stem}.yaml")))
    rec = assessment.recommendation
    assert (rec.strategy, rec.model_source, rec.verdict) == EXPECTED[stem]
    assert rec.within_constraints == pick_fits(assessment)
    assert rec.runner_up and rec.runner_up != rec.strategy
    pick = assessment.recommended
    assert rec.confidence == pytest.approx(pick.probability_best, abs=1e-3)
    assert assessment.client.project in rec.summary
    # the numbers agree with the pick: no option that fits has a higher net value
    fitting = [s for s in assessment.strategies if s.eligible]
    if rec.verdict == "build":
        assert pick.net_value == max(s.net_value for s in fitting) > 0
    for strategy in assessment.strategies:
        assert strategy.net_value_p10 <= strategy.net_value_p90
        assert strategy.eligible == all(g.passed for g in strategy.gates)


def pick_fits(assessment):
    return all(gate.passed for gate in assessment.recommended.gates)


def test_regulated_clinic_says_what_would_have_to_be_true(examples_dir):
    assessment = assess(require(load_answer_path(examples_dir / "regulated-clinic.yaml")))
    step = assessment.recommendation.next_step
    assert "break even" in step and "per wrong answer" not in step or "wrong answer costing" in step
    assert all(s.net_value < 0 for s in assessment.strategies)


def test_small_faq_names_the_weeks_it_needs(examples_dir):
    assessment = assess(require(load_answer_path(examples_dir / "small-faq.yaml")))
    prompt = assessment.strategy("prompt")
    assert prompt.shortfall.weeks == pytest.approx(2.0)
    assert "2 more weeks" in assessment.recommendation.next_step
    assert any("deadline" in w for w in assessment.recommendation.warnings)


def test_assessment_is_byte_identical_run_to_run(examples_dir):
    import json

    answer_file = require(load_answer_path(examples_dir / "legal-high-volume.yaml"))
    first = json.dumps(assess(answer_file, with_sensitivity=False).to_json_dict(), sort_keys=True)
    second = json.dumps(assess(answer_file, with_sensitivity=False).to_json_dict(), sort_keys=True)
    assert first == second


def test_every_example_is_covered(examples_dir):
    assert {p.stem for p in examples_dir.glob("*.yaml")} == set(EXPECTED)


def test_trading_news_rules_out_training_for_realtime_data(examples_dir):
    assessment = assess(require(load_answer_path(examples_dir / "trading-news.yaml")))
    peft = assessment.strategy("peft")
    assert not peft.eligible
    assert any("minute" in reason for reason in peft.excluded_because)


def test_hybrid_example_splits_knowledge(examples_dir):
    assessment = assess(require(load_answer_path(examples_dir / "support-tickets.yaml")))
    split = assessment.knowledge_split
    assert split is not None
    assert any("ticket" in item.lower() for item in split.fine_tune)
    assert any("polic" in item.lower() for item in split.retrieve)
