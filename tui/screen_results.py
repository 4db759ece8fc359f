"""Results: the verdict, ranked strategies with reasons, costs, and a what-if sandbox.

Choosing a flip, or trying any answer with ``w``, builds a scenario beside the current
answers and shows both side by side. The saved answers change only on ``k`` (keep);
``x`` reverts.
"""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Label, OptionList, Static
from textual.widgets.option_list import Option

from tunewise.engine.assess import SOURCE_LABELS, assess
from tunewise.engine.assessment import Assessment
from tunewise.engine.money import fmt, localise, short
from tunewise.engine.problems import InputError
from tunewise.tui.advisor import STRATEGY_SHORT, bar
from tunewise.tui.base import AppAware
from tunewise.tui.modals import EditAnswer, Edited, QuestionPicker
from tunewise.tui.results_text import (
    comparison_rows,
    headline,
    net_value,
    pick_words,
    status,
)
from tunewise.tui.session import format_value


class ResultsScreen(AppAware, Screen):
    BINDINGS = [
        Binding("escape", "app.back", "Back", id="back"),
        Binding("w", "what_if", "What-if", id="what-if"),
        Binding("c", "what_if", "What-if", id="change", show=False),
        Binding("k", "keep", "Keep", id="keep"),
        Binding("x", "revert", "Revert", id="revert"),
        Binding("ctrl+r", "app.review", "Review", id="review"),
        Binding("ctrl+s", "app.export", "Export", id="export"),
        Binding("ctrl+g", "app.sections", "Jump", id="sections", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.assessment: Assessment | None = None
        self.scenario: dict[str, Any] = {}
        self.scenario_assessment: Assessment | None = None
        self.change_note = ""
        self.computed_for: tuple = ()

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="results-scroll"):
            yield Static("", id="results-warning")
            yield Static("", id="results-change")
            yield Static("", id="whatif", classes="whatif")
            yield Static("", id="results-recommendation")
            yield Static("", id="results-costs")
            yield Label("Ranked strategies (select one to see its reasons)", classes="panel-title")
            yield DataTable(id="results-table", cursor_type="row", zebra_stripes=True)
            yield Static("", id="results-reasons")
            yield Label("What would flip the decision (Enter tries it as a what-if)",
                        classes="panel-title")
            yield OptionList(id="results-flips")
        yield Footer(compact=True, show_command_palette=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("keep", "revert"):
            return bool(self.scenario)
        return True

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, key, width in (("#", "rank", 1), ("Strategy", "strategy", 8),
                                  ("Score", "score", 11), ("Source", "source", 6),
                                  ("Upfront", "upfront", 7), ("Monthly", "monthly", 7),
                                  ("Net value", "net", 9), ("Status", "status", 9)):
            table.add_column(label, key=key, width=width)
        self.compute()
        table.focus(scroll_visible=False)
        self.query_one("#results-scroll", VerticalScroll).scroll_home(animate=False)

    def assess_answers(self, overrides: dict[str, Any] | None = None) -> Assessment | None:
        try:
            return assess(self.session.answer_file(overrides))
        except InputError as exc:
            bank = self.session.bank
            self.notify("; ".join(f"{_prompt(bank, p.question)}: {p.message}"
                                  for p in exc.problems),
                        title="These answers cannot be assessed yet", severity="error")
            return None

    def compute(self) -> None:
        assessment = self.assess_answers()
        if assessment is None:
            if self.assessment is None:
                self.app.action_back_to_interview()
            return
        self.assessment = assessment
        self.computed_for = self._state()
        if self.scenario:
            self.scenario_assessment = self.assess_answers(self.scenario)
        self.render_results()

    def render_results(self) -> None:
        a = self.assessment
        assert a is not None
        session = self.session
        currency = a.currency
        missing = session.missing()
        warning = ""
        if not session.client_ready():
            warning = "Client name or project missing. "
        if missing:
            warning += (f"{len(missing)} unanswered question(s) take their defaults: "
                        + "; ".join(q.prompt for q in missing))
        self.query_one("#results-warning", Static).update(Text(warning, style="bold"))
        self.query_one("#results-warning").display = bool(warning)
        change = self.query_one("#results-change", Static)
        change.update(Text(self.change_note, style="bold"))
        change.display = bool(self.change_note)
        self.render_whatif()
        self.query_one("#results-recommendation", Static).update(headline(a))

        best = a.recommended
        costs = best.costs
        lines = Text()
        lines.append("Upfront ", style="bold")
        lines.append(fmt(costs.upfront, currency))
        lines.append("   Monthly ", style="bold")
        lines.append(fmt(costs.monthly, currency))
        lines.append(f"   {costs.horizon_months}-month total ", style="bold")
        lines.append(fmt(costs.horizon_total, currency))
        if best.payback_months is not None:
            lines.append(f"   payback {best.payback_months:g} months")
        lines.append("\nBreak-even (RAG vs PEFT): ", style="bold")
        if a.break_even_monthly_queries is None:
            lines.append("they never cost the same at any volume")
        else:
            lines.append(f"{a.break_even_monthly_queries:,} questions a month")
        if a.sensitivity.recommendation_changes_at:
            lines.append("\nThe recommendation changes at ", style="bold")
            lines.append(", ".join(f"{q:,}" for q in a.sensitivity.recommendation_changes_at)
                         + " questions a month")
        self.query_one("#results-costs", Static).update(lines)

        table = self.query_one(DataTable)
        table.clear()
        present = self.app.present
        for s in a.strategies:
            table.add_row(str(s.rank), STRATEGY_SHORT[s.id],
                          bar(s.score, 6) + ("" if present else f" {s.score:.2f}"),
                          "API" if s.model_source == "closed_api" else "open",
                          short(s.costs.upfront, currency), short(s.costs.monthly, currency),
                          short(net_value(s), currency), status(s), key=s.id)
        table.move_cursor(row=0, animate=False)
        self.show_reasons(a.strategies[0].id)
        self.render_flips()

    def render_flips(self) -> None:
        a = self.assessment
        assert a is not None
        session = self.session
        flips = self.query_one("#results-flips", OptionList)
        flips.clear_options()
        for index, flip in enumerate(a.sensitivity.flips):
            question = session.bank.get(flip.question)
            now = format_value(question, flip.current, a.currency)
            flips.add_option(Option(Text.assemble(
                (question.prompt, ""), "\n  ", (f"{now} → {flip.alternative_label}", "bold"),
                f" would make it {a.strategy(flip.strategy).label} on "
                f"{SOURCE_LABELS[flip.model_source]}"), id=f"{index}:{flip.question}"))
        if not a.sensitivity.flips:
            flips.add_option(Option("No single answer would change the recommendation.",
                                    disabled=True))
        else:
            flips.highlighted = 0

    def render_whatif(self) -> None:
        panel = self.query_one("#whatif", Static)
        panel.display = bool(self.scenario)
        if not self.scenario or self.assessment is None:
            return
        session = self.session
        bank = session.bank
        title = Text("What-if (not saved): ", style="bold")
        title.append("; ".join(
            f"{bank.get(q).prompt} → {format_value(bank.get(q), v, session.currency)}"
            for q, v in self.scenario.items()))
        grid = Table(box=None, padding=(0, 2), show_edge=False)
        grid.add_column("", style="bold", no_wrap=True)
        grid.add_column("Current answers", ratio=1)
        grid.add_column("What-if", ratio=1)
        other = self.scenario_assessment
        now_rows = comparison_rows(self.assessment)
        then_rows = comparison_rows(other) if other else [(k, "cannot be assessed")
                                                            for k, _ in now_rows]
        for (label, now), (_, then) in zip(now_rows, then_rows, strict=True):
            grid.add_row(label, now, Text(then, style="bold" if then != now else ""))
        keys = Text("k keeps the what-if as the client's answers · x reverts · "
                    "w adds another change", style="italic")
        panel.update(Group(title, grid, keys))

    def show_reasons(self, strategy_id: str) -> None:
        a = self.assessment
        if a is None:
            return
        s = a.strategy(strategy_id)
        currency = a.currency
        text = Text()
        text.append(f"{s.label}: ", style="bold")
        text.append(s.short + "\n", style="italic")
        p10 = getattr(s, "net_value_p10", None)
        p90 = getattr(s, "net_value_p90", None)
        if p10 is not None and p90 is not None and p10 != p90:
            text.append(f"  Net value {fmt(net_value(s), currency)}, P10–P90 "
                        f"{fmt(p10, currency)} to {fmt(p90, currency)}\n")
        for reason in s.excluded_because:
            text.append(f"  ✗ {localise(reason, currency)}\n")
        present = self.app.present
        for r in sorted(s.reasons, key=lambda r: -abs(r.effect))[:6]:
            if r.kind == "exclusion":
                continue
            sign = "+" if r.effect >= 0 else "−"
            text.append(f"  {sign}" if present else f"  {sign}{abs(r.effect):.2f} ",
                        style="bold")
            text.append(f" {localise(r.text, currency)}\n")
        self.query_one("#results-reasons", Static).update(text)

    @on(DataTable.RowHighlighted, "#results-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value:
            self.show_reasons(event.row_key.value)

    # ----- what-if sandbox ---------------------------------------------------------
    @on(OptionList.OptionSelected, "#results-flips")
    def _flip(self, event: OptionList.OptionSelected) -> None:
        if not event.option.id or self.assessment is None:
            return
        index = int(event.option.id.split(":", 1)[0])
        flip = self.assessment.sensitivity.flips[index]
        self.try_scenario(flip.question, flip.alternative)

    def action_what_if(self) -> None:
        answers = self.session.answers | self.scenario
        self.app.push_screen(QuestionPicker(self.session, "Try which answer as a what-if?",
                                            answers), self._what_if_question)

    def _what_if_question(self, question_id: str | None) -> None:
        if not question_id:
            return
        value = (self.session.answers | self.scenario).get(question_id)
        self.app.push_screen(EditAnswer(self.session, question_id, value, heading="What-if"),
                             self._what_if_value)

    def _what_if_value(self, edited: Edited | None) -> None:
        if edited is not None:
            self.try_scenario(edited.question_id, edited.value)

    def try_scenario(self, question_id: str, value: Any) -> None:
        if self.session.answers.get(question_id) == value:
            self.scenario.pop(question_id, None)
        else:
            self.scenario[question_id] = value
        self.scenario_assessment = self.assess_answers(self.scenario) if self.scenario else None
        self.refresh_bindings()
        self.render_whatif()
        self.query_one("#results-scroll", VerticalScroll).scroll_home(animate=False)

    def action_keep(self) -> None:
        if not self.scenario or self.assessment is None:
            return
        session = self.session
        old = self.assessment
        changes = []
        for question_id, value in self.scenario.items():
            question = session.bank.get(question_id)
            before = format_value(question, session.answers.get(question_id), session.currency)
            session.set_answer(question_id, value)
            changes.append(f"“{question.prompt}” {before} → "
                           f"{format_value(question, value, session.currency)}")
        self.scenario = {}
        self.scenario_assessment = None
        self.refresh_bindings()
        self.compute()
        new = self.assessment
        effect = (f"the pick stays {pick_words(new)}" if pick_words(old) == pick_words(new)
                  else f"the pick changes from {pick_words(old)} to {pick_words(new)}")
        self.change_note = f"Kept: {'; '.join(changes)}: {effect}."
        self.render_results()
        self.notify(effect[0].upper() + effect[1:] + ".", title="What-if kept and saved")

    def action_revert(self) -> None:
        if not self.scenario:
            return
        self.scenario = {}
        self.scenario_assessment = None
        self.refresh_bindings()
        self.render_whatif()
        self.notify("What-if dropped; the client's answers are unchanged.", timeout=3)

    def presentation_changed(self) -> None:
        if self.assessment is not None:
            self.render_results()

    def _state(self) -> tuple:
        session = self.session
        return (tuple(sorted(session.answers.items())), session.currency,
                tuple(sorted(session.client.items())))

    def on_screen_resume(self) -> None:
        # Answers changed on another screen (Review, the interview): assess them again.
        if self.assessment is not None and self._state() != self.computed_for:
            self.compute()


def _prompt(bank, question_id: str) -> str:
    return bank.get(question_id).prompt if question_id in bank.by_id else question_id
