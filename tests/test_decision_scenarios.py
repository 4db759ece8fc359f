"""The talk's rules of thumb, each as a situation the priced model must agree with."""

import pytest

from tunewise.engine.assess import quick_decision

BASE = {
    "domain": "general", "needs_private_data": True, "data_volume": "moderate",
    "data_change": "quarterly", "stable_and_evolving": False, "privacy": "confidential",
    "needs_citations": False, "behaviour_change": False, "accuracy": "high", "cost_per_error": 5,
    "latency": "interactive", "monthly_queries": 50_000, "budget_upfront": 300_000,
    "budget_monthly": 30_000, "ml_team": "engineers", "timeline_weeks": 26, "ip_ownership": False,
}
FINE_TUNING = {"peft", "full_fine_tune", "from_scratch", "hybrid"}


def best(**changes):
    decision = quick_decision(BASE | changes)
    return decision, decision.recommended


def test_small_context_goes_in_the_prompt():
    decision, pick = best(data_volume="prompt_sized", data_change="yearly", monthly_queries=5_000)
    assert (pick.id, decision.verdict) == ("prompt", "build")


def test_fast_changing_facts_are_retrieved():
    decision, pick = best(data_change="daily")
    assert (pick.id, decision.verdict) == ("rag", "build")


def test_citations_need_retrieval():
    decision, pick = best(needs_citations=True, data_change="static", behaviour_change=True)
    assert pick.id in ("rag", "hybrid") and decision.verdict == "build"


def test_stable_niche_knowledge_at_high_volume_is_fine_tuned():
    decision, pick = best(domain="legal", data_change="static", monthly_queries=5_000_000,
                          cost_per_error=1, ml_team="ml_experts")
    assert (pick.id, decision.verdict) == ("peft", "build")


def test_terabytes_with_an_expert_team_and_budget_train_the_whole_model():
    decision, pick = best(data_volume="massive", data_change="static", behaviour_change=True,
                          monthly_queries=2_000_000, cost_per_error=2, ml_team="ml_experts",
                          budget_upfront=10_000_000, budget_monthly=500_000, timeline_weeks=104)
    assert pick.id in ("full_fine_tune", "from_scratch") and decision.verdict == "build"


def test_lasting_know_how_beside_changing_facts_is_hybrid():
    decision, pick = best(domain="customer_support", data_change="weekly", stable_and_evolving=True,
                          behaviour_change=True, monthly_queries=200_000)
    assert (pick.id, decision.verdict) == ("hybrid", "build")


def test_regulated_data_stays_on_open_weights_without_a_cloud_agreement():
    decision, pick = best(privacy="regulated")
    assert all(item.source == "open_weights" for item in decision.ranked)
    assert pick.source == "open_weights"


def test_a_cloud_agreement_reopens_the_closed_api_at_a_compliance_cost():
    decision, _ = best(privacy="regulated", cloud_agreement=True)
    rag = next(item for item in decision.ranked if item.id == "rag")
    assert "closed_api" in rag.economics
    keys = {line.key for line in rag.economics["closed_api"].monthly}
    assert "compliance" in keys
    plain, _ = best(privacy="confidential")
    plain_rag = next(item for item in plain.ranked if item.id == "rag")
    assert rag.economics["closed_api"].monthly_total > plain_rag.economics["closed_api"].monthly_total


@pytest.mark.parametrize("budget", [0, 2_000, 8_000])
def test_no_budget_means_no_fine_tuning(budget):
    decision, pick = best(budget_upfront=budget, behaviour_change=True, data_change="static")
    assert pick.id not in FINE_TUNING or decision.verdict != "build"
    assert all(not item.eligible for item in decision.ranked if item.id in FINE_TUNING)
