"""The interview's session model: autosave paths, partial saves, number parsing."""

from __future__ import annotations

import pytest

from tunewise.engine.answers import load_answer_path
from tunewise.engine.questions import load_bank
from tunewise.tui.session import Session, last_session_path, number_problem, parse_number, slugify


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("TUNEWISE_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


@pytest.mark.parametrize("text, value", [
    ("50000", 50000), ("50,000", 50000), ("50_000", 50000), ("$50k", 50000),
    ("1.5M", 1_500_000), (" 12 ", 12), ("2e3", 2000), ("€200", 200),
])
def test_parse_number(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["abc", "", "5-5", "1,2.3.4", "k", "--3"])
def test_parse_number_refuses(text):
    assert parse_number(text) is None


def test_number_problem_messages():
    question = load_bank().get("monthly_queries")
    assert number_problem(question, "-5")[1].startswith("-5 is below the minimum")
    assert "not a number" in number_problem(question, "abc")[1]
    assert number_problem(question, "10k") == (10000, None)


def test_partial_session_saves_then_settles_its_name(data_dir):
    session = Session.new()
    session.set_answer("domain", "legal")                  # before any client details
    first = session.path
    assert first.parent == data_dir / "sessions" and first.name.startswith("untitled-")
    assert "domain: legal" in first.read_text()
    session.set_client(name="Acme", project="Contract Review!")
    session.settle_name()
    assert session.path == data_dir / "sessions" / "contract-review.yaml"
    assert not first.exists()
    assert last_session_path() == session.path.resolve()
    again = Session.resume_last()
    assert again.answers == {"domain": "legal"}
    assert again.client == {"name": "Acme", "project": "Contract Review!"}


def test_a_second_session_with_the_same_project_gets_its_own_file(data_dir):
    for _ in range(2):
        session = Session.new()
        session.set_client(name="A", project="Same")
        session.settle_name()
    assert sorted(p.name for p in (data_dir / "sessions").iterdir()) == ["same-2.yaml",
                                                                         "same.yaml"]


def test_open_keeps_dates_assumptions_and_writes_beside(tmp_path):
    source = tmp_path / "clinic.yaml"
    source.write_text(
        "version: 1\nclient:\n  name: A\n  project: B\n  date: 2026-01-02\n"
        "currency: GBP\nanswers:\n  domain: legal\n  monthly_queries: 5\n"
        "assumptions:\n  horizon_months: 24\n", encoding="utf-8")
    session = Session.open(source)
    session.set_answer("privacy", "public")
    autosave = tmp_path / "clinic.autosave.yaml"
    assert session.path == autosave
    result = load_answer_path(autosave, use_defaults=True)
    assert result.ok, result.problems
    assert result.answer_file.client.date.isoformat() == "2026-01-02"
    assert result.answer_file.assumptions == {"horizon_months": 24.0}
    assert result.answer_file.currency == "GBP"
    # Opening the original again picks up the newer autosave.
    assert Session.open(source).answers["privacy"] == "public"


def test_slugify():
    assert slugify("Triage assistant (v2) — Zürich") == "triage-assistant-v2-zurich"
    assert slugify("!!!") == "assessment"


def test_run_interview_refuses_a_missing_file(tmp_path, capsys):
    from tunewise.cli.commands.interview import run_interview

    assert run_interview(str(tmp_path / "nope.yaml"), None) == 2
    assert "does not exist" in capsys.readouterr().err


def test_an_unwritable_folder_falls_back_to_the_data_dir(tmp_path, data_dir, monkeypatch):
    import tunewise.tui.session as module

    folder = tmp_path / "readonly"
    folder.mkdir()
    source = folder / "client.yaml"
    source.write_text("version: 1\nclient: {name: A, project: B}\nanswers: {domain: legal}\n")
    real = module.save_answers

    def refuse_outside_data_dir(path, *args, **kwargs):
        if folder in path.parents:
            raise PermissionError(13, "Permission denied")
        return real(path, *args, **kwargs)

    monkeypatch.setattr(module, "save_answers", refuse_outside_data_dir)
    session = Session.open(source)
    session.set_answer("privacy", "public")
    assert session.path == data_dir / "sessions" / "client.yaml"
    assert "Cannot write" in session.warnings[-1]
    assert Session.resume_last().answers == {"domain": "legal", "privacy": "public"}
