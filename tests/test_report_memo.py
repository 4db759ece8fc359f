"""The decision memo's ask and next steps follow the verdict."""

from __future__ import annotations

from pathlib import Path

from tunewise.engine.answers import load_answer_path, require
from tunewise.engine.assess import assess
from tunewise.report.view import build

ROOT = Path(__file__).resolve().parent.parent


def test_a_do_not_build_memo_asks_for_no_build_money():
    """The clinic is not worth building on its figures: the memo must not ask to approve a build."""
    view = build(assess(require(load_answer_path(ROOT / "examples" / "regulated-clinic.yaml"))))
    assert view["ask"]["budget"].startswith("none for a build")
    steps = [step["step"] for step in view["next_steps"]]
    assert not any(step.startswith("Approve") for step in steps)
    assert any("Reassess" in step for step in steps)


def test_a_build_memo_still_asks_for_its_budget():
    view = build(assess(require(load_answer_path(ROOT / "examples" / "support-tickets.yaml"))))
    assert "to build" in view["ask"]["budget"]
    assert any(step["step"].startswith("Approve") for step in view["next_steps"])
