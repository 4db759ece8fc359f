"""The guided interview, driven by keys through Textual's pilot."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")

from tunewise.engine.answers import AnswerFile, Client, load_answer_path, require  # noqa: E402
from tunewise.engine.assess import assess  # noqa: E402
from tunewise.tui.app import TunewiseApp  # noqa: E402
from tunewise.tui.session import Session, last_session_path  # noqa: E402

pytestmark = pytest.mark.anyio
ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SIZE = (100, 40)
TODAY = dt.date.today().isoformat()

# Keys per question; anything not listed takes the highlighted choice / shown number.
PLAN = {
    "domain": ["down", "down", "enter"],                    # healthcare
    "data_change": ["down", "down", "enter"],               # quarterly -> weekly
    "privacy": ["down", "enter"],                           # regulated
    "needs_citations": ["up", "enter"],                     # default no -> yes
    "cost_per_error": [*"40", "enter"],
    "monthly_queries": [*"50,000", "enter"],
    "budget_upfront": [*"150k", "enter"],
    "budget_monthly": [*"10000", "enter"],
    "timeline_weeks": [*"12", "enter"],
}
EXPECTED = {
    "domain": "healthcare", "needs_private_data": True, "data_volume": "moderate",
    "data_change": "weekly", "stable_and_evolving": False, "privacy": "regulated",
    "accuracy": "high", "needs_citations": True, "behaviour_change": False,
    "cost_per_error": 40, "monthly_queries": 50000, "latency": "interactive",
    "budget_upfront": 150000, "budget_monthly": 10000, "ml_team": "engineers",
    "timeline_weeks": 12, "ip_ownership": False, "cloud_agreement": False,
}


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("TUNEWISE_DATA_DIR", str(folder))
    monkeypatch.chdir(tmp_path)
    return folder


def screen_name(app) -> str:
    return type(app.screen).__name__


async def type_client(pilot, name="Acme Health", project="Triage bot") -> None:
    # name, project, consultant (empty), date (today), currency (USD)
    await pilot.press(*name, "enter", *project, "enter", "enter", "enter", "enter")
    await pilot.pause()


async def answer_all(pilot, app, plan=PLAN, limit=40) -> None:
    for _ in range(limit):
        if screen_name(app) != "InterviewScreen":
            return
        step = app.screen.step
        await pilot.press(*plan.get(step, ["enter"]))
        await pilot.pause()
    raise AssertionError("the interview did not end")


async def test_whole_interview_by_keys_then_export_matches_scripted_mode(data_dir, tmp_path,
                                                                        monkeypatch):
    from tunewise.report import render as report_render

    real_render_pdf = report_render.render_pdf
    release = threading.Event()

    def held_render_pdf(*args, **kwargs):
        # The PDF waits until the test has seen the export still running, however fast
        # (or slow) rendering is: no timing involved.
        assert release.wait(timeout=60)
        return real_render_pdf(*args, **kwargs)

    monkeypatch.setattr(report_render, "render_pdf", held_render_pdf)
    app = TunewiseApp()
    async with app.run_test(size=SIZE) as pilot:
        assert screen_name(app) == "StartScreen"
        await pilot.press("enter")                          # New assessment
        await pilot.pause()
        assert app.screen.step == "client"
        await type_client(pilot)
        assert app.screen.step == "domain"
        await answer_all(pilot, app)
        assert screen_name(app) == "ReviewScreen"
        session = app.session
        assert session.answers == EXPECTED
        assert session.complete()
        autosave = session.path
        assert autosave == data_dir / "sessions" / "triage-bot.yaml"
        assert load_answer_path(autosave).ok               # a valid file for `tunewise report`

        await pilot.press("ctrl+s")
        await pilot.pause()
        assert screen_name(app) == "ExportScreen"
        out = tmp_path / "out"
        app.screen.query_one("#export-folder").value = str(out)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen.query_one("#export-go").disabled  # the worker is running
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        written = sorted(p.name for p in out.iterdir())
        assert written == ["triage-bot.html", "triage-bot.json", "triage-bot.pdf",
                           "triage-bot.xlsx", "triage-bot.yaml"]
        assert "triage-bot.pdf" in str(app.screen.query_one("#export-log").render())

    exported = json.loads((out / "triage-bot.json").read_text(encoding="utf-8"))
    scripted = assess(require(load_answer_path(out / "triage-bot.yaml"))).to_json_dict()
    assert exported == scripted
    # Defect 6: the client details carry a date (today unless typed), so the report has one.
    assert exported["client"]["date"] == dt.date.today().isoformat()
    direct = assess(AnswerFile(client=Client(name="Acme Health", project="Triage bot",
                                             date=dt.date.today().isoformat()),
                               currency="USD", answers=EXPECTED)).to_json_dict()
    assert exported == direct
    assert (out / "triage-bot.pdf").read_bytes().startswith(b"%PDF")
    # The autosave and the export agree on every answer.
    assert require(load_answer_path(autosave)).answers == EXPECTED


async def test_invalid_numbers_show_a_message_and_do_not_advance(data_dir, tmp_path):
    answers = {k: v for k, v in EXPECTED.items()
               if k not in ("monthly_queries", "latency", "budget_upfront", "budget_monthly",
                            "ml_team", "timeline_weeks", "ip_ownership")}
    path = tmp_path / "partial.yaml"
    Session(path=path, client={"name": "A", "project": "B"}, answers=answers).save()
    app = TunewiseApp(session=Session.open(path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.screen.step == "monthly_queries"
        error = app.screen.query_one("#answer-error")
        for text, expected in (("abc", "not a number"), ("-5", "below the minimum"),
                               ("2.5", "whole number"), ("1e20", "above the maximum")):
            field = app.screen.query_one("#answer-input")
            field.focus()
            field.value = ""
            await pilot.press(*text, "enter")
            await pilot.pause()
            assert expected in str(error.render()), text
            assert app.screen.step == "monthly_queries"
            assert "monthly_queries" not in app.session.answers
            assert field.has_class("-invalid")
        field.value = ""
        await pilot.press(*"20k", "enter")
        await pilot.pause()
        assert app.screen.step == "latency"
        assert app.session.answers["monthly_queries"] == 20000
    # The opened file is untouched; answers went to its autosave beside it.
    assert "monthly_queries" not in path.read_text(encoding="utf-8")
    saved = (tmp_path / "partial.autosave.yaml").read_text(encoding="utf-8")
    assert "monthly_queries: 20000" in saved


async def test_resume_after_a_crash_mid_interview(data_dir, tmp_path, monkeypatch):
    app = TunewiseApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await type_client(pilot, "Fabrikam", "FAQ bot")
        await pilot.press("down", "enter")                   # domain: legal
        await pilot.press("down", "enter")                   # needs_private_data: no
        await pilot.pause()
        assert app.screen.step == "privacy"                  # the data section is skipped
        await pilot.press("down", "enter")                   # regulated
        await pilot.pause()
        given = dict(app.session.answers)
        # What a crash or a killed terminal would leave behind at this instant:
        crashed = tmp_path / "crashed"
        shutil.copytree(data_dir, crashed)
    assert given == {"domain": "legal", "needs_private_data": False, "privacy": "regulated"}

    monkeypatch.setenv("TUNEWISE_DATA_DIR", str(crashed))
    assert last_session_path() is not None
    app = TunewiseApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert screen_name(app) == "StartScreen"
        await pilot.press("r")                               # Resume
        await pilot.pause()
        assert app.session.answers == given
        assert app.session.client == {"name": "Fabrikam", "project": "FAQ bot", "date": TODAY}
        assert app.screen.step == "accuracy"                 # the first unanswered question
        applicable = [q.id for q in app.session.applicable()]
        assert "data_volume" not in applicable
        # 3 answered plus the optional cloud-agreement question passed over: 4 of 15.
        assert "4/15 answered · 1 skipped" in str(app.screen.query_one("#progress-label")
                                                  .render())


def test_resume_after_the_process_is_killed(data_dir):
    """A real SIGKILL: the answers given before it are all there."""
    driver = textwrap.dedent("""
        import asyncio, sys
        from tunewise.tui.app import TunewiseApp
        async def main():
            app = TunewiseApp()
            async with app.run_test(size=(100, 40)) as pilot:
                await pilot.press("enter")
                await pilot.press(*"Kill", "enter", *"Test", "enter", "enter", "enter", "enter")
                await pilot.press("down", "down", "enter")   # healthcare
                await pilot.press("enter")                    # needs private data: yes
                await pilot.pause()
                print("ready", flush=True)
                await asyncio.sleep(60)
        asyncio.run(main())
    """)
    env = dict(os.environ, TUNEWISE_DATA_DIR=str(data_dir), TEXTUAL_ANIMATIONS="none")
    process = subprocess.Popen([sys.executable, "-c", driver], stdout=subprocess.PIPE,
                               cwd=ROOT, env=env, text=True)
    try:
        assert process.stdout.readline().strip() == "ready"
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    session = Session.resume_last()
    assert session is not None
    assert session.answers == {"domain": "healthcare", "needs_private_data": True}
    assert session.client == {"name": "Kill", "project": "Test", "date": TODAY}
    assert session.path.name == "test.yaml"


async def test_a_complete_file_opens_at_the_review_and_a_row_can_be_changed(data_dir, tmp_path):
    source = tmp_path / "clinic.yaml"
    shutil.copy(EXAMPLES / "regulated-clinic.yaml", source)
    app = TunewiseApp(session=Session.open(source))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert screen_name(app) == "ReviewScreen"
        table = app.screen.query_one("DataTable")
        row = next(i for i, key in enumerate(table.rows) if key.value == "latency")
        table.move_cursor(row=row)
        await pilot.press("enter")
        await pilot.pause()
        assert screen_name(app) == "EditAnswer"
        await pilot.press("home", "enter")                   # relaxed
        await pilot.pause()
        assert screen_name(app) == "ReviewScreen"
        assert app.session.answers["latency"] == "relaxed"
    autosave = tmp_path / "clinic.autosave.yaml"
    assert require(load_answer_path(autosave)).answers["latency"] == "relaxed"
    assert source.read_text() == (EXAMPLES / "regulated-clinic.yaml").read_text()


async def test_a_flip_is_a_what_if_until_kept(data_dir, tmp_path):
    """Defect 4: choosing a flip never overwrites the client's answers by itself."""
    source = tmp_path / "faq.yaml"
    shutil.copy(EXAMPLES / "small-faq.yaml", source)
    app = TunewiseApp(session=Session.open(source))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert screen_name(app) == "ResultsScreen"
        screen = app.screen
        saved = dict(app.session.answers)
        flips = screen.assessment.sensitivity.flips
        assert flips
        screen.query_one("#results-flips").focus()
        await pilot.press("enter")                           # try the first flip
        await pilot.pause()
        assert screen_name(app) == "ResultsScreen"
        assert screen.scenario == {flips[0].question: flips[0].alternative}
        assert app.session.answers == saved                  # nothing saved yet
        autosave = tmp_path / "faq.autosave.yaml"
        assert not autosave.exists()
        from rich.console import Console

        console = Console(width=160, record=True, file=open(os.devnull, "w"))  # noqa: SIM115
        console.print(screen.query_one("#whatif").content)
        whatif = console.export_text()
        prompt = app.session.bank.get(flips[0].question).prompt
        assert prompt[:30] in whatif and "Current answers" in whatif
        await pilot.press("x")                               # revert
        await pilot.pause()
        assert screen.scenario == {} and app.session.answers == saved
        assert not screen.query_one("#whatif").display
        screen.query_one("#results-flips").focus()
        await pilot.press("enter", "k")                      # try it again, keep it
        await pilot.pause()
        assert app.session.answers[flips[0].question] == flips[0].alternative
        after = screen.assessment.recommendation
        assert (after.strategy, after.model_source) == (flips[0].strategy, flips[0].model_source)
        assert screen.change_note.startswith("Kept: “")
        assert flips[0].question not in screen.change_note   # words, never the id
    assert require(load_answer_path(autosave)).answers[flips[0].question] == flips[0].alternative


