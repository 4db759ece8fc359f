"""The interview: client details, then each applicable question, with the live advisor."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Label, ProgressBar, Static

from tunewise.tui.base import AppAware
from tunewise.tui.widgets import AdvisorPanel, ClientForm, QuestionForm

CLIENT = "client"


class InterviewScreen(AppAware, Screen):
    """One step at a time; every answer autosaves and updates the advisor."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]
    BINDINGS = [
        Binding("escape", "back", "Back", id="back"),
        Binding("ctrl+n", "next", "Next", id="next", show=False),
        Binding("ctrl+g", "app.sections", "Jump", id="sections"),
        Binding("ctrl+r", "app.review", "Review", id="review"),
        Binding("ctrl+o", "app.results", "Results", id="results"),
        Binding("ctrl+s", "app.export", "Export", id="export"),
        Binding("f2", "note", "Note", id="note", show=False),
        Binding("ctrl+a", "reveal", "Advisor", id="reveal", show=False),
    ]

    def __init__(self, step: str = CLIENT) -> None:
        super().__init__()
        self.step = step
        self.decision: Any = None         # the engine's last Decision, for "what moved"
        self.advised_for: tuple = ()
        self.revealed = False
        self.advisor_updates = 0          # counted for benchmarks/probe.py

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="file-warnings")
        with Horizontal(id="progress-row"):
            yield Label("", id="progress-label")
            yield ProgressBar(id="progress", show_eta=False, show_percentage=False)
        with Horizontal(id="interview-main"):
            yield VerticalScroll(id="question-pane")
            yield AdvisorPanel(id="advisor")
        yield Footer(compact=True, show_command_palette=False)

    async def on_mount(self) -> None:
        self.show_warnings()
        await self.show(self.step)

    async def on_screen_resume(self) -> None:
        # Answers may have changed on Review or Results: redraw the form and the advisor.
        if self.query("#form"):
            await self.show(self.step)

    def show_warnings(self) -> None:
        """Problems found in the opened file stay on screen until the first answer."""
        warnings = self.session.warnings
        strip = self.query_one("#file-warnings", Static)
        strip.update("\n".join(f"⚠ {w}" for w in warnings))
        strip.display = bool(warnings)

    def presentation_changed(self) -> None:
        self.revealed = False
        self.refresh_advisor()

    def action_note(self) -> None:
        from tunewise.tui.modals import NoteDialog

        if self.step == CLIENT:
            return
        question_id = self.step
        prompt = self.session.bank.get(question_id).prompt

        def saved(text: str | None) -> None:
            if text is not None:
                self.session.set_note(question_id, text)
                self.notify("Note saved." if text.strip() else "Note removed.", timeout=2)
                self.show_note()

        self.app.push_screen(NoteDialog(prompt, self.session.answer_notes.get(question_id, "")),
                             saved)

    def show_note(self) -> None:
        note = self.session.answer_notes.get(self.step) if self.step != CLIENT else None
        for widget in self.query("#answer-note"):
            widget.update(f"Note: {note}" if note else "")
            widget.display = bool(note)

    def action_reveal(self) -> None:
        """In presentation mode the advisor stays hidden until the consultant reveals it."""
        self.revealed = not self.revealed
        self.refresh_advisor()

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
        await pane.mount(Static("", id="answer-note", classes="answer-note"))
        self.show_note()
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
        skipped = self.skipped_optional()
        answered += len(skipped)
        note = f" · {len(skipped)} skipped" if skipped else ""
        self.query_one("#progress-label", Label).update(
            f"{where} · {answered}/{total} answered{note}")
        self.query_one("#progress", ProgressBar).update(total=total, progress=answered)
        self.app.sub_title = session.client.get("project") or "new assessment"
        self.refresh_advisor()

    def skipped_optional(self) -> list[str]:
        """Optional questions left empty that the consultant has already moved past."""
        session = self.session
        order = session.bank.ids
        reached = max((order.index(q) for q in session.answers), default=-1)
        if self.step != CLIENT:
            reached = max(reached, order.index(self.step))
        return [q.id for q in session.applicable() if not q.required
                and q.id not in session.answers and order.index(q.id) < reached]

    def refresh_advisor(self) -> None:
        # The engine is imported on the first answer, not at launch: the first question
        # shows sooner, and an empty interview needs no ranking.
        session = self.session
        state = (tuple(sorted(session.answers.items())), session.currency, self.app.present,
                 self.revealed, session.last_question)
        if state == self.advised_for:
            return
        self.advised_for = state
        decision = None
        if session.answers:
            from tunewise.engine.assess import quick_decision

            decision = quick_decision(session.answers, session.currency)
        from tunewise.tui.advisor import advisor_view

        panel = self.query_one(AdvisorPanel)
        hidden = self.app.present and not self.revealed
        panel.display = not hidden
        panel.show(advisor_view(session, decision, self.decision, present=self.app.present))
        self.decision = decision
        self.advisor_updates += 1

    # ----- answers ---------------------------------------------------------------
    @on(QuestionForm.Answered)
    async def _answered(self, event: QuestionForm.Answered) -> None:
        self.session.set_answer(event.question_id, event.value)
        self.refresh_advisor()             # at once, before the next question is built
        if self.session.warnings:
            self.session.warnings.clear()
            self.show_warnings()
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
        from tunewise.tui.widgets import date_problem

        key = (event.input.id or "").removeprefix("client-")
        value = event.value.strip().upper() if key == "currency" else event.value
        if key == "currency" and not value:
            value = "USD"            # an empty currency means the default, as in a file
        if key == "date" and date_problem(value):
            return
        self.session.set_client(**{key: value})
        if key == "currency":
            self.refresh_advisor()

    async def advance(self, after: str | None) -> None:
        """The next question to ask: on in order, but never back over answered ones.

        Once nothing is missing, the interview ends on Review.
        """
        session = self.session
        if session.complete():
            self.notify("All questions answered. Check them, then see the results.",
                        title="Interview complete", timeout=3)
            self.app.action_review()
            return
        following = session.next_after(after)
        if following is not None and (following.id not in session.answers
                                      or not session.missing()):
            await self.show(following.id)
            return
        missing = session.missing()
        if missing:
            order = session.bank.ids
            position = order.index(after) if after is not None else -1
            later = [q for q in missing if order.index(q.id) > position]
            await self.show((later or missing)[0].id)
        elif following is not None:
            await self.show(following.id)
        else:
            self.notify("Add the client's name and project to finish.", severity="warning")
            await self.show(CLIENT)

    # ----- navigation ------------------------------------------------------------
    async def action_back(self) -> None:
        if self.app.close_keys_panel():
            return
        if self.step == CLIENT:
            # Esc never leaves the session; the start screen is in the command palette.
            last = self.session.last_question
            if last is not None and last in {q.id for q in self.session.applicable()}:
                await self.show(last)
            else:
                self.notify("This is the first step. Ctrl+Q quits; every answer is saved.",
                            timeout=3)
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
