"""Saved sessions, notes per answer, presentation mode, export folder and opening the PDF."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")

from tunewise.engine.answers import load_answer_path, require  # noqa: E402
from tunewise.tui.app import TunewiseApp  # noqa: E402
from tunewise.tui.session import Session, saved_sessions  # noqa: E402

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("tui_data_dir")]
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SIZE = (100, 40)


def saved(client: str, project: str, answers: dict) -> Session:
    session = Session.new()
    session.set_client(name=client, project=project, date="2026-11-02")
    for key, value in answers.items():
        session.set_answer(key, value)
    session.settle_name()
    return session


def copy_of_faq(tmp_path: Path) -> Path:
    source = tmp_path / "faq.yaml"
    shutil.copy(EXAMPLES / "small-faq.yaml", source)
    return source


async def open_export(pilot) -> None:
    await pilot.press("ctrl+s")
    await pilot.pause()


async def export_to(pilot, folder: Path, unticked: tuple[str, ...] = ()) -> None:
    """In the open export dialog: untick these formats, name the folder, export and wait for it."""
    for key in unticked:
        pilot.app.screen.query_one(f"#format-{key}").value = False
    pilot.app.screen.query_one("#export-folder").value = str(folder)
    await pilot.press("ctrl+s")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def rows_now(table) -> list[list[str]]:
    return [[str(c).strip() for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_saved_sessions_listed_opened_duplicated_deleted(tui_data_dir):
    saved("Initech", "Legal search", {"domain": "legal"})
    saved("Globex", "Support bot", {"domain": "customer_support", "needs_private_data": True})
    app = TunewiseApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#sessions")
        rows = [[str(c).strip() for c in table.get_row_at(i)] for i in range(table.row_count)]
        assert rows[0][:2] == ["Globex", "1 use case"]            # grouped by client, A to Z
        assert rows[1][1:4] == ["Support bot", "2026-11-02", "2"]
        assert rows[2][:2] == ["Initech", "1 use case"]
        assert rows[3][1:4] == ["Legal search", "2026-11-02", "1"]

        def row_of(shown: str) -> int:
            """The row showing ``shown`` as its client (a group's row) or its project."""
            return next(i for i, row in enumerate(rows_now(table)) if shown in row[:2])

        table.focus()
        table.move_cursor(row=row_of("Legal search"))
        await pilot.press("d")                                # duplicate Initech's
        await pilot.pause()
        assert {s.project for s in saved_sessions()} == {"Legal search", "Support bot",
                                                         "Legal search (copy)"}
        assert rows_now(table)[2][:2] == ["Initech", "2 use cases"]
        table.move_cursor(row=row_of("Initech"))
        await pilot.press("delete")                           # a client's row deletes nothing
        await pilot.press("delete")
        await pilot.pause()
        assert len(saved_sessions()) == 3
        table.move_cursor(row=row_of("Support bot"))
        await pilot.press("delete")                           # asks first
        await pilot.pause()
        assert len(saved_sessions()) == 3
        await pilot.press("delete")
        await pilot.pause()
        assert {s.project for s in saved_sessions()} == {"Legal search", "Legal search (copy)"}
        table.move_cursor(row=row_of("Legal search"))
        await pilot.press("enter")                            # open it
        await pilot.pause()
        assert type(app.screen).__name__ == "InterviewScreen"
        assert app.session.client["name"] == "Initech"


async def test_a_note_per_answer_is_saved_in_the_answer_file(tmp_path):
    source = tmp_path / "clinic.yaml"
    shutil.copy(EXAMPLES / "regulated-clinic.yaml", source)
    session = Session.open(source)
    session.answers.pop("timeline_weeks")
    app = TunewiseApp(session=session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.screen.step == "timeline_weeks"
        await pilot.press("f2")
        await pilot.pause()
        assert type(app.screen).__name__ == "NoteDialog"
        await pilot.press(*"Board wants it before the audit", "enter")
        await pilot.pause()
        assert "Board wants it" in str(app.screen.query_one("#answer-note").render())
        await pilot.press("enter")                            # answer the question
        await pilot.pause()
        answers = require(load_answer_path(tmp_path / "clinic.autosave.yaml"))
        assert answers.notes == {"timeline_weeks": "Board wants it before the audit"}
        assert "note: Board wants it" in str(app.screen.query_one("DataTable")
                                             .get_row("timeline_weeks")[2])
    assert Session.open(source).answer_notes == {"timeline_weeks":
                                                 "Board wants it before the audit"}


async def test_presentation_mode_hides_the_advisor_and_the_scores(tmp_path):
    source = tmp_path / "clinic.yaml"
    shutil.copy(EXAMPLES / "regulated-clinic.yaml", source)
    app = TunewiseApp(session=Session.open(source), present=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.action_back_to_interview()
        await pilot.pause()
        advisor = app.screen.query_one("#advisor")
        assert not advisor.display
        await pilot.press("ctrl+a")                           # the consultant reveals it
        await pilot.pause()
        assert advisor.display
        bars = str(app.screen.query_one("#advisor-bars").render())
        assert "0." not in bars and "confidence" not in str(
            app.screen.query_one("#advisor-leader").render())
        await pilot.press("ctrl+o")
        await pilot.pause()
        table = app.screen.query_one("#results-table")
        assert "0." not in str(table.get_row_at(0)[2])
        await pilot.press("f5")                               # presentation off
        await pilot.pause()
        assert "0." in str(table.get_row_at(0)[2])


async def test_export_folder_is_remembered_and_the_pdf_can_be_opened(tmp_path, monkeypatch):
    from tunewise.report import render as report_render
    from tunewise.tui import screen_export

    monkeypatch.setattr(report_render, "render_pdf", lambda *a, **k: b"%PDF-1.7 test")
    opened = []
    monkeypatch.setattr(screen_export, "open_file", lambda path: opened.append(path))
    source = copy_of_faq(tmp_path)
    out = tmp_path / "client-out"
    app = TunewiseApp(session=Session.open(source))
    async with app.run_test(size=SIZE) as pilot:
        await open_export(pilot)
        await export_to(pilot, out, unticked=("html", "json", "yaml"))
        assert app.screen.query_one("#export-open").display
        await pilot.click("#export-open")
        await pilot.pause()
        assert opened == [out / "faq.pdf"]
    app = TunewiseApp(session=Session.open(source))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen.query_one("#export-folder").value == str(out.resolve())


async def test_export_writes_the_workbook_and_json_the_cli_writes(tmp_path):
    """XLSX and JSON from the TUI are the bytes `tunewise report` writes for the same answers."""
    from tunewise.cli.main import main

    source = copy_of_faq(tmp_path)
    out = tmp_path / "tui-out"
    app = TunewiseApp(session=Session.open(source))
    async with app.run_test(size=SIZE) as pilot:
        await open_export(pilot)
        assert "Workbook (XLSX)" in str(app.screen.query_one("#format-xlsx").label)
        await export_to(pilot, out, unticked=("pdf", "html", "yaml"))
    assert sorted(p.name for p in out.iterdir()) == ["faq.json", "faq.xlsx"]
    cli_out = tmp_path / "cli-out"
    assert main(["report", str(source), "--format", "json,xlsx", "--out", str(cli_out)]) == 0
    for name in ("faq.json", "faq.xlsx"):
        assert (out / name).read_bytes() == (cli_out / name).read_bytes(), name


async def test_an_uncomputable_override_is_a_sentence_not_a_crash(tmp_path, monkeypatch):
    import tunewise.engine.computable as computable

    def broken(answer_file, *args, **kwargs):
        raise computable.Uncomputable("it makes a figure infinite or undefined (x)",
                                      ("gpu_hour_usd",), False)

    monkeypatch.setattr(computable, "assess_checked", broken)
    source = copy_of_faq(tmp_path)
    app = TunewiseApp(session=Session.open(source))
    async with app.run_test(size=SIZE) as pilot:
        await open_export(pilot)
        await export_to(pilot, tmp_path / "out")
        log = str(app.screen.query_one("#export-log").render())
    assert "gpu_hour_usd: it makes a figure infinite" in log
    assert not (tmp_path / "out" / "faq.pdf").exists()


async def test_in_a_browser_the_answer_file_is_offered_for_ones_own_computer(tmp_path):
    app = TunewiseApp(session=Session.open(copy_of_faq(tmp_path)), web_session=True)
    async with app.run_test(size=SIZE) as pilot:
        await open_export(pilot)
        yaml_box = app.screen.query_one("#format-yaml")
        assert yaml_box.value is False and str(yaml_box.label) == "Answers (YAML)"
        names = str(app.screen.query_one("#export-names").render())
        assert "downloads" in names and "your own computer" in names and str(tmp_path) not in names