async def test_not_applicable_questions_are_skipped_and_back_works(data_dir):
    app = TunewiseApp(session=Session.new())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await type_client(pilot)
        await pilot.press("enter")                           # domain: general
        await pilot.press("down", "enter")                   # no private data
        await pilot.pause()
        assert app.screen.step == "privacy"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.step == "needs_private_data"
        await pilot.press("up", "enter")                     # yes after all
        await pilot.pause()
        assert app.screen.step == "data_volume"


async def test_jump_to_a_section_and_palette_commands(data_dir):
    app = TunewiseApp(session=Session.new(), theme="light")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.theme == "tunewise-light"
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert screen_name(app) == "SectionPicker"
        options = app.screen.query_one("OptionList")
        options.highlighted = [o.id for o in options.options].index("resources")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert app.screen.step == "budget_upfront"
        from tunewise.tui.commands import TunewiseCommands

        provider = TunewiseCommands(app.screen)
        names = [name for name, _, _ in provider._commands()]
        assert "Go to: Data" in names and "Export reports" in names and "Show results" in names
        await pilot.press("ctrl+t")
        assert app.theme == "textual-dark"


async def test_export_beside_the_opened_file_does_not_replace_it_by_default(data_dir, tmp_path):
    source = tmp_path / "faq.yaml"
    shutil.copy(EXAMPLES / "small-faq.yaml", source)
    original = source.read_text(encoding="utf-8")
    app = TunewiseApp(session=Session.open(source))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+s")
        await pilot.pause()
        screen = app.screen
        assert screen.query_one("#export-folder").value == str(tmp_path)
        assert screen.query_one("#format-yaml").value is False
        screen.query_one("#format-pdf").value = False
        await pilot.click("#format-html")                   # mouse: untick HTML
        assert screen.query_one("#format-html").value is False
        await pilot.click("#export-go")
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert source.read_text(encoding="utf-8") == original
    assert json.loads((tmp_path / "faq.json").read_text())["client"]["name"] == "Fabrikam Bikes"
    assert not (tmp_path / "faq.html").exists()


