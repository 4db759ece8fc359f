"""Snapshot tests of the interview at 80x24 (pytest-textual-snapshot).

Regenerate after an intended change of looks with `pytest --snapshot-update`.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ["TEXTUAL_ANIMATIONS"] = "none"

from textual.widgets import Input  # noqa: E402

from tunewise.tui.app import TunewiseApp  # noqa: E402
from tunewise.tui.session import Session  # noqa: E402

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SIZE = (80, 24)


@pytest.fixture(autouse=True)
def quiet(tmp_path, monkeypatch):
    monkeypatch.setenv("TUNEWISE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    monkeypatch.chdir(tmp_path)


async def no_blink(pilot) -> None:
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


def example(tmp_path: Path, name: str) -> Session:
    path = tmp_path / f"{name}.yaml"
    shutil.copy(EXAMPLES / f"{name}.yaml", path)
    return Session.open(path)


def partial(tmp_path: Path, up_to: str) -> Session:
    """The clinic example answered up to (not including) ``up_to``."""
    session = example(tmp_path, "regulated-clinic")
    ids = session.bank.ids
    session.answers = {k: v for k, v in session.answers.items()
                       if ids.index(k) < ids.index(up_to)}
    return session


def test_start_screen(snap_compare):
    assert snap_compare(TunewiseApp(), terminal_size=SIZE, run_before=no_blink)


def test_question_with_help(snap_compare, tmp_path):
    app = TunewiseApp(session=partial(tmp_path, "monthly_queries"))
    assert snap_compare(app, terminal_size=SIZE, run_before=no_blink)


def test_choice_question(snap_compare, tmp_path):
    app = TunewiseApp(session=partial(tmp_path, "data_change"))
    assert snap_compare(app, terminal_size=SIZE, press=["down"], run_before=no_blink)


def test_review(snap_compare, tmp_path):
    app = TunewiseApp(session=example(tmp_path, "regulated-clinic"))
    assert snap_compare(app, terminal_size=SIZE, run_before=no_blink)


def test_results(snap_compare, tmp_path):
    app = TunewiseApp(session=example(tmp_path, "regulated-clinic"))
    assert snap_compare(app, terminal_size=SIZE, press=["ctrl+o"], run_before=no_blink)


def test_first_question_light_theme(snap_compare, tmp_path):
    session = partial(tmp_path, "domain")
    app = TunewiseApp(session=session, theme="light")
    assert snap_compare(app, terminal_size=SIZE, run_before=no_blink)
