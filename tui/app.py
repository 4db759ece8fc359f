"""The tunewise interview: a Textual app a consultant runs live with a client."""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from tunewise.tui.commands import TunewiseCommands
from tunewise.tui.session import Session

THEMES = {"dark": "textual-dark", "light": "tunewise-light"}


class TunewiseApp(App):
    """Start screen → interview → review → results → export; every answer autosaved."""

    CSS_PATH = [str(Path(__file__).with_name(name)) for name in ("tunewise.tcss", "portfolio.tcss")]
    TITLE = "tunewise"
    SUB_TITLE = "which way to adapt an LLM"
    COMMANDS = App.COMMANDS | {TunewiseCommands}
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True),
        Binding("ctrl+t", "toggle_theme", "Theme", id="theme"),
        Binding("f1", "help", "Help", id="help", priority=True),
        Binding("f5", "toggle_present", "Present", id="present", show=False),
        Binding("f3", "portfolio", "Portfolio", id="portfolio", show=False),
        Binding("question_mark", "help", "Help", id="help-key", show=False),
    ]

    def __init__(self, answers_path: str | Path | None = None, theme: str | None = None,
                 session: Session | None = None, present: bool = False,
                 web_session: bool = False) -> None:
        super().__init__()
        from tunewise.tui.theme import LIGHT

        self.register_theme(LIGHT)
        self.session: Session | None = session
        if answers_path is not None and session is None:
            self.session = Session.open(answers_path)
        self.theme = THEMES.get(theme or "dark", theme or "textual-dark")
        self.present = present
        # In a browser (tunewise serve): no server paths, exports as downloads.
        self.web_session = web_session

    def on_mount(self) -> None:
        self.set_class(self.present, "-present")
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
        session.warn = self._warn
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
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if len(self.screen_stack) > 1:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)
        if session.complete():
            self.action_review()

    def _warn(self, message: str) -> None:
        if self.session is not None:
            self.session.warnings.append(message)
        self.notify(message, severity="warning", timeout=10)

    @property
    def interview(self):
        from tunewise.tui.screen_interview import InterviewScreen

        return next((s for s in self.screen_stack if isinstance(s, InterviewScreen)), None)

    def _show(self, kind: type[Screen]) -> None:
        """Bring ``kind`` to the front: back to it when it is open below, else on top.

        Esc on each screen then returns to where the consultant came from.
        """
        if self.session is None or self.interview is None:
            return
        while isinstance(self.screen, Screen) and self.screen.is_modal:
            self.pop_screen()
        if isinstance(self.screen, kind):
            return
        if any(isinstance(s, kind) for s in self.screen_stack):
            while not isinstance(self.screen, kind):
                self.pop_screen()
            return
        self.push_screen(kind())

    def action_review(self) -> None:
        from tunewise.tui.screen_review import ReviewScreen

        self._show(ReviewScreen)

    def action_results(self) -> None:
        from tunewise.tui.screen_results import ResultsScreen

        self._show(ResultsScreen)

    def action_export(self) -> None:
        from tunewise.tui.screen_export import ExportScreen

        self._show(ExportScreen)

    def action_back(self) -> None:
        """Esc on review, results or export: the screen the consultant came from."""
        if self.close_keys_panel():
            return
        if len(self.screen_stack) > 2:
            self.pop_screen()

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

        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.switch_screen(StartScreen())

    def action_portfolio(self) -> None:
        """The start screen with the current session's client portfolio on top."""
        from tunewise.tui.screen_portfolio import PortfolioScreen

        client = (self.session.client.get("name") if self.session is not None else None)
        self.action_start()
        if client:
            self.push_screen(PortfolioScreen(client))

    def action_new_assessment(self) -> None:
        self.begin(Session.new())

    def action_toggle_theme(self) -> None:
        self.theme = THEMES["light"] if self.theme == THEMES["dark"] else THEMES["dark"]

    def action_toggle_present(self) -> None:
        self.present = not self.present
        self.set_class(self.present, "-present")
        for screen in self.screen_stack:
            refresh = getattr(screen, "presentation_changed", None)
            if refresh is not None:
                refresh()

    def action_help(self) -> None:
        from tunewise.tui.screen_help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
            return
        self.push_screen(HelpScreen(type(self.screen).__name__))

    def close_keys_panel(self) -> bool:
        """Esc closes Textual's Keys panel first, when it is open (then does nothing else)."""
        panels = self.screen.query("HelpPanel")
        if not panels:
            return False
        panels.remove()
        return True