async def test_mouse_clicks_answer_questions(data_dir):
    app = TunewiseApp(session=Session.new())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await type_client(pilot)
        options = app.screen.query_one("#answer-options")
        legal = [o.id for o in options.options].index("legal")
        await pilot.click("#answer-options", offset=(4, legal))
        await pilot.pause()
        assert app.session.answers == {"domain": "legal"}
        assert app.screen.step == "needs_private_data"


async def test_export_with_a_brand_file_and_a_refused_one(data_dir, tmp_path):
    source = tmp_path / "faq.yaml"
    shutil.copy(EXAMPLES / "small-faq.yaml", source)
    good = tmp_path / "brand" / "brand.yaml"
    good.parent.mkdir()
    good.write_text('name: Roe & Partners\nprimary_color: "#1F3A5F"\n', encoding="utf-8")
    bad = tmp_path / "brand" / "bad.yaml"
    bad.write_text("name: Evil\nlogo: /etc/passwd\n", encoding="utf-8")
    app = TunewiseApp(session=Session.open(source))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+s")
        await pilot.pause()
        screen = app.screen
        for key in ("pdf", "json", "yaml"):
            screen.query_one(f"#format-{key}").value = False
        out = tmp_path / "out"
        screen.query_one("#export-folder").value = str(out)
        screen.query_one("#export-brand").value = str(good)
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Roe &amp; Partners" in (out / "faq.html").read_text(encoding="utf-8")
        screen.query_one("#export-brand").value = str(bad)
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        log = str(screen.query_one("#export-log").render())
        assert "Not written: HTML" in log and "logo" in log
        screen.query_one("#export-brand").value = str(tmp_path / "missing.yaml")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "does not exist" in str(screen.query_one("#export-log").render())
