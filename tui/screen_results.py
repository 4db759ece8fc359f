"""Results: the recommendation, ranked strategies with reasons, costs, and what would flip it."""

from __future__ import annotations

from typing import TYPE_CHECKING

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
from tunewise.engine.money import fmt
from tunewise.engine.problems import InputError
from tunewise.tui.modals import EditAnswer, QuestionPicker
from tunewise.tui.session import format_value
from tunewise.tui.widgets import STRATEGY_SHORT, bar

if TYPE_CHECKING:
    from tunewise.tui.app import TunewiseApp


class ResultsScreen(Screen):
    app: TunewiseApp

    BINDINGS = [
        Binding("escape", "app.back_to_interview", "Back", id="back"),
        Binding("c", "change", "Change answer", id="change"),
        Binding("ctrl+r", "app.review", "Review", id="review"),
        Binding("ctrl+s", "app.export", "Export", id="export"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.assessment: Assessment | None = None
        self.previous: Assessment | None = None
        self.change_note = ""
        self.editing = False

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="results-scroll"):
            yield Static("", id="results-warning")
            yield Static("", id="results-change")
            yield Static("", id="results-recommendation")
            yield Static("", id="results-costs")
            yield Label("Ranked strategies (select one to see its reasons)", classes="panel-title")
            yield DataTable(id="results-table", cursor_type="row", zebra_stripes=True)
            yield Static("", id="results-reasons")
            yield Label("What would flip the decision (select to change that answer)",
                        classes="panel-title")
            yield OptionList(id="results-flips")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, key, width in (("#", "rank", 1), ("Strategy", "strategy", 8),
                                  ("Score", "score", 11), ("Source", "source", 6),
                                  ("Upfront", "upfront", 7), ("Monthly", "monthly", 7),
                                  ("Horizon", "horizon", 7), ("Status", "status", 9)):
            table.add_column(label, key=key, width=width)
        self.compute()
        table.focus(scroll_visible=False)
        self.query_one("#results-scroll", VerticalScroll).scroll_home(animate=False)

    def compute(self) -> None:
        session = self.app.session
        self.previous = self.assessment
        try:
            self.assessment = assess(session.answer_file())
        except InputError as exc:
            self.notify("; ".join(f"{p.question}: {p.message}" for p in exc.problems),
                        title="These answers cannot be assessed yet", severity="error")
            if self.assessment is None:
                self.app.action_back_to_interview()
            return
        self.render_results()

    def render_results(self) -> None:
        a = self.assessment
        assert a is not None
        session = self.app.session
        currency = a.currency
        missing = session.missing()
        warning = ""
        if not session.client_ready():
            warning = "Client name or project missing. "
        if missing:
            warning += (f"{len(missing)} unanswered question(s) take their defaults: "
                        + ", ".join(q.id for q in missing))
        self.query_one("#results-warning", Static).update(Text(warning, style="bold"))
        self.query_one("#results-warning").display = bool(warning)
        change = self.query_one("#results-change", Static)
        change.update(Text(self.change_note, style="bold"))
        change.display = bool(self.change_note)

        rec = a.recommendation
        best = a.recommended
        head = Text()
        head.append(f"{best.label}", style="bold reverse")
        head.append(f" on {SOURCE_LABELS[rec.model_source]}", style="bold")
        head.append(f"   confidence {rec.confidence:.0%}")
        if rec.runner_up:
            head.append(f" · runner-up {a.strategy(rec.runner_up).label}")
        head.append("\n" + rec.summary)
        self.query_one("#results-recommendation", Static).update(head)

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
        for s in a.strategies:
            status = "ok" if s.eligible and s.within_budget else (
                "over" if s.eligible else "ruled out")
            table.add_row(str(s.rank), STRATEGY_SHORT[s.id],
                          f"{bar(s.score, 6)} {s.score:.2f}",
                          "API" if s.model_source == "closed_api" else "open",
                          _short(s.costs.upfront, currency), _short(s.costs.monthly, currency),
                          _short(s.costs.horizon_total, currency), status, key=s.id)
        table.move_cursor(row=0, animate=False)
        self.show_reasons(a.strategies[0].id)

        flips = self.query_one("#results-flips", OptionList)
        flips.clear_options()
        bank = session.bank
        for index, flip in enumerate(a.sensitivity.flips):
            question = bank.get(flip.question)
            now = format_value(question, flip.current, currency)
            flips.add_option(Option(Text.assemble(
                (question.prompt, ""), "\n  ", (f"{now} → {flip.alternative_label}", "bold"),
                f" would make it {a.strategy(flip.strategy).label} on "
                f"{SOURCE_LABELS[flip.model_source]}"), id=f"{index}:{flip.question}"))
        if not a.sensitivity.flips:
            flips.add_option(Option("No single answer would change the recommendation.",
                                    disabled=True))
        else:
            flips.highlighted = 0

    def show_reasons(self, strategy_id: str) -> None:
        a = self.assessment
        if a is None:
            return
        s = a.strategy(strategy_id)
        text = Text()
        text.append(f"{s.label}: ", style="bold")
        text.append(s.short + "\n", style="italic")
        for reason in s.excluded_because:
            text.append(f"  ✗ {reason}\n")
        for r in sorted(s.reasons, key=lambda r: -abs(r.effect))[:6]:
            sign = "+" if r.effect >= 0 else "−"
            text.append(f"  {sign}{abs(r.effect):.2f} ", style="bold")
            text.append(f"{r.text}\n")
        self.query_one("#results-reasons", Static).update(text)

    @on(DataTable.RowHighlighted, "#results-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value:
            self.show_reasons(event.row_key.value)

    @on(OptionList.OptionSelected, "#results-flips")
    def _flip(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.edit(event.option.id.split(":", 1)[1])

    def action_change(self) -> None:
        self.app.push_screen(QuestionPicker(self.app.session),
                             lambda qid: self.edit(qid) if qid else None)

    def edit(self, question_id: str) -> None:
        session = self.app.session
        question = session.bank.get(question_id)
        before = format_value(question, session.answers.get(question_id), session.currency)
        old = self.assessment
        self.editing = True

        def done(changed: bool | None) -> None:
            self.editing = False
            if not changed:
                return
            after = format_value(question, session.answers.get(question_id), session.currency)
            self.compute()
            new = self.assessment
            assert old is not None and new is not None
            was, now = old.recommended, new.recommended
            if was.id == now.id and old.recommendation.model_source == new.recommendation.model_source:
                effect = (f"still {now.label} on {SOURCE_LABELS[new.recommendation.model_source]}"
                          f"; score {was.score:.2f} → {now.score:.2f}, horizon total "
                          f"{fmt(was.costs.horizon_total, new.currency)} → "
                          f"{fmt(now.costs.horizon_total, new.currency)}")
            else:
                effect = (f"the recommendation changes from {was.label} to {now.label} on "
                          f"{SOURCE_LABELS[new.recommendation.model_source]}")
            self.change_note = f"Changed {question_id}: {before} → {after}: {effect}."
            self.render_results()
            self.query_one("#results-scroll", VerticalScroll).scroll_home(animate=False)
            self.notify(effect[0].upper() + effect[1:] + ".", title=f"{question_id}: {after}")

        self.app.push_screen(EditAnswer(session, question_id), done)

    def on_screen_resume(self) -> None:
        if self.assessment is not None and not self.editing:
            self.compute()


def _short(amount: float, currency: str) -> str:
    from tunewise.engine.money import short

    return short(amount, currency)
