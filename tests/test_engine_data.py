"""The engine's own YAML data is checked on load, so a consultant's edit cannot slip through."""

import pytest
from pydantic import ValidationError

from tunewise.engine.assumptions import Assumption, load_catalogue
from tunewise.engine.guidance import load_guidance
from tunewise.engine.questions import QuestionBank, load_bank, load_data_yaml
from tunewise.engine.rules import RuleBook, load_rules


def test_shipped_data_loads():
    assert len(load_bank().questions) >= 17
    book = load_rules()
    assert len(book.priced_effects) >= 6 and len(book.exclusions) >= 8
    assert {e.gate for e in book.exclusions} >= {"realtime_data", "citations", "team", "data"}
    assert load_guidance().roadmap["hybrid"]
    catalogue = load_catalogue()
    talk = [e for e in catalogue.entries.values() if e.kind == "talk"]
    assert {e.key for e in talk} >= {"talk_hallucination_reduction", "talk_accuracy_gain",
                                     "talk_finetuned_cost_premium", "talk_retrain_interval_months"}
    for entry in catalogue.entries.values():
        assert entry.source and entry.as_of and entry.low <= entry.value <= entry.high


def test_every_contract_question_is_in_the_bank():
    contract = {"needs_private_data", "data_volume", "data_change", "stable_and_evolving", "privacy",
                "needs_citations", "behaviour_change", "accuracy", "latency", "monthly_queries",
                "budget_upfront", "budget_monthly", "ml_team", "timeline_weeks", "ip_ownership",
                "domain", "cost_per_error"}
    assert contract <= set(load_bank().ids)


def test_a_rule_naming_an_unknown_question_is_refused():
    data = load_data_yaml("rules.yaml")
    data["priced_effects"][0]["when"] = {"data_volumes": "large"}
    with pytest.raises(ValidationError, match="unknown question 'data_volumes'"):
        RuleBook.model_validate(data)


def test_a_rule_naming_an_unknown_strategy_is_refused():
    data = load_data_yaml("rules.yaml")
    data["priced_effects"][0]["strategies"] = ["fine_tuning"]
    with pytest.raises(ValidationError, match="unknown strategies|Input should be .prompt"):
        RuleBook.model_validate(data)


def test_a_choice_default_that_is_not_a_choice_is_refused():
    data = load_data_yaml("questions.yaml")
    data["questions"][0]["default"] = "astrology"
    with pytest.raises(ValidationError, match="is not a choice"):
        QuestionBank.model_validate(data)


def test_an_assumption_outside_its_own_range_is_refused():
    with pytest.raises(ValidationError, match="between low and high"):
        Assumption(key="x", value=5, low=1, high=2, unit="USD", label="x", source="s",
                   as_of="2026-01", kind="estimate")


def test_a_cost_line_naming_something_undefined_is_refused():
    from tunewise.engine.cost_model import CostLinesFile, CostModel, load_cost_model
    from tunewise.engine.formulas import FormulaError

    data = load_data_yaml("cost_lines.yaml")
    data["lines"][0]["formula"] = "prep_hours * build_rate * mystery_factor"
    with pytest.raises(FormulaError, match="mystery_factor"):
        CostModel(CostLinesFile.model_validate(data), set(load_catalogue().entries),
                  load_cost_model().switches)


def test_a_cost_line_using_python_beyond_the_grammar_is_refused():
    from tunewise.engine.cost_model import CostLinesFile, CostModel, load_cost_model
    from tunewise.engine.formulas import FormulaError

    data = load_data_yaml("cost_lines.yaml")
    data["derived"][0]["formula"] = "__import__('os').getcwd()"
    with pytest.raises(FormulaError, match="not allowed|only"):
        CostModel(CostLinesFile.model_validate(data), set(load_catalogue().entries),
                  load_cost_model().switches)
