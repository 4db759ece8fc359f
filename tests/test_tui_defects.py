"""One Pilot test per defect of issue 13 (the interview in front of a client)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")

from tunewise.engine.assess import quick_decision  # noqa: E402
from tunewise.engine.questions import load_bank  # noqa: E402
from tunewise.tui.app import TunewiseApp  # noqa: E402
from tunewise.tui.session import Session, number_problem  # noqa: E402

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("tui_data_dir")]
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SIZE = (100, 40)


def name(app) -> str:
    return type(app.screen).__name__


def text_of(app, selector: str) -> str:
    """What a Static shows, as plain text (tables and all)."""
    from rich.console import Console

    content = app.screen.query_one(selector).content
    if isinstance(content, str):
        return content
    console = Console(width=200, record=True, file=open(os.devnull, "w"))  # noqa: SIM115
    console.print(content)
    return console.export_text().rstrip("\n")


def clinic(tmp_path: Path, currency: str | None = None, **answers) -> Session:
    path = tmp_path / "clinic.yaml"
    text = (EXAMPLES / "regulated-clinic.yaml").read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    session = Session.open(path)
    if currency:
        session.currency = currency
    session.answers.update(answers)
    return session


def advisor_text(app) -> str:
    interview = app.interview
    return " ".join(str(interview.query_one(f"#advisor-{part}").render())
                    for part in ("leader", "bars", "reason", "why"))


async def test_1_advisor_follows_a_change_kept_on_results(tmp_path):
    app = TunewiseApp(session=clinic(tmp_path, "EUR", budget_upfront=10_000_000,
                                     budget_monthly=1_000_000, timeline_weeks=104))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert name(app) == "ReviewScreen"
        assert "Best fit" in advisor_text(app)
        await pilot.press("ctrl+o")
        await pilot.pause()
        results = app.screen
        results.try_scenario("budget_monthly", 10)
        await pilot.press("k")
        await pilot.pause()
        assert app.session.answers["budget_monthly"] == 10
        await pilot.press("escape", "escape")               # Results → Review → interview
        await pilot.pause()
        assert name(app) == "InterviewScreen"
        shown = advisor_text(app)
        assert "Best fit" not in shown and "Nothing fits the budget" in shown


async def test_2_nothing_fits_names_the_shortfall_in_the_sessions_currency(tmp_path):
    session = clinic(tmp_path, "EUR", budget_monthly=10)
    decision = quick_decision(session.answers, "EUR")
    assert not decision.within_constraints
    app = TunewiseApp(session=session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.action_back_to_interview()
        await pilot.pause()
        shown = advisor_text(app)
        assert "Nothing fits the budget" in shown and "a month" in shown and "+€" in shown
        assert "▶" not in shown and "leads" not in shown and "¤" not in shown
        await pilot.press("ctrl+o")
        await pilot.pause()
        head = text_of(app, "#results-recommendation")
        assert head.startswith("Nothing fits the budget") and "needs +€" in head
        assert "Build" not in head.split("\n")[0]


async def test_3_the_interview_ends_on_review_without_a_second_lap(tmp_path):
    bank = load_bank()
    app = TunewiseApp(session=Session.new())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(*"Acme", "enter", *"Bot", "enter", "enter", "enter", "enter")
        await pilot.pause()
        await pilot.press("ctrl+g")
        await pilot.pause()
        await pilot.press(*"budget team", "enter")           # type-to-filter, then pick
        await pilot.pause()
        await pilot.pause()
        assert app.screen.step == "budget_upfront"
        seen: list[str] = []
        for _ in range(40):
            if name(app) != "InterviewScreen":
                break
            seen.append(app.screen.step)
            await pilot.press("ctrl+n")
            await pilot.pause()
        assert name(app) == "ReviewScreen"
        assert len(seen) == len(set(seen)), f"asked twice: {seen}"
        assert app.session.complete()
        assert seen[0] == "budget_upfront" and bank.ids.index(seen[-1]) < bank.ids.index(
            "budget_upfront")


async def test_5_and_7_words_not_ids_and_an_honest_advisor(tmp_path):
    app = TunewiseApp(session=Session.new())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        shown = advisor_text(app)
        assert "No answers yet" in shown and "Needs next" in shown
        assert "RAG" not in shown and "%" not in shown        # no guess before any answer
        await pilot.press(*"Acme", "enter", *"Bot", "enter", "enter", "enter")
        app.screen.query_one("#client-currency").value = "EUR"
        await pilot.press("enter")
        await pilot.pause()
        assert app.session.currency == "EUR"
        await pilot.press("enter")                           # domain: general
        await pilot.pause()
        assert app.screen.step == "needs_private_data"
        await pilot.press("end", "enter")                    # a decisive No
        await pilot.pause()
        latest = text_of(app, "#advisor-reason")
        assert "No score moved" not in latest and "Rules out" in latest
        assert "needs_private_data" not in latest
        assert "+" in latest or "−" in latest
        for strategy in ("RAG", "Prompt", "PEFT", "Scratch", "Full FT", "RAG+FT"):
            latest = latest.replace(strategy, "")
        assert "( " not in latest and "()" not in latest
        assert "¤" not in advisor_text(app) and "$" not in advisor_text(app)
    # Results and Export list unanswered questions by their words.
    session = Session.open(tmp_path / "data" / "sessions" / "bot.yaml")
    app = TunewiseApp(session=session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+o")
        await pilot.pause()
        warning = text_of(app, "#results-warning")
        assert "budget_monthly" not in warning and load_bank().get("budget_monthly").prompt[:20] \
            in warning.replace("\n", " ")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "monthly_queries" not in text_of(app, "#export-warning")


async def test_8_keys_go_back_where_they_came_from(tmp_path):
    app = TunewiseApp(session=clinic(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert name(app) == "ReviewScreen"
        bindings = {b.binding.key: b.binding for b in app.screen.active_bindings.values()}
        assert bindings["enter"].description == "Change" and bindings["enter"].show
        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert name(app) == "ReviewScreen"                    # not the interview
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert name(app) == "SectionPicker"
        await pilot.press(*"client", "enter")
        await pilot.pause()
        await pilot.pause()
        assert app.screen.step == "client"
        await pilot.press("escape")
        await pilot.pause()
        assert name(app) == "InterviewScreen"                 # not the start screen
        for key in ("f1", "question_mark"):
            app.screen.query_one("#advisor").focus()
            await pilot.press(key)
            await pilot.pause()
            assert name(app) == "HelpScreen"
            help_text = text_of(app, "#help-legend")
            for term in ("Verdict", "Confidence", "Over budget", "Ruled out", "Closed API",
                         "Open weights", "P10–P90"):
                assert term in help_text
            await pilot.press("escape")
            await pilot.pause()
            assert name(app) == "InterviewScreen"
        app.action_show_help_panel()
        await pilot.pause()
        assert app.screen.query("HelpPanel")
        await pilot.press("escape")
        await pilot.pause()
        assert not app.screen.query("HelpPanel") and name(app) == "InterviewScreen"


def test_9_numbers_are_read_as_a_consultant_means_them():
    bank = load_bank()
    money = bank.get("budget_monthly")
    assert number_problem(money, "1,2")[0] is None and "comma" in number_problem(money, "1,2")[1]
    assert number_problem(money, "12,000") == (12000, None)
    assert "too large" in number_problem(money, "1e309")[1]
    assert "needs an answer" in number_problem(money, "")[1]


async def test_9_number_fields_hints_defaults_and_currency(tmp_path):
    session = clinic(tmp_path)
    for key in ("timeline_weeks", "ip_ownership"):
        session.answers.pop(key)
    app = TunewiseApp(session=session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.screen.step == "timeline_weeks"
        assert "50k" not in str(app.screen.query_one(".number-hint").render())
        assert app.screen.query("#default-mark")               # the shown 12 is a default
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("ctrl+g", *"client", "enter")
        await pilot.pause()
        await pilot.pause()
        await pilot.pause()
        assert app.screen.step == "client"
        field = app.screen.query_one("#client-currency")
        field.value = ""
        await pilot.pause()
        field.focus()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert app.session.currency == "USD"
        assert app.screen.step == "ip_ownership"              # accepted: empty means USD


async def test_10_layout_at_80_and_200_columns(tmp_path):
    app = TunewiseApp(session=clinic(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("DataTable")
        prompts = [str(row[1]) for row in (table.get_row_at(i) for i in range(table.row_count))]
        assert all("…" not in p for p in prompts)
        titles = {s.title for s in app.session.bank.sections}
        sections = {str(table.get_row_at(i)[0]) for i in range(table.row_count)}
        assert sections - {"Client"} <= titles
        footer_keys = {b.binding.key for b in app.screen.active_bindings.values()
                       if b.binding.show}
        assert "ctrl+t" in footer_keys
    app = TunewiseApp(session=clinic(tmp_path))
    async with app.run_test(size=(200, 50)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("DataTable")
        assert sum(c.get_render_width(table) for c in table.columns.values()) >= 180


async def test_10_wide_choice_explanations_stay_in_their_column(tmp_path):
    session = clinic(tmp_path)
    session.answers.pop("data_change")
    app = TunewiseApp(session=session)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        app.action_back_to_interview()
        await pilot.pause()
        await app.interview.show("data_change")
        await pilot.pause()
        options = app.screen.query_one("#answer-options")
        lines = [str(strip.text) for strip in options.render_lines(options.region.reset_offset)]
        lines = [line for line in lines if line.strip()]
        assert all(not line[:1].isalpha() for line in lines), lines
        await pilot.press("ctrl+r")
        await pilot.pause()
        table = app.screen.query_one("DataTable")
        table.move_cursor(row=[k.value for k in table.rows].index("data_change"))
        await pilot.press("enter")                            # change dialog, 76 wide
        await pilot.pause()
        assert name(app) == "EditAnswer"
        assert app.screen.query_one("QuestionForm").wide is False


async def test_10_progress_counts_a_skipped_optional_question(tmp_path):
    session = clinic(tmp_path)
    session.answers.pop("cost_per_error", None)
    session.answers.pop("ip_ownership")
    app = TunewiseApp(session=session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        label = text_of(app, "#progress-label")
        applicable = app.session.applicable()
        answered = sum(1 for q in applicable if q.id in app.session.answers)
        skipped = app.screen.skipped_optional()
        assert "cost_per_error" in skipped and "ip_ownership" not in skipped
        assert f"{answered + len(skipped)}/{len(applicable)} answered · {len(skipped)} skipped" \
            in label


def test_10_light_theme_text_meets_wcag_aa():
    from textual.color import Color

    from tunewise.tui.theme import LIGHT, contrast_ratio

    variables = LIGHT.to_color_system().generate()
    for name in ("text-accent", "text-muted", "text-warning", "text-error", "text-primary",
                 "foreground"):
        for ground in ("background", "surface", "panel"):
            fg = Color.parse(variables[name]).rgb
            bg = Color.parse(variables[ground]).rgb
            assert contrast_ratio(fg, bg) >= 4.5, (name, ground, contrast_ratio(fg, bg))


async def test_12_opening_files(tmp_path):
    from tunewise.tui.screen_start import suggest_path

    (tmp_path / "answers").mkdir()
    (tmp_path / "answers" / "acme.yaml").write_text("version: 1\n")
    assert suggest_path("ans") == "answers/"
    assert suggest_path("answers/ac") == "answers/acme.yaml"
    readme = tmp_path / "README.md"
    readme.write_text("# Title\n\nSome text: with: colons\n  - and: [unclosed\n")
    bad = tmp_path / "zar.yaml"
    bad.write_text("version: 1\nclient: {name: A, project: B}\ncurrency: ZAR\n"
                   "answers: {domain: legal}\n")
    app = TunewiseApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o", *"README.md", "enter")
        await pilot.pause()
        error = text_of(app, "#start-error")
        assert error.startswith("README.md") and "\n" not in error and len(error) < 200
        assert "while scannin" not in error or error.endswith("…")
        field = app.screen.query_one("#open-path")
        field.value = "zar.yaml"
        await pilot.press("enter")
        await pilot.pause()
        assert name(app) == "InterviewScreen"
        await pilot.pause(0.2)
        assert "Unknown currency 'ZAR'" in text_of(app, "#file-warnings")
