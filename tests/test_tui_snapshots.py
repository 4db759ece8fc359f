"""Snapshot tests of every screen (pytest-textual-snapshot).

Each screen at 80x24 in the dark theme and at 160x45 in the light theme, plus the
interview and results at 80x24 light and 160x45 dark, so both themes are seen at both
sizes without multiplying the count (CI has 2 cores). Regenerate after an intended
change of looks with `pytest tests/test_tui_snapshots.py --snapshot-update`.
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
SMALL, LARGE = (80, 24), (160, 45)
LOOKS = [pytest.param(SMALL, "dark", id="80x24-dark"), pytest.param(LARGE, "light", id="160x45-light")]
BOTH = LOOKS + [pytest.param(SMALL, "light", id="80x24-light"),
                pytest.param(LARGE, "dark", id="160x45-dark")]


@pytest.fixture(autouse=True)
def quiet(tmp_path, monkeypatch):
    monkeypatch.setenv("TUNEWISE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    monkeypatch.chdir(tmp_path)


async def no_blink(pilot) -> None:
    """Wait until the screen has its form (mounted after the screen), then stop blinking."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
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


def saved_session(tmp_path: Path) -> None:
    """One saved session in the data dir with a fixed date, so the list is stable."""
    folder = tmp_path / "data" / "sessions"
    folder.mkdir(parents=True)
    target = folder / "triage.yaml"
    shutil.copy(EXAMPLES / "regulated-clinic.yaml", target)
    os.utime(target, (1_800_000_000, 1_800_000_000))


@pytest.mark.parametrize("size, theme", LOOKS)
def test_start_screen(snap_compare, tmp_path, size, theme):
    saved_session(tmp_path)
    assert snap_compare(TunewiseApp(theme=theme), terminal_size=size, run_before=no_blink)


@pytest.mark.parametrize("size, theme", BOTH)
def test_number_question(snap_compare, tmp_path, size, theme):
    app = TunewiseApp(session=partial(tmp_path, "monthly_queries"), theme=theme)
    assert snap_compare(app, terminal_size=size, run_before=no_blink)


@pytest.mark.parametrize("size, theme", LOOKS)
def test_choice_question(snap_compare, tmp_path, size, theme):
    app = TunewiseApp(session=partial(tmp_path, "data_change"), theme=theme)
    assert snap_compare(app, terminal_size=size, press=["down"], run_before=no_blink)


@pytest.mark.parametrize("size, theme", LOOKS)
def test_review(snap_compare, tmp_path, size, theme):
    app = TunewiseApp(session=example(tmp_path, "regulated-clinic"), theme=theme)
    assert snap_compare(app, terminal_size=size, run_before=no_blink)


@pytest.mark.parametrize("size, theme", BOTH)
def test_results(snap_compare, tmp_path, size, theme):
    app = TunewiseApp(session=example(tmp_path, "regulated-clinic"), theme=theme)
    assert snap_compare(app, terminal_size=size, press=["ctrl+o"], run_before=no_blink)


@pytest.mark.parametrize("size, theme", LOOKS)
def test_export(snap_compare, tmp_path, size, theme):
    app = TunewiseApp(session=example(tmp_path, "regulated-clinic"), theme=theme)

    async def open_export(pilot) -> None:
        await pilot.press("ctrl+s")
        await pilot.pause()
        pilot.app.screen.query_one("#export-folder").value = "/tmp/exports"
        await no_blink(pilot)

    assert snap_compare(app, terminal_size=size, run_before=open_export)


@pytest.mark.parametrize("size, theme", LOOKS)
def test_help(snap_compare, tmp_path, size, theme):
    app = TunewiseApp(session=example(tmp_path, "regulated-clinic"), theme=theme)
    assert snap_compare(app, terminal_size=size, press=["f1"], run_before=no_blink)


def client_with_two_use_cases(tmp_path: Path, budgets: bool = True) -> None:
    """Two saved use cases of one client (fixed dates), and its budgets when asked."""
    import yaml

    from tunewise.tui.client_book import ClientPlan

    folder = tmp_path / "data" / "sessions"
    folder.mkdir(parents=True)
    for index, name in enumerate(("support-tickets", "legal-high-volume")):
        data = yaml.safe_load((EXAMPLES / f"{name}.yaml").read_text(encoding="utf-8"))
        data["client"]["name"] = "Northwind"
        target = folder / f"{name}.yaml"
        target.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        os.utime(target, (1_800_000_000 + index, 1_800_000_000 + index))
    if budgets:
        ClientPlan(name="Northwind", budget_upfront=150_000, budget_monthly=60_000,
                   people={"ml_experts": 26, "engineers": 40}).save()


async def open_client_portfolio(pilot) -> None:
    table = pilot.app.screen.query_one("#sessions")
    table.focus()
    table.move_cursor(row=0)
    await pilot.press("p")
    await no_blink(pilot)          # the summary is computed in a worker ...
    for folder in pilot.app.screen_stack[2].query("#portfolio-folder"):
        folder.value = "/tmp/portfolio"
    await no_blink(pilot)          # ... and without budgets, the form opens after it
    # Under load a snapshot once caught the table's header as painted before its columns took
    # the widths of the rows (the rows themselves were right): paint the table once more.
    for table in pilot.app.screen_stack[2].query("#portfolio-table"):
        table.refresh()
    await pilot.pause()


@pytest.mark.parametrize("size, theme", LOOKS)
def test_portfolio(snap_compare, tmp_path, size, theme):
    client_with_two_use_cases(tmp_path)
    assert snap_compare(TunewiseApp(theme=theme), terminal_size=size, run_before=open_client_portfolio)


@pytest.mark.parametrize("size, theme", LOOKS)
def test_client_budgets_form(snap_compare, tmp_path, size, theme):
    client_with_two_use_cases(tmp_path, budgets=False)     # no budgets yet: the form opens
    assert snap_compare(TunewiseApp(theme=theme), terminal_size=size, run_before=open_client_portfolio)
