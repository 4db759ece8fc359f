"""The tunewise interview: a Textual app a consultant runs live with a client."""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.binding import Binding

from tunewise.tui.commands import TunewiseCommands
from tunewise.tui.session import Session

THEMES = {"dark": "textual-dark", "light": "textual-light"}


class TunewiseApp(App):
    """Start screen → interview → review → results → export; every answer autosaved."""

    CSS_PATH = str(Path(__file__).with_name("tunewise.tcss"))
    TITLE = "tunewise"
    SUB_TITLE = "which way to adapt an LLM"
    COMMANDS = App.COMMANDS | {TunewiseCommands}
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True),
        Binding("ctrl+t", "toggle_theme", "Theme", id="theme"),
    ]

    def __init__(self, answers_path: str | Path | None = None, theme: str | None = None,
                 session: Session | None = None) -> None:
        super().__init__()
        self.session: Session | None = session
        if answers_path is not None and session is None:
            self.session = Session.open(answers_path)
        self.theme = THEMES.get(theme or "dark", theme or "textual-dark")

    def on_mount(self) -> None:
        if self.session is not None:
            self.begin(self.session)
        else:
            from tunewise.tui.screen_start import StartScreen

            self.push_screen(StartScreen())

    # ----- flow ------------------------------------------------------------------
    def begin(self, session: Session) -> None:
        """Show the interview for ``session``: first unanswered question, or the review."""
        from tunewise.tui.screen_interview import CLIENT, InterviewScreen

        self.session = session
        session.warn = lambda message: self.notify(message, severity="warning", timeout=10)
        if session.last_question is None and session.answers:
            answered = [q.id for q in session.applicable() if q.id in session.answers]
            session.last_question = answered[-1] if answered else None
        first = session.first_unanswered()
        if not session.client_ready():
            step = CLIENT
        elif first is not None:
            step = first.id
        else:
            last = session.applicable()
            step = last[-1].id if last else CLIENT
        screen = InterviewScreen(step)
        if len(self.screen_stack) > 1:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)
        for note in session.notes:
            self.notify(note, severity="warning")
        if session.complete():
            self.action_review()

    @property
    def interview(self):
        from tunewise.tui.screen_interview import InterviewScreen

        return next((s for s in self.screen_stack if isinstance(s, InterviewScreen)), None)

    def _over_interview(self, screen) -> None:
        """Show ``screen`` directly above the interview (never a growing stack)."""
        interview = self.interview
        if interview is None:
            return
        while self.screen is not interview and len(self.screen_stack) > 2:
            self.pop_screen()
        self.push_screen(screen)

    def action_review(self) -> None:
        from tunewise.tui.screen_review import ReviewScreen

        if self.session is not None:
            self._over_interview(ReviewScreen())

    def action_results(self) -> None:
        from tunewise.tui.screen_results import ResultsScreen

        if self.session is not None:
            self._over_interview(ResultsScreen())

    def action_export(self) -> None:
        from tunewise.tui.screen_export import ExportScreen

        if self.session is not None:
            self._over_interview(ExportScreen())

    def action_back_to_interview(self) -> None:
        interview = self.interview
        while interview is not None and self.screen is not interview:
            self.pop_screen()

    def action_sections(self) -> None:
        from tunewise.tui.modals import SectionPicker

        if self.session is not None:
            self.push_screen(SectionPicker(self.session),
                             lambda section: self.action_goto_section(section) if section else None)

    def action_goto_section(self, section_id: str) -> None:
        interview = self.interview
        if interview is None:
            return
        self.action_back_to_interview()
        self.call_after_refresh(interview.goto_section, section_id)

    def action_start(self) -> None:
        from tunewise.tui.screen_start import StartScreen

        self.switch_screen(StartScreen())

    def action_new_assessment(self) -> None:
        self.begin(Session.new())

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.theme == "textual-dark" else "textual-dark"
