"""The talk's hallucination figure is contested: the assessment says when the pick rests on it (issue 10c)."""

import pytest
from hypothesis import given, settings

from tests.answer_strategies import answers
from tunewise.engine.advice import CONTESTED, contested_figure_warning
from tunewise.engine.answers import AnswerFile, Client, load_answer_path, require
from tunewise.engine.assess import assess
from tunewise.engine.assumptions import load_catalogue
from tunewise.engine.costs import values_in
from tunewise.engine.decide import decide, effective_answers
from tunewise.engine.questions import load_bank
from tunewise.engine.rules import load_rules


def warnings_of(name: str, **assumptions: float) -> list[str]:
    answer_file = require(load_answer_path(f"examples/{name}.yaml"))
    answer_file = answer_file.model_copy(update={"assumptions": answer_file.assumptions | assumptions})
    return assess(answer_file, with_sensitivity=False).recommendation.warnings


def test_the_catalogue_cites_the_talk_and_both_studies_and_reaches_down_to_their_evidence():
    entry = load_catalogue().entries["talk_hallucination_reduction"]
    assert "Conf42" in entry.source and "arXiv:2405.05904" in entry.source
    assert "arXiv:2312.05934" in entry.source
    assert entry.low <= 0.1 < entry.value


def test_a_pick_that_rests_on_the_figure_is_flagged_and_names_the_alternative():
    found = [w for w in warnings_of("legal-high-volume") if "invented answers" in w]
    assert len(found) == 1 and "Retrieval (RAG) would be recommended" in found[0]


def test_no_flag_when_the_pick_does_not_depend_on_it():
    assert not any("invented answers" in w for w in warnings_of("trading-news"))
    # with the figure already at its low end there is nothing left to depend on
    assert not any("invented answers" in w
                   for w in warnings_of("legal-high-volume", talk_hallucination_reduction=0.1))


@settings(max_examples=60, deadline=None)
@given(answers())
def test_the_warning_is_what_deciding_afresh_at_the_low_end_gives(drawn):
    """The check skips options whose costs do not read the figure, and the whole decision when the
    pick's do not; it must warn exactly when deciding everything again at the low end moves the
    pick or the verdict."""
    bank, book = load_bank(), load_rules()
    catalogue = load_catalogue()
    values = values_in(catalogue, "USD")
    effective = effective_answers(bank, bank.defaults() | dict(drawn))
    decision = decide(book, effective, values)
    labels = {s.id: s.label for s in book.strategies}
    low = catalogue.entries[CONTESTED].low
    warning = contested_figure_warning(decision, values, low, effective, labels)
    afresh = decide(book, effective, dict(values) | {CONTESTED: low}, explain=False)
    moved = (afresh.recommended.id, afresh.verdict) != (decision.recommended.id, decision.verdict)
    assert (warning is not None) == moved


def _contested(assessment) -> list[str]:
    return [w for w in assessment.recommendation.warnings if "invented answers" in w]


@pytest.mark.parametrize("name", ["legal-high-volume", "massive-corpus", "support-tickets", "trading-news"])
def test_the_full_assessment_reads_the_warning_off_the_tornado_and_says_the_same(name):
    """With the sensitivity analysis, the low end is one of the tornado's trials and is read from
    there instead of deciding again: the warning is word for word the one deciding again gives."""
    answer_file = require(load_answer_path(f"examples/{name}.yaml"))
    full = _contested(assess(answer_file))
    assert full == _contested(assess(answer_file, with_sensitivity=False))
    assert bool(full) == (name != "trading-news")


@settings(max_examples=30, deadline=None)
@given(answers())
def test_the_tornado_and_deciding_again_agree_on_the_warning(drawn):
    answer_file = AnswerFile(client=Client(name="A", project="B"), answers=drawn)
    assert _contested(assess(answer_file)) == _contested(assess(answer_file, with_sensitivity=False))
