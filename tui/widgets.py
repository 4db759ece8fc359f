"""Reusable widgets: the question form, the client form and the live advisor panel."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from tunewise.engine.decide import Decision, squash
from tunewise.engine.questions import Question
from tunewise.tui.session import currencies, number_problem

STRATEGY_SHORT = {"prompt": "Prompt", "rag": "RAG", "peft": "PEFT", "full_fine_tune": "Full FT",
                  "from_scratch": "Scratch", "hybrid": "RAG+FT"}
WIDE = 120
SOURCE_SHORT = {"closed_api": "closed API", "open_weights": "open weights"}


def strategy_label(strategy_id: str) -> str:
    from tunewise.engine.rules import load_rules

    return load_rules().strategy(strategy_id).label


def bar(score: float, width: int = 10) -> str:
    filled = round(max(0.0, min(1.0, score)) * width)
    return "█" * filled + "░" * (width - filled)


class QuestionForm(Vertical):
    """One question: prompt, an input fitted to its type, an inline error, its help."""

    class Answered(Message):
        def __init__(self, question_id: str, value: Any) -> None:
            super().__init__()
            self.question_id = question_id
            self.value = value

    def __init__(self, question: Question, value: Any, *, number: str = "",
                 section_title: str = "", currency: str = "USD", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.currency = currency
        self.question = question
        self.value = value
        self.number = number
        self.section_title = section_title

    def compose(self) -> ComposeResult:
        q = self.question
        heading = " · ".join(p for p in (self.section_title, self.number) if p)
        if heading:
            yield Label(heading, classes="question-heading")
        yield Static(q.prompt, classes="question-prompt")
        current = self.value if self.value is not None else q.default
        if q.type in ("choice", "bool"):
            options = self._options()
            values = [o.id for o in options]
            yield OptionList(*options, id="answer-options", classes="answer-options")
            self._highlight = values.index(_key(current)) if _key(current) in values else 0
            if q.type == "choice" and not self._wide:
                yield Static("", id="choice-explain", classes="choice-explain")
        else:
            with Horizontal(classes="number-row"):
                text = "" if current is None else f"{current:,}".replace(",", "")
                placeholder = "optional" if not q.required else "a number"
                yield Input(text, placeholder=placeholder, id="answer-input",
                            classes="answer-input", select_on_focus=True)
                unit = q.unit or ""
                if q.type == "money":
                    from tunewise.engine.money import symbol

                    unit = f"{symbol(self.currency).strip()} {unit}".strip()
                if unit:
                    yield Label(unit, classes="unit")
            hint = "Enter to confirm" + (", empty to skip" if not q.required else "")
            yield Static(f"{q.allowed().replace('_', ',')}; 50k and 1.5M work too. {hint}.",
                         classes="number-hint")
            yield Static("", id="answer-error", classes="answer-error")
        yield Static(Text.assemble(("Why it matters  ", "bold"), q.help), classes="help-panel",
                     id="help-panel")

    def _options(self) -> list[Option]:
        q = self.question
        answered = _key(self.value)
        default = _key(q.default)
        if q.type == "bool":
            pairs = [("yes", "Yes", ""), ("no", "No", "")]
        else:
            pairs = [(c.value, c.label, c.explain) for c in q.choices]
        width = max((len(label) for _, label, _ in pairs), default=0) + 2
        options = []
        for key, label, explain in pairs:
            mark = "● " if key == answered else "  "
            text = Text.assemble((mark, "bold"), (label, "bold"))
            if self._wide and explain:
                # Wide terminals have room for each choice's explanation on its line.
                text.append(" " * (width - len(label)) + explain, style="dim")
            if key == default and answered is None:
                text.append("  (default)", style="dim italic")
            options.append(Option(text, id=key))
        return options

    @property
    def _wide(self) -> bool:
        return self.app.size.width >= WIDE

    @on(OptionList.OptionHighlighted, "#answer-options")
    def _explain(self, event: OptionList.OptionHighlighted) -> None:
        choice = self.question.choice(event.option.id or "") if self.question.choices else None
        for widget in self.query("#choice-explain"):
            widget.update(Text.assemble((f"{choice.label}: ", "bold"), choice.explain)
                          if choice else "")

    def on_mount(self) -> None:
        options = self.query(OptionList)
        if options:
            options.first().highlighted = self._highlight

    def focus_input(self) -> None:
        for widget in self.query("#answer-options, #answer-input"):
            widget.focus()
            return

    @on(OptionList.OptionSelected, "#answer-options")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        key = event.option.id
        value: Any = key == "yes" if self.question.type == "bool" else key
        self.post_message(self.Answered(self.question.id, value))

    @on(Input.Submitted, "#answer-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        error = self.query_one("#answer-error", Static)
        if not event.value.strip() and not self.question.required:
            error.update("")
            self.post_message(self.Answered(self.question.id, None))
            return
        value, message = number_problem(self.question, event.value)
        if message:
            error.update(message)
            event.input.add_class("-invalid")
            return
        error.update("")
        event.input.remove_class("-invalid")
        self.post_message(self.Answered(self.question.id, value))

    def submit(self) -> None:
        """Confirm what is shown (Next): the highlighted choice or the typed number."""
        options = self.query(OptionList)
        if options:
            option_list = options.first()
            if option_list.highlighted is not None:
                option_list.action_select()
            return
        field = self.query_one("#answer-input", Input)
        field.post_message(Input.Submitted(field, field.value))


def _key(value: Any) -> str | None:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value if isinstance(value, str) else None


class ClientForm(Vertical):
    """Client name, project, consultant and currency; Enter moves to the next field."""

    class Done(Message):
        pass

    def __init__(self, client: dict[str, Any], currency: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.client = client
        self.currency = currency

    def compose(self) -> ComposeResult:
        yield Label("Client details", classes="question-heading")
        yield Static("Who is this assessment for?", classes="question-prompt")
        for key, label, hint in (("name", "Client", "e.g. Acme Health (required)"),
                                 ("project", "Project", "e.g. Triage assistant (required)"),
                                 ("consultant", "Consultant", "your name (optional)")):
            with Horizontal(classes="field-row"):
                yield Label(label, classes="field-label")
                yield Input(self.client.get(key, ""), placeholder=hint, id=f"client-{key}",
                            classes="client-input", max_length=200)
        with Horizontal(classes="field-row"):
            yield Label("Currency", classes="field-label")
            yield Input(self.currency, id="client-currency", classes="client-input",
                        max_length=3, placeholder="USD")
        yield Static("Currencies: " + ", ".join(currencies()), classes="number-hint")
        yield Static("", id="client-error", classes="answer-error")
        yield Static(Text.assemble(("Why it matters  ", "bold"),
                                   "The client and project name the report and the saved "
                                   "answer file; every amount is shown in the chosen "
                                   "currency. Press Enter to move to the next field."),
                     classes="help-panel", id="help-panel")

    def values(self) -> dict[str, str]:
        return {key: self.query_one(f"#client-{key}", Input).value
                for key in ("name", "project", "consultant", "currency")}

    def problem(self) -> str | None:
        values = self.values()
        if not values["name"].strip():
            return "Enter the client's name."
        if not values["project"].strip():
            return "Enter the project's name."
        if values["currency"].strip().upper() not in currencies():
            return f"Unknown currency {values['currency']!r}; choose one of the list."
        return None

    def focus_input(self) -> None:
        for key in ("name", "project", "consultant", "currency"):
            field = self.query_one(f"#client-{key}", Input)
            if not field.value.strip() or key == "currency":
                field.focus()
                return

    @on(Input.Submitted, ".client-input")
    def _next_field(self, event: Input.Submitted) -> None:
        event.stop()
        order = ["client-name", "client-project", "client-consultant", "client-currency"]
        index = order.index(event.input.id or "")
        if index < len(order) - 1:
            self.query_one(f"#{order[index + 1]}", Input).focus()
        else:
            self.submit()

    def submit(self) -> None:
        problem = self.problem()
        self.query_one("#client-error", Static).update(problem or "")
        if problem is None:
            self.post_message(self.Done())
        else:
            self.focus_input()


class AdvisorPanel(Vertical):
    """The live advisor: the leading strategy, all six scores as bars, the latest reason."""

    def compose(self) -> ComposeResult:
        yield Label("Live advisor", classes="panel-title")
        yield Static("", id="advisor-leader")
        yield Static("", id="advisor-bars")
        yield Static("", id="advisor-reason")
        yield Static("", id="advisor-why")

    def show(self, decision: Decision, last_question: str | None, prompts: dict[str, str]) -> None:
        best = decision.recommended
        self.query_one("#advisor-leader", Static).update(Text.assemble(
            ("▶ ", "bold"), (strategy_label(best.id), "bold"),
            f"\n  on {SOURCE_SHORT[best.source]}\n  confidence {decision.confidence:.0%}"))
        lines = Text()
        for item in decision.ranked:
            score = squash(item.raw)
            mark = "▶" if item.id == best.id else " "
            style = "" if item.eligible else "dim strike"
            lines.append(f"{mark}{STRATEGY_SHORT[item.id]:<8}", style="bold" if mark == "▶" else style)
            lines.append(bar(score), style="dim" if not item.eligible else "")
            lines.append(f" {score:.2f}\n" if item.eligible else " out\n", style=style)
        self.query_one("#advisor-bars", Static).update(lines)
        reason = latest_reason(decision, last_question)
        text = Text()
        if reason is not None:
            text.append("Latest: ", style="bold")
            text.append(f"{reason.text} ")
            sign = "+" if reason.effect >= 0 else "−"
            text.append(f"({sign}{abs(reason.effect):.2f} {STRATEGY_SHORT.get(reason.strategy, '')})",
                        style="dim")
        elif last_question is not None:
            text.append("The last answer moved no score.", style="dim")
        else:
            text.append("Answer a question to see its effect here.", style="dim")
        self.query_one("#advisor-reason", Static).update(text)
        why = Text()
        positive = sorted((e for e in best.reasons if e.effect > 0), key=lambda e: -e.effect)[:3]
        if positive:
            why.append(f"Why {STRATEGY_SHORT[best.id]} leads:\n", style="bold")
            for effect in positive:
                why.append(f"+ {effect.text}\n")
        self.query_one("#advisor-why", Static).update(why)


def latest_reason(decision: Decision, question_id: str | None):
    if question_id is None:
        return None
    effects = [e for s in decision.ranked for e in s.reasons if e.question == question_id]
    effects += [e for e in decision.source_reasons if e.question == question_id]
    if not effects:
        return None
    leader = decision.recommended.id
    return max(effects, key=lambda e: (abs(e.effect) + (0.5 if e.strategy == leader else 0)))
