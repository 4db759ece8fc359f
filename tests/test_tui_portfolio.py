"""A client's portfolio in the TUI: sessions grouped by client, use cases added, the summary, the export."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml

os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")

from tunewise.tui.app import TunewiseApp  # noqa: E402
from tunewise.tui.client_book import ClientPlan, load_plan, summarise  # noqa: E402
from tunewise.tui.screen_portfolio import portfolio_formats  # noqa: E402
from tunewise.tui.session import Session, saved_sessions, sessions_dir  # noqa: E402

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("tui_data_dir")]
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SIZE = (110, 40)


def save_example(name: str, client: str, saved_at: int) -> Path:
    """An example answer file saved as a session of ``client``."""
    data = yaml.safe_load((EXAMPLES / f"{name}.yaml").read_text(encoding="utf-8"))
    data["client"]["name"] = client
    folder = sessions_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    os.utime(path, (saved_at, saved_at))
    return path


def northwind_plan(upfront: float = 330_000) -> ClientPlan:
    plan = ClientPlan(name="Northwind", budget_upfront=upfront, budget_monthly=60_000,
                      people={"ml_experts": 26, "engineers": 40})
    plan.save()
    return plan


def rows(table) -> list[list[str]]:
    return [[str(cell).strip() for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def open_portfolio(pilot, client_row: int = 0) -> None:
    table = pilot.app.screen.query_one("#sessions")
    table.focus()
    table.move_cursor(row=client_row)
    await pilot.press("p")
    await settle(pilot)


async def test_sessions_are_grouped_by_client_with_the_unnamed_last():
    save_example("support-tickets", "Northwind", 1_800_000_000)
    save_example("small-faq", "Fabrikam", 1_800_000_100)
    save_example("legal-high-volume", "Northwind", 1_800_000_200)
    unnamed = Session.new()
    unnamed.set_answer("domain", "legal")
    app = TunewiseApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        shown = rows(app.screen.query_one("#sessions"))
    assert [row[:2] for row in shown] == [
        ["Fabrikam", "1 use case"], ["", "Shop FAQ bot"],
        ["Northwind", "2 use cases"], ["", "Contract review at scale"], ["", "Support reply assistant"],
        ["—", "1 use case"], ["", "untitled"]]


async def test_a_use_case_added_to_a_client_joins_its_group():
    save_example("support-tickets", "Northwind", 1_800_000_000)
    app = TunewiseApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#sessions")
        table.focus()
        table.move_cursor(row=1)                          # a session row: its client counts
        await pilot.press("a")
        await pilot.pause()
        assert type(app.screen).__name__ == "InterviewScreen" and app.screen.step == "client"
        assert app.session.client["name"] == "Northwind"
        assert app.session.client["consultant"] == "Jane Roe"   # taken from the client's session
        assert app.session.currency == "EUR"
        project = app.screen.query_one("#client-project")
        project.value = "Invoice triage"
        await pilot.press("enter")
        await pilot.pause()
        app.action_start()
        await pilot.pause()
        shown = rows(app.screen.query_one("#sessions"))
    assert shown[0][:2] == ["Northwind", "2 use cases"]
    assert {row[1] for row in shown[1:]} == {"Invoice triage", "Support reply assistant"}


async def test_f3_in_an_interview_opens_that_clients_portfolio():
    save_example("support-tickets", "Northwind", 1_800_000_000)
    save_example("small-faq", "Fabrikam", 1_800_000_100)
    northwind_plan()
    app = TunewiseApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#sessions")
        table.focus()
        table.move_cursor(row=3)                          # Northwind's session row
        await pilot.press("enter")
        await settle(pilot)
        assert app.session.client["name"] == "Northwind"
        await pilot.press("f3")
        await settle(pilot)
        assert type(app.screen).__name__ == "PortfolioScreen"
        shown = rows(app.screen.query_one("#portfolio-table"))
    assert [row[0] for row in shown] == ["Support reply assistant"]


async def test_the_summary_funds_within_the_budgets_and_follows_a_changed_answer():
    tickets = save_example("support-tickets", "Northwind", 1_800_000_000)
    save_example("legal-high-volume", "Northwind", 1_800_000_100)
    northwind_plan(upfront=150_000)                       # room for one of the two builds
    app = TunewiseApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_portfolio(pilot)
        screen = app.screen
        assert type(screen).__name__ == "PortfolioScreen"
        before = {row[0]: row for row in rows(screen.query_one("#portfolio-table"))}
        decisions = sorted(row[1] for row in before.values())
        assert decisions == ["Deferred", "Funded"]
        funded = next(row for row in before.values() if row[1] == "Funded")
        totals = str(screen.query_one("#portfolio-totals").render())
        assert f"upfront {funded[2]} of $150,000" in totals

        # Change one answer of the support use case, as its interview would, and come back.
        session = Session.open(tickets)
        app.begin(session)
        await pilot.pause()
        session.set_answer("monthly_queries", 3_000_000)
        app.action_portfolio()
        await settle(pilot)
        after = {row[0]: row for row in rows(app.screen.query_one("#portfolio-table"))}
    expected = summarise("Northwind").portfolio
    entry = next(e for e in expected.entries if e.project == "Support reply assistant")
    assert after["Support reply assistant"][3] != before["Support reply assistant"][3]
    from tunewise.engine.money import fmt

    assert after["Support reply assistant"][3] == fmt(entry.figures.monthly, "USD", 0)


async def test_the_budgets_form_saves_checked_values_and_keeps_them_on_bad_input(tui_data_dir):
    save_example("small-faq", "Fabrikam", 1_800_000_000)
    app = TunewiseApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_portfolio(pilot)
        form = app.screen                                 # no budgets yet: the form opens by itself
        assert type(form).__name__ == "ClientForm"
        for key, value in (("budget_upfront", "250k"), ("budget_monthly", "20,000"),
                           ("ml_experts", "0"), ("engineers", "12")):
            form.query_one(f"#plan-{key}").value = value
        await pilot.click("#plan-save")
        await settle(pilot)
        assert type(app.screen).__name__ == "PortfolioScreen"
        saved = load_plan("Fabrikam")
        assert (saved.budget_upfront, saved.budget_monthly, saved.people) == \
            (250_000, 20_000, {"ml_experts": 0, "engineers": 12})
        text_before = saved.path.read_text(encoding="utf-8")

        await pilot.press("b")
        await pilot.pause()
        form = app.screen
        form.query_one("#plan-budget_upfront").value = "lots"
        form.query_one("#plan-start").value = "next spring"
        await pilot.click("#plan-save")
        await pilot.pause()
        assert type(app.screen).__name__ == "ClientForm"  # still open, saying what is wrong
        assert "not an amount" in str(form.query_one("#plan-budget_upfront-problem").render())
        assert "not a date" in str(form.query_one("#plan-start-problem").render())
        await pilot.press("escape")
        await pilot.pause()
    assert saved.path.read_text(encoding="utf-8") == text_before


async def test_the_portfolio_export_writes_what_the_cli_writes(tmp_path):
    from tunewise.cli.main import main

    save_example("support-tickets", "Northwind", 1_800_000_000)
    save_example("small-faq", "Northwind", 1_800_000_100)
    northwind_plan()
    out = tmp_path / "board"
    out.mkdir()
    (out / "support-tickets.yaml").write_text("# mine\n", encoding="utf-8")
    app = TunewiseApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_portfolio(pilot)
        screen = app.screen
        for key in portfolio_formats():                   # JSON only (XLSX too once the CLI has it)
            screen.query_one(f"#portfolio-format-{key}").value = key == "json"
        screen.query_one("#portfolio-folder").value = str(out)
        await pilot.press("e")
        await settle(pilot)
        assert "northwind-portfolio.json" in str(screen.query_one("#portfolio-log").render())
    assert sorted(p.name for p in out.iterdir()) == [
        "northwind-portfolio-answers", "northwind-portfolio.json", "northwind-portfolio.yaml",
        "support-tickets.yaml"]                           # the consultant's own file, kept
    assert (out / "support-tickets.yaml").read_text(encoding="utf-8") == "# mine\n"
    assert sorted(p.name for p in (out / "northwind-portfolio-answers").iterdir()) == [
        "small-faq.yaml", "support-tickets.yaml"]
    # The exported portfolio file reruns in scripted mode to the same JSON, byte for byte.
    again = tmp_path / "again"
    assert main(["portfolio", str(out / "northwind-portfolio.yaml"), "--format", "json",
                 "--out", str(again)]) == 0
    assert (again / "northwind-portfolio.json").read_bytes() == \
        (out / "northwind-portfolio.json").read_bytes()
    data = json.loads((out / "northwind-portfolio.json").read_text(encoding="utf-8"))
    assert data["client"]["name"] == "Northwind"
    assert {item["id"] for item in data["funded"]} | {item["id"] for item in data["deferred"]} \
        | {item["id"] for item in data["not_worth_building"]} == {"support-tickets", "small-faq"}
    assert len(saved_sessions()) == 2                     # exporting changed no session


async def test_in_a_browser_the_portfolio_export_stays_in_the_sessions_own_folder(tui_data_dir):
    save_example("support-tickets", "Northwind", 1_800_000_000)
    northwind_plan()
    app = TunewiseApp(web_session=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_portfolio(pilot)
        screen = app.screen
        assert not screen.query_one("#portfolio-folder-row").display   # no server paths typed
        for key in portfolio_formats():
            screen.query_one(f"#portfolio-format-{key}").value = key == "json"
        await pilot.press("e")
        await settle(pilot)
    assert (tui_data_dir / "exports" / "portfolio" / "northwind-portfolio.json").is_file()


def test_a_new_clients_budgets_start_in_the_currency_of_its_sessions():
    save_example("support-tickets", "Northwind", 1_800_000_000)        # a EUR use case
    assert load_plan("Northwind").currency == "EUR"
    assert load_plan("Nobody").currency == "USD"


async def test_the_portfolio_offers_the_formats_the_cli_offers():
    from tunewise.cli.commands.portfolio import FORMATS

    save_example("support-tickets", "Northwind", 1_800_000_000)
    northwind_plan()
    app = TunewiseApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_portfolio(pilot)
        offered = [box.id.removeprefix("portfolio-format-")
                   for box in app.screen.query("#portfolio-formats Checkbox")]
    assert offered == list(FORMATS)
