"""The start screen: a new assessment, the last autosave, or an answer file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.suggester import SuggestFromList
from textual.widgets import Footer, Header, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from tunewise.tui.session import Session, describe, last_session_path

if TYPE_CHECKING:
    from tunewise.tui.app import TunewiseApp


class StartScreen(Screen):
    app: TunewiseApp

    BINDINGS = [
        Binding("n", "new", "New", id="new"),
        Binding("r", "resume", "Resume", id="resume"),
        Binding("o", "open", "Open file", id="open"),
    ]

    def compose(self) -> ComposeResult:
        last = last_session_path()
        yield Header()
        with Center(), Vertical(id="start-box"):
            yield Static(Text.assemble(("tunewise", "bold"), "\nHow should this business adapt "
                                       "a language model: a prompt, retrieval (RAG), "
                                       "fine-tuning, or a model of its own?"), id="start-title")
            yield OptionList(
                Option(Text.assemble(("New assessment", "bold"),
                                     ("\n  start the interview with a new client", "dim")),
                       id="new"),
                Option(Text.assemble(("Resume the last assessment", "bold"),
                                     ("\n  " + (describe(last) if last else "nothing saved yet"),
                                      "dim")), id="resume", disabled=last is None),
                Option(Text.assemble(("Open an answer file", "bold"),
                                     ("\n  continue from a YAML answer file", "dim")),
                       id="open"),
                id="start-options")
            nearby = sorted(str(p) for p in Path.cwd().glob("*.y*ml"))[:200]
            yield Input(placeholder="path/to/answers.yaml, then Enter", id="open-path",
                        suggester=SuggestFromList(nearby, case_sensitive=False))
            yield Label("", id="start-error")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#open-path").display = False
        self.query_one("#start-options").focus()

    @on(OptionList.OptionSelected, "#start-options")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        {"new": self.action_new, "resume": self.action_resume,
         "open": self.action_open}[event.option.id or "new"]()

    def action_new(self) -> None:
        self.app.begin(Session.new())

    def action_resume(self) -> None:
        try:
            session = Session.resume_last()
        except (OSError, ValueError) as exc:
            self.query_one("#start-error", Label).update(str(exc))
            return
        if session is None:
            self.query_one("#start-error", Label).update("No saved assessment yet.")
            return
        self.app.begin(session)

    def action_open(self) -> None:
        field = self.query_one("#open-path", Input)
        field.display = True
        field.focus()

    @on(Input.Submitted, "#open-path")
    def _open(self, event: Input.Submitted) -> None:
        path = event.value.strip()
        if not path:
            return
        try:
            session = Session.open(path)
        except FileNotFoundError:
            self.query_one("#start-error", Label).update(f"{path} does not exist.")
            return
        except (OSError, ValueError) as exc:
            self.query_one("#start-error", Label).update(str(exc))
            return
        self.app.begin(session)
