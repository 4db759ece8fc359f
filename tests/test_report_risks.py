"""The risk register: data in engine/data/guidance.yaml, raised by conditions on the answers."""

from __future__ import annotations

from pathlib import Path

from tunewise.engine.answers import load_answer_path, require
from tunewise.engine.assess import assess
from tunewise.engine.guidance import load_guidance
from tunewise.report.view import build

ROOT = Path(__file__).resolve().parent.parent


def _titles(stem: str) -> list[str]:
    view = build(assess(require(load_answer_path(ROOT / "examples" / f"{stem}.yaml"))))
    for risk in view["risks"]:
        assert risk["likelihood"] in ("low", "medium", "high") and risk["impact"] in ("low", "medium", "high")
        assert risk["mitigation"] and risk["owner"]
    return [risk["title"] for risk in view["risks"]]


def test_a_healthcare_tool_on_regulated_data_gets_clinical_and_legal_risks():
    titles = _titles("regulated-clinic")
    for title in ("Clinical safety", "Health-data law (HIPAA and similar)", "EU AI Act high-risk duties",
                  "Data residency"):
        assert title in titles


def test_a_closed_api_brings_model_retirement_and_lock_in():
    titles = _titles("small-faq")
    assert "Model retirement" in titles and "Vendor lock-in" in titles
    assert "Clinical safety" not in titles


def test_a_missed_deadline_is_a_risk_of_its_own():
    # The FAQ bot's closest option needs six weeks against a four-week deadline.
    assert "Deadline missed" in _titles("small-faq")
    assert "Deadline missed" not in _titles("massive-corpus")   # 28 weeks against 52


def test_every_risk_has_an_owner_and_a_condition():
    for risk in load_guidance().risks:
        assert risk.when and risk.owner and risk.mitigation

