"""Review: every answer in one table; select a row to change it."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from tunewise.tui.base import AppAware
from tunewise.tui.modals import EditAnswer, Edited
from tunewise.tui.session import format_value

SECTION_WIDTH = 12


class ReviewScreen(AppAware, Screen):
    BINDINGS = [
        Binding("escape", "app.back", "Back", id="back"),
        # priority: the table's own Enter would otherwise hide this from the footer.
        Binding("enter", "change", "Change", id="change", priority=True),
        Binding("ctrl+g", "app.sections", "Jump", id="sections"),
        Binding("ctrl+o", "app.results", "Results", id="results"),
        Binding("ctrl+s", "app.export", "Export", id="export"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="review-status")
        yield DataTable(id="review-table", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()
        self.fill()

    def on_resize(self) -> None:
        self.fill()

    def fill(self) -> None:
        session = self.session
        table = self.query_one(DataTable)
        keep = table.cursor_row
        table.clear(columns=True)
        width = max(self.size.width, 60)
        # Section, question and answer share the whole width (cell padding takes 2 each):
        # the question gets what its longest prompt needs, the answer (and its note) the rest.
        longest = max((len(q.prompt) for q in session.applicable()), default=40)
        question_width = max(20, min(longest, width - SECTION_WIDTH - 22 - 8))
        answer_width = max(22, width - SECTION_WIDTH - question_width - 8)
        table.add_column("Section", key="section", width=SECTION_WIDTH)
        table.add_column("Question", key="question", width=question_width)
        table.add_column("Answer", key="answer", width=answer_width)
        for key, label in (("name", "Client"), ("project", "Project"),
                           ("consultant", "Consultant"), ("date", "Date")):
            table.add_row("Client", label, session.client.get(key, "—"), key=f"client:{key}")
        table.add_row("Client", "Currency", session.currency, key="client:currency")
        titles = {s.id: s.title for s in session.bank.sections}
        for question in session.applicable():
            value = session.answers.get(question.id)
            shown = format_value(question, value, session.currency)
            if value is None:
                shown = "— not answered" if question.required else "— skipped (optional)"
            note = session.answer_notes.get(question.id)
            answer = Text(shown)
            if note:
                answer.append(f"\nnote: {note}", style="italic")
            # Rows grow to fit: no question or answer is cut at any width.
            table.add_row(Text(titles[question.section]), Text(question.prompt), answer,
                          key=question.id, height=None)
        table.move_cursor(row=min(keep, table.row_count - 1), animate=False)
        missing = session.missing()
        status = self.query_one("#review-status", Static)
        if not session.client_ready():
            status.update("Client name and project are still missing.")
        elif missing:
            status.update(f"{len(missing)} question(s) not answered yet; they take their "
                          "defaults in the results.")
        else:
            status.update("Every question is answered. Enter changes the selected answer; "
                          "ctrl+o shows the results.")

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
        self.app.push_screen(EditAnswer(self.session, key), self._changed)

    def _changed(self, edited: Edited | None) -> None:
        if edited is not None and edited.value != self.session.answers.get(edited.question_id):
            self.session.set_answer(edited.question_id, edited.value)
            self.notify("Saved.", timeout=2)
        self.fill()

    def on_screen_resume(self) -> None:
        if self.is_mounted and self.query(DataTable):
            self.fill()
