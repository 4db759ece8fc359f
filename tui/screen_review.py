"""Review: every answer in one table; select a row to change it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from tunewise.tui.modals import EditAnswer
from tunewise.tui.session import format_value

if TYPE_CHECKING:
    from tunewise.tui.app import TunewiseApp


SECTION_SHORT = {"use_case": "Use case", "data": "Data", "privacy": "Privacy",
                 "outcomes": "Outcomes", "operations": "Operation", "resources": "Resources"}


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


class ReviewScreen(Screen):
    app: TunewiseApp

    BINDINGS = [
        Binding("escape", "app.back_to_interview", "Back", id="back"),
        Binding("enter", "change", "Change", id="change", show=True),
        Binding("ctrl+o", "app.results", "Results", id="results"),
        Binding("ctrl+s", "app.export", "Export", id="export"),
        Binding("ctrl+g", "app.sections", "Sections", id="sections"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="review-status")
        yield DataTable(id="review-table", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()
        self.fill()

    def on_resize(self) -> None:
        self.fill()

    def fill(self) -> None:
        session = self.app.session
        table = self.query_one(DataTable)
        keep = table.cursor_row
        table.clear(columns=True)
        width = max(self.size.width, 60)
        answer_width = 24 if width < 100 else 34
        question_width = min(width - 10 - answer_width - 10, 72)
        table.add_column("Section", key="section", width=10)
        table.add_column("Question", key="question", width=question_width)
        table.add_column("Answer", key="answer", width=answer_width)
        for key, label in (("name", "Client"), ("project", "Project"),
                           ("consultant", "Consultant")):
            table.add_row("Client", label, session.client.get(key, "—"), key=f"client:{key}")
        table.add_row("Client", "Currency", session.currency, key="client:currency")
        titles = {s.id: s.title for s in session.bank.sections}
        for question in session.applicable():
            value = session.answers.get(question.id)
            shown = format_value(question, value, session.currency)
            if value is None:
                shown = "— not answered" if question.required else "— skipped (optional)"
            table.add_row(SECTION_SHORT.get(question.section, titles[question.section]),
                          _fit(question.prompt, question_width), _fit(shown, answer_width),
                          key=question.id)
        table.move_cursor(row=min(keep, table.row_count - 1), animate=False)
        missing = session.missing()
        status = self.query_one("#review-status", Static)
        if not session.client_ready():
            status.update("Client name and project are still missing.")
        elif missing:
            status.update(f"{len(missing)} question(s) not answered yet; they take their "
                          "defaults in the results.")
        else:
            status.update("Every question is answered. Enter, or a click on the selected row, "
                          "changes an answer; ctrl+o shows the results.")

    def action_change(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            self.change(key)

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        self.change(event.row_key.value)

    def change(self, key: str | None) -> None:
        if key is None:
            return
        if key.startswith("client:"):
            self.app.action_goto_section("client")
            return
        self.app.push_screen(EditAnswer(self.app.session, key), self._changed)

    def _changed(self, changed: bool | None) -> None:
        self.fill()
        if changed:
            self.notify("Saved.", timeout=2)

    def on_screen_resume(self) -> None:
        if self.is_mounted and self.query(DataTable):
            self.fill()
