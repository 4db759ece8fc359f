"""Each bundled example reaches the recommendation the talk's reasoning leads to."""

import pytest

from tunewise.engine.answers import load_answer_path, require
from tunewise.engine.assess import assess

EXPECTED = {
    # news moves by the minute and answers must cite sources: retrieve, never train
    "trading-news": ("rag", "closed_api"),
    # solved tickets to learn from, weekly-changing policies to look up
    "support-tickets": ("hybrid", "closed_api"),
    # regulated patient data stays in-house; stable specialist knowledge
    "regulated-clinic": ("peft", "open_weights"),
    # a few pages fit in the prompt
    "small-faq": ("prompt", "closed_api"),
    # stable legal material at millions of questions a month
    "legal-high-volume": ("peft", "open_weights"),
    # terabytes of private text, an expert team and ownership as a goal
    "massive-corpus": ("from_scratch", "open_weights"),
}


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_example_recommendation(examples_dir, stem):
    assessment = assess(require(load_answer_path(examples_dir / f"{stem}.yaml")))
    rec = assessment.recommendation
    assert (rec.strategy, rec.model_source) == EXPECTED[stem]
    assert rec.within_constraints
    assert rec.runner_up and rec.runner_up != rec.strategy
    assert 0.5 <= rec.confidence < 1.0
    assert assessment.client.project in rec.summary


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
