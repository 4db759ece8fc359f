"""Small dialogs: pick a section, pick a question (both filter as you type), edit one answer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, OptionList
from textual.widgets.option_list import Option

from tunewise.tui.session import Session, format_value
from tunewise.tui.widgets import QuestionForm


class _Picker(ModalScreen[str | None]):
    """A dialog listing options with a filter box; picking one returns its id, Esc None."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="cancel"),
                Binding("down", "into_list", show=False)]
    TITLE_TEXT = ""

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def entries(self) -> list[tuple[str, Text, str, bool]]:
        """(id, shown text, text the filter searches, disabled) for each option."""
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.TITLE_TEXT, classes="panel-title")
            yield Input(placeholder="type to filter, ↓ to the list, Enter picks",
                        id="picker-filter")
            yield OptionList(id="picker-options")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.fill("")
        self.query_one("#picker-filter", Input).focus()

    def fill(self, query: str) -> None:
        words = query.lower().split()
        options = self.query_one("#picker-options", OptionList)
        options.clear_options()
        for key, shown, searched, disabled in self.entries():
            if all(word in searched.lower() for word in words):
                options.add_option(Option(shown, id=key, disabled=disabled))
        enabled = [i for i, o in enumerate(options.options) if not o.disabled]
        options.highlighted = enabled[0] if enabled else None

    @on(Input.Changed, "#picker-filter")
    def _filter(self, event: Input.Changed) -> None:
        self.fill(event.value)

    @on(Input.Submitted, "#picker-filter")
    def _pick_first(self) -> None:
        options = self.query_one("#picker-options", OptionList)
        if options.highlighted is not None:
            self.dismiss(options.options[options.highlighted].id)

    def action_into_list(self) -> None:
        self.query_one("#picker-options", OptionList).focus()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


class SectionPicker(_Picker):
    """Jump to a section: client details or any section of the bank."""

    TITLE_TEXT = "Jump to a section"

    def entries(self) -> list[tuple[str, Text, str, bool]]:
        session = self.session
        rows = [("client", Text.assemble(("Client details", "bold"),
                                         ("  done" if session.client_ready() else "  to do")),
                 "client details name project date currency", False)]
        for section in session.bank.sections:
            questions = session.applicable_in(section.id)
            answered = sum(1 for q in questions if q.id in session.answers)
            status = f"  {answered}/{len(questions)} answered" if questions else "  does not apply"
            rows.append((section.id, Text.assemble((section.title, "bold"), status,
                                                   ("\n" + section.intro, "italic")),
                         f"{section.title} {section.intro}", not questions))
        return rows


class QuestionPicker(_Picker):
    """Choose an applicable question."""

    TITLE_TEXT = "Which answer?"

    def __init__(self, session: Session, title: str = "Which answer?",
                 answers: dict[str, Any] | None = None) -> None:
        super().__init__(session)
        self.TITLE_TEXT = title
        self.answers = answers if answers is not None else session.answers

    def entries(self) -> list[tuple[str, Text, str, bool]]:
        session = self.session
        rows = []
        for question in session.applicable(self.answers):
            value = format_value(question, self.answers.get(question.id), session.currency)
            rows.append((question.id, Text.assemble(question.prompt, ("  " + value, "bold")),
                         f"{question.prompt} {value}", False))
        return rows


@dataclass(frozen=True)
class Edited:
    question_id: str
    value: Any


class EditAnswer(ModalScreen[Edited | None]):
    """Edit one answer; returns the new value (the caller decides what to do with it)."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="cancel"),
                Binding("ctrl+n", "confirm", "Confirm", id="confirm")]

    def __init__(self, session: Session, question_id: str, value: Any = ...,
                 heading: str = "Change") -> None:
        super().__init__()
        self.session = session
        self.question_id = question_id
        self.value = session.answers.get(question_id) if value is ... else value
        self.heading = heading

    def compose(self) -> ComposeResult:
        question = self.session.bank.get(self.question_id)
        section = next(s.title for s in self.session.bank.sections if s.id == question.section)
        with VerticalScroll(classes="dialog edit-dialog"):
            yield QuestionForm(question, self.value, section_title=f"{self.heading}: {section}",
                               currency=self.session.currency, wide=False, id="form")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one(QuestionForm).focus_input()

    def action_confirm(self) -> None:
        self.query_one(QuestionForm).submit()

    @on(QuestionForm.Answered)
    def _answered(self, event: QuestionForm.Answered) -> None:
        event.stop()
        self.dismiss(Edited(event.question_id, event.value))


class NoteDialog(ModalScreen[str | None]):
    """A short note on one answer, stored in the answer file and shown in the report."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="cancel")]

    def __init__(self, prompt: str, note: str) -> None:
        super().__init__()
        self.prompt = prompt
        self.note = note

    def compose(self) -> ComposeResult:
        from tunewise.engine.answers import NOTE_LIMIT

        with Vertical(classes="dialog"):
            yield Label("Note on this answer (Enter saves, empty removes it)",
                        classes="panel-title")
            yield Label(self.prompt, classes="question-heading")
            yield Input(self.note, id="note-input", max_length=NOTE_LIMIT,
                        placeholder="e.g. the budget is still to be confirmed by finance")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#note-input", Input).focus()

    @on(Input.Submitted, "#note-input")
    def _save(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)
