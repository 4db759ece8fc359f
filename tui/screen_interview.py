"""The interview: client details, then each applicable question, with the live advisor."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Label, ProgressBar

from tunewise.engine.assess import quick_decision
from tunewise.tui.widgets import AdvisorPanel, ClientForm, QuestionForm

if TYPE_CHECKING:
    from tunewise.tui.app import TunewiseApp

CLIENT = "client"


class InterviewScreen(Screen):
    """One step at a time; every answer autosaves and updates the advisor."""

    app: TunewiseApp

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]
    BINDINGS = [
        Binding("escape", "back", "Back", id="back"),
        Binding("ctrl+n", "next", "Next", id="next"),
        Binding("ctrl+g", "app.sections", "Sections", id="sections"),
        Binding("ctrl+r", "app.review", "Review", id="review"),
        Binding("ctrl+o", "app.results", "Results", id="results"),
        Binding("ctrl+s", "app.export", "Export", id="export"),
    ]

    def __init__(self, step: str = CLIENT) -> None:
        super().__init__()
        self.step = step

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="progress-row"):
            yield Label("", id="progress-label")
            yield ProgressBar(id="progress", show_eta=False, show_percentage=False)
        with Horizontal(id="interview-main"):
            yield VerticalScroll(id="question-pane")
            yield AdvisorPanel(id="advisor")
        yield Footer(compact=True)

    async def on_mount(self) -> None:
        await self.show(self.step)

    @property
    def session(self):
        return self.app.session

    async def show(self, step: str) -> None:
        """Replace the form in the question pane with ``step``'s."""
        self.step = step
        pane = self.query_one("#question-pane", VerticalScroll)
        await pane.remove_children()
        session = self.session
        if step == CLIENT:
            form = ClientForm(session.client, session.currency, id="form")
        else:
            question = session.bank.get(step)
            applicable = [q.id for q in session.applicable()]
            number = (f"question {applicable.index(step) + 1} of {len(applicable)}"
                      if step in applicable else "")
            section = next(s.title for s in session.bank.sections if s.id == question.section)
            form = QuestionForm(question, session.answers.get(step), number=number,
                                section_title=section, currency=session.currency, id="form")
        await pane.mount(form)
        pane.scroll_home(animate=False)
        form.focus_input()
        self.refresh_status()

    def refresh_status(self) -> None:
        session = self.session
        applicable = session.applicable()
        answered = sum(1 for q in applicable if q.id in session.answers)
        total = len(applicable)
        section_ids = [s.id for s in session.bank.sections]
        if self.step == CLIENT:
            where = "Client details"
        else:
            question = session.bank.get(self.step)
            index = section_ids.index(question.section) + 1
            where = f"Section {index} of {len(section_ids)}"
        self.query_one("#progress-label", Label).update(f"{where} · {answered}/{total} answered")
        self.query_one("#progress", ProgressBar).update(total=total, progress=answered)
        self.app.sub_title = session.client.get("project") or "new assessment"
        self.refresh_advisor()

    def refresh_advisor(self) -> None:
        session = self.session
        decision = quick_decision(session.answers, session.currency)
        prompts = {q.id: q.prompt for q in session.bank.questions}
        self.query_one(AdvisorPanel).show(decision, session.last_question, prompts)

    # ----- answers ---------------------------------------------------------------
    @on(QuestionForm.Answered)
    async def _answered(self, event: QuestionForm.Answered) -> None:
        self.session.set_answer(event.question_id, event.value)
        await self.advance(event.question_id)

    @on(ClientForm.Done)
    async def _client_done(self, event: ClientForm.Done) -> None:
        self.session.settle_name()
        if self.session.complete():
            self.app.action_review()
            return
        missing = self.session.first_unanswered()
        if missing is not None and self.session.answers:
            await self.show(missing.id)       # resuming: carry on where the answers stop
        else:
            await self.advance(None)

    @on(Input.Changed, ".client-input")
    def _client_changed(self, event: Input.Changed) -> None:
        key = (event.input.id or "").removeprefix("client-")
        value = event.value.strip().upper() if key == "currency" else event.value
        self.session.set_client(**{key: value})
        if key == "currency":
            self.refresh_advisor()

    async def advance(self, after: str | None) -> None:
        following = self.session.next_after(after)
        if following is not None:
            await self.show(following.id)
            return
        missing = self.session.first_unanswered()
        if not self.session.client_ready():
            self.notify("Add the client's name and project to finish.", severity="warning")
            await self.show(CLIENT)
        elif missing is not None:
            count = len(self.session.missing())
            self.notify(f"{count} question{'s' if count > 1 else ''} still unanswered.",
                        severity="warning")
            await self.show(missing.id)
        else:
            self.notify("All questions answered. Check them, then see the results.",
                        title="Interview complete", timeout=3)
            self.app.action_review()

    # ----- navigation ------------------------------------------------------------
    async def action_back(self) -> None:
        if self.step == CLIENT:
            self.app.action_start()
            return
        previous = self.session.previous_before(self.step)
        await self.show(previous.id if previous else CLIENT)

    def action_next(self) -> None:
        for form in self.query("#form"):
            form.submit()

    async def goto_section(self, section_id: str) -> None:
        if section_id == CLIENT:
            await self.show(CLIENT)
            return
        questions = self.session.applicable_in(section_id)
        if not questions:
            self.notify("No question in that section applies to this client's answers.",
                        severity="warning")
            return
        unanswered = [q for q in questions if q.id not in self.session.answers]
        await self.show((unanswered or questions)[0].id)
