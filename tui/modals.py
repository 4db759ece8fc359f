"""Small dialogs: pick a section, pick a question, change one answer."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Label, OptionList
from textual.widgets.option_list import Option

from tunewise.tui.session import Session
from tunewise.tui.widgets import QuestionForm


class _Picker(ModalScreen[str | None]):
    """A dialog listing options; picking one returns its id, Escape returns None."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="cancel")]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


class SectionPicker(_Picker):
    """Jump to a section: client details or any section of the bank."""

    def compose(self) -> ComposeResult:
        session = self.session
        options = [Option(Text.assemble(("Client details", "bold"),
                                        ("  done" if session.client_ready() else "  to do",
                                         "dim")), id="client")]
        for section in session.bank.sections:
            questions = session.applicable_in(section.id)
            answered = sum(1 for q in questions if q.id in session.answers)
            status = f"  {answered}/{len(questions)} answered" if questions else "  does not apply"
            options.append(Option(Text.assemble((section.title, "bold"), (status, "dim"),
                                                ("\n" + section.intro, "italic")),
                                  id=section.id, disabled=not questions))
        with Vertical(classes="dialog"):
            yield Label("Jump to a section", classes="panel-title")
            yield OptionList(*options, id="section-options")
        yield Footer(compact=True)


class QuestionPicker(_Picker):
    """Choose an applicable question to change."""

    def compose(self) -> ComposeResult:
        from tunewise.tui.session import format_value

        session = self.session
        options = []
        for question in session.applicable():
            value = format_value(question, session.answers.get(question.id), session.currency)
            options.append(Option(Text.assemble(question.prompt, ("  " + value, "bold")),
                                  id=question.id))
        with Vertical(classes="dialog"):
            yield Label("Change which answer?", classes="panel-title")
            yield OptionList(*options, id="question-options")
        yield Footer(compact=True)


class EditAnswer(ModalScreen[bool]):
    """Change one answer in place; it autosaves like any other."""

    BINDINGS = [Binding("escape", "dismiss(False)", "Cancel", id="cancel"),
                Binding("ctrl+n", "confirm", "Confirm", id="confirm")]

    def __init__(self, session: Session, question_id: str) -> None:
        super().__init__()
        self.session = session
        self.question_id = question_id

    def compose(self) -> ComposeResult:
        question = self.session.bank.get(self.question_id)
        section = next(s.title for s in self.session.bank.sections if s.id == question.section)
        with VerticalScroll(classes="dialog edit-dialog"):
            yield QuestionForm(question, self.session.answers.get(self.question_id),
                               section_title=f"Change: {section}",
                               currency=self.session.currency, id="form")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(QuestionForm).focus_input()

    def action_confirm(self) -> None:
        self.query_one(QuestionForm).submit()

    @on(QuestionForm.Answered)
    def _answered(self, event: QuestionForm.Answered) -> None:
        event.stop()
        before: Any = self.session.answers.get(event.question_id)
        self.session.set_answer(event.question_id, event.value)
        self.dismiss(before != event.value)
