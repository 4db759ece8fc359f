"""Properties of the decision engine over every valid combination of answers."""

import subprocess
import sys

from hypothesis import given
from hypothesis import strategies as st

from tests.answer_strategies import answers
from tunewise.engine.assess import quick_decision
from tunewise.engine.decide import squash
from tunewise.engine.questions import load_bank
from tunewise.engine.rules import STRATEGY_IDS

QUESTION_IDS = set(load_bank().ids)
FINE_TUNING = ("peft", "full_fine_tune", "from_scratch", "hybrid")
CHANGE = load_bank().get("data_change").values


@given(answers())
def test_engine_ranks_all_six_and_every_reason_cites_a_question(drawn):
    decision = quick_decision(drawn)
    assert sorted(s.id for s in decision.ranked) == sorted(STRATEGY_IDS)
    assert decision.recommended is decision.ranked[0]
    assert 0.5 <= decision.confidence <= 1.0
    for item in decision.ranked:
        assert 0.0 <= squash(item.raw) <= 1.0
        for reason in item.reasons:
            assert reason.question in QUESTION_IDS
            assert reason.text
        if not item.eligible:
            assert item.excluded_because
            assert any(not gate.passed for gate in item.gates)
    if decision.within_constraints:
        assert decision.recommended.eligible


@given(answers(), st.data())
def test_faster_changing_data_never_raises_a_fine_tuning_net_value(drawn, data):
    slow, fast = sorted(data.draw(st.lists(st.sampled_from(CHANGE), min_size=2, max_size=2,
                                           unique=True)), key=CHANGE.index)
    base = drawn | {"needs_private_data": True}
    before = {s.id: s for s in quick_decision(base | {"data_change": slow}).ranked}
    after = {s.id: s for s in quick_decision(base | {"data_change": fast}).ranked}
    for strategy in FINE_TUNING:
        for source in after[strategy].economics:
            if source in before[strategy].values:
                assert (after[strategy].values[source]
                        <= before[strategy].values[source] + 1e-6), (strategy, source, slow, fast)


@given(answers())
def test_requiring_citations_rules_out_all_but_retrieval(drawn):
    decision = quick_decision(drawn | {"needs_citations": True})
    for item in decision.ranked:
        if item.id not in ("rag", "hybrid"):
            assert not item.eligible
            assert any(g.gate == "citations" and not g.passed for g in item.gates)


@given(answers(privacy="regulated", cloud_agreement=False))
def test_regulated_privacy_always_yields_open_weights(drawn):
    decision = quick_decision(drawn)
    assert decision.recommended.source == "open_weights"
    assert all(s.source == "open_weights" for s in decision.ranked)


@given(answers(needs_private_data=False))
def test_no_private_data_means_no_training_or_retrieval(drawn):
    decision = quick_decision(drawn)
    for item in decision.ranked:
        if item.id != "prompt":
            assert not item.eligible


def test_engine_imports_no_ui_or_rendering_library():
    code = (
        "import sys\n"
        "from tunewise.engine.answers import load_answer_path, require\n"
        "from tunewise.engine.assess import assess\n"
        "assess(require(load_answer_path('examples/regulated-clinic.yaml')))\n"
        "assert 'tunewise.engine.assess' in sys.modules\n"
        "banned = [m for m in sys.modules if m.split('.')[0] in "
        "('textual', 'weasyprint', 'jinja2', 'rich', 'matplotlib') or m.split('.')[:2] in "
        "(['tunewise', 'report'], ['tunewise', 'tui'], ['tunewise', 'cli'])]\n"
        "print(','.join(banned))\n"
    )
    from tests.conftest import ROOT
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == ""
