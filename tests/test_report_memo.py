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


def test_a_do_not_build_memo_puts_paying_back_before_fitting():
    """Not paying back is the obstacle; the budget shortfall is worded as a second one, not the fix."""
    view = build(assess(require(load_answer_path(ROOT / "examples" / "regulated-clinic.yaml"))))
    [change] = view["change_needed"]
    assert "would fit with" not in change
    assert change.index("pay back") < change.index("Even then it would also need")
    assert "loses" in " ".join(view["tradeoffs"]) and "we accept" not in " ".join(view["tradeoffs"])


def test_the_memo_quotes_the_risk_adjusted_figures():
    assessment = assess(require(load_answer_path(ROOT / "examples" / "support-tickets.yaml")))
    view = build(assessment)
    text = " ".join(view["tradeoffs"]) + view["headline"]
    assert "risk-adjusted" in text
    assert view["pick"]["roi"] in view["headline"]
    assert view["pick"]["net_value"] in " ".join(view["tradeoffs"])


def test_a_consultants_note_sits_beside_its_answer_and_is_escaped(tmp_path):
    from tunewise.report.render import render_html

    source = (ROOT / "examples" / "support-tickets.yaml").read_text(encoding="utf-8")
    path = tmp_path / "noted.yaml"
    path.write_text(source + '\nnotes:\n  monthly_queries: "From the <b>March</b> ticket log & CRM"\n',
                    encoding="utf-8")
    assessment = assess(require(load_answer_path(path)))
    rows = [row for section in build(assessment)["answer_sections"] for row in section["rows"]]
    assert [row["note"] for row in rows if row["note"]] == ["From the <b>March</b> ticket log & CRM"]
    html = render_html(assessment)
    assert "From the &lt;b&gt;March&lt;/b&gt; ticket log &amp; CRM" in html
    assert "<b>March</b>" not in html


def test_with_no_questions_a_month_the_memo_does_not_promise_a_break_even_cost():
    """At zero volume no cost per wrong answer makes anything pay; the trade-off must not say a
    'rise' in that cost would."""
    answer_file = require(load_answer_path(ROOT / "examples" / "support-tickets.yaml"))
    answer_file = answer_file.model_copy(update={"answers": answer_file.answers | {"monthly_queries": 0}})
    assessment = assess(answer_file, with_sensitivity=False)
    assert assessment.recommendation.verdict == "do_not_build"
    said = " ".join(build(assessment)["tradeoffs"])
    assert "smallest rise" not in said and "once questions come" in said


def test_the_volume_section_says_what_the_pick_is_before_it_first_changes():
    """'becomes X from about 100,000' alone left the reader to guess what it is below that."""
    assessment = assess(require(load_answer_path(ROOT / "examples" / "support-tickets.yaml")))
    [first, *_] = assessment.sensitivity.recommendation_changes_at
    text = build(assessment)["crossing"]
    assert "the recommendation itself is Retrieval (RAG) at lower volumes" in text
    curve = assessment.sensitivity.volume_curve
    assert all(p.recommended == "rag" for p in curve if p.monthly_queries < first)


def _html_of(example: str) -> str:
    from tunewise.report.render import render_html

    return render_html(assess(require(load_answer_path(ROOT / "examples" / f"{example}.yaml"))))


def test_only_a_build_verdict_marks_its_pick_as_recommended_in_headings_charts_and_risks():
    """A report that advises against building, or finds nothing within the limits, must not call
    its leading option "recommended" anywhere: not in its heading, its charts' legends or its risks."""
    for example, marker in (("regulated-clinic", "closest to paying back"),
                            ("small-faq", "closest to your limits")):
        html = _html_of(example)
        assert "(recommended)" not in html and "recommended approach" not in html, example
        assert f"({marker})" in html, example
    html = _html_of("support-tickets")
    assert "(recommended)" in html and "(closest to" not in html
