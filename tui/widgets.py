"""Reusable widgets: the question form, the client form and the live advisor panel."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from tunewise.engine.questions import Question
from tunewise.tui.session import currencies, number_problem

if TYPE_CHECKING:
    from tunewise.tui.advisor import AdvisorView

WIDE = 120


class QuestionForm(Vertical):
    """One question: prompt, an input fitted to its type, an inline error, its help."""

    class Answered(Message):
        def __init__(self, question_id: str, value: Any) -> None:
            super().__init__()
            self.question_id = question_id
            self.value = value

    def __init__(self, question: Question, value: Any, *, number: str = "",
                 section_title: str = "", currency: str = "USD", wide: bool | None = None,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.currency = currency
        self.wide = wide
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
                if self.value is None and q.default is not None:
                    yield Label("(default)", id="default-mark", classes="unit default-mark")
            yield Static(number_hint(q, self.currency), classes="number-hint")
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
        texts = []
        for key, label, _ in pairs:
            mark = "● " if key == answered else "  "
            text = Text.assemble((mark, "bold"), (label, "bold"))
            if key == default and answered is None:
                text.append("  (default)", style="italic")
            texts.append(text)
        width = max((t.cell_len for t in texts), default=0)
        options = []
        for text, (key, _, explain) in zip(texts, pairs, strict=True):
            if self._wide and explain:
                # Wide terminals have room for each choice's explanation beside it; a grid
                # keeps a wrapped explanation in its own column, not back at column 0.
                grid = Table.grid(padding=(0, 2), expand=True)
                grid.add_column(width=width, no_wrap=True)
                grid.add_column(ratio=1)
                grid.add_row(text, Text(explain))
                options.append(Option(grid, id=key))
            else:
                options.append(Option(text, id=key))
        return options

    @property
    def _wide(self) -> bool:
        if self.wide is not None:
            return self.wide
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


def number_hint(question: Question, currency: str) -> str:
    """What a number field accepts, in words; shorthand only where numbers run large."""
    allowed = question.allowed().replace("_", ",")
    if question.type == "money":
        from tunewise.engine.money import symbol

        allowed = allowed.replace("an amount", f"an amount in {symbol(currency).strip()}")
    large = question.max is None or question.max >= 100_000
    shorthand = " 50k and 1.5M work too." if large else ""
    skip = ", empty to skip" if not question.required else ""
    return f"{allowed[0].upper()}{allowed[1:]}.{shorthand} Enter to confirm{skip}."


def _key(value: Any) -> str | None:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value if isinstance(value, str) else None


CLIENT_ORDER = ("name", "project", "consultant", "date", "currency")


class ClientForm(Vertical):
    """Client name, project, consultant, date and currency; Enter moves to the next field."""

    class Done(Message):
        pass

    def __init__(self, client: dict[str, Any], currency: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.client = client
        self.currency = currency

    def compose(self) -> ComposeResult:
        import datetime as dt

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
            yield Label("Date", classes="field-label")
            # The report's date: today unless the consultant types another one.
            yield Input(self.client.get("date") or dt.date.today().isoformat(),
                        placeholder="YYYY-MM-DD", id="client-date", classes="client-input",
                        max_length=10)
        with Horizontal(classes="field-row"):
            yield Label("Currency", classes="field-label")
            yield Input(self.currency, id="client-currency", classes="client-input",
                        max_length=3, placeholder="empty means USD")
        yield Static("Currencies: " + ", ".join(currencies()), classes="number-hint")
        yield Static("", id="client-error", classes="answer-error")
        yield Static(Text.assemble(("Why it matters  ", "bold"),
                                   "The client and project name the report and the saved "
                                   "answer file; the date is printed on the report; every "
                                   "amount is shown in the chosen currency. Press Enter to "
                                   "move to the next field."),
                     classes="help-panel", id="help-panel")

    def values(self) -> dict[str, str]:
        return {key: self.query_one(f"#client-{key}", Input).value for key in CLIENT_ORDER}

    def problem(self) -> str | None:
        values = self.values()
        if not values["name"].strip():
            return "Enter the client's name."
        if not values["project"].strip():
            return "Enter the project's name."
        if date_problem(values["date"]):
            return date_problem(values["date"])
        if (values["currency"].strip().upper() or "USD") not in currencies():
            return f"Unknown currency {values['currency']!r}; choose one of the list."
        return None

    def focus_input(self) -> None:
        for key in CLIENT_ORDER:
            field = self.query_one(f"#client-{key}", Input)
            if not field.value.strip() or key == "currency":
                field.focus()
                return

    @on(Input.Submitted, ".client-input")
    def _next_field(self, event: Input.Submitted) -> None:
        event.stop()
        order = [f"client-{key}" for key in CLIENT_ORDER]
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


def date_problem(text: str) -> str | None:
    """None for an empty or valid YYYY-MM-DD date, else what is wrong."""
    import datetime as dt

    if not text.strip():
        return None
    try:
        dt.date.fromisoformat(text.strip())
    except ValueError:
        return f"“{text.strip()}” is not a date; write it as YYYY-MM-DD, e.g. 2026-11-02."
    return None


class AdvisorPanel(Vertical):
    """The live advisor: the verdict, all six scores as bars, what the last answer did."""

    def compose(self) -> ComposeResult:
        yield Label("Live advisor", classes="panel-title")
        yield Static("", id="advisor-leader")
        yield Static("", id="advisor-bars")
        yield Static("", id="advisor-reason")
        yield Static("", id="advisor-why")

    def show(self, view: AdvisorView) -> None:
        self.query_one("#advisor-leader", Static).update(view.leader)
        self.query_one("#advisor-bars", Static).update(view.bars)
        self.query_one("#advisor-reason", Static).update(view.latest)
        self.query_one("#advisor-why", Static).update(view.why)
