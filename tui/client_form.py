"""The client's budgets and people: the form the portfolio needs, saved only when all of it is right."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Label, Static

from tunewise.engine.money import fmt
from tunewise.tui.client_book import ClientPlan, plan_from_form

FIELDS = (
    ("budget_upfront", "Upfront budget", "the whole programme's, e.g. 300k"),
    ("budget_monthly", "Monthly budget", "running costs a month once all is live, e.g. 50k"),
    ("ml_experts", "ML experts", "person-weeks per quarter (0 when none)"),
    ("engineers", "Engineers", "person-weeks per quarter (0 when none)"),
    ("currency", "Currency", "USD"),
    ("start", "Start", "optional: YYYY-MM-DD, when the first quarter begins"),
)


def form_values(plan: ClientPlan) -> dict[str, str]:
    """The saved plan as the form shows it."""
    def number(value: float | None) -> str:
        return "" if value is None else f"{value:g}" if value < 1e6 else f"{value:.0f}"

    return {"budget_upfront": number(plan.budget_upfront), "budget_monthly": number(plan.budget_monthly),
            "ml_experts": number(plan.people.get("ml_experts")),
            "engineers": number(plan.people.get("engineers")),
            "currency": plan.currency, "start": plan.start.isoformat() if plan.start else ""}


class ClientForm(ModalScreen[ClientPlan | None]):
    """Budgets and people of one client; Enter or Save checks every field, Esc leaves all as saved."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="cancel")]

    def __init__(self, client: str, plan: ClientPlan) -> None:
        super().__init__()
        self.client, self.plan = client, plan

    def compose(self) -> ComposeResult:
        values = form_values(self.plan)
        with Vertical(classes="dialog", id="client-form"):
            yield Label(f"Budgets and people · {self.client}", classes="panel-title")
            yield Static("The portfolio funds use cases within these; they are saved for this "
                         "client beside its sessions.", classes="number-hint")
            for key, label, hint in FIELDS:
                with Horizontal(classes="field-row"):
                    yield Label(label, classes="field-label")
                    yield Input(values[key], placeholder=hint, id=f"plan-{key}", classes="plan-input",
                                compact=True)
                yield Label("", id=f"plan-{key}-problem", classes="field-problem")
            with Horizontal(id="client-form-actions"):
                yield Button("Save", id="plan-save", variant="primary")
                yield Button("Cancel", id="plan-cancel")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        for problem in self.query(".field-problem"):
            problem.display = False
        self.query_one("#plan-budget_upfront", Input).focus()

    @on(Button.Pressed, "#plan-cancel")
    def _cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted, ".plan-input")
    def _next_or_save(self, event: Input.Submitted) -> None:
        inputs = list(self.query(".plan-input").results(Input))
        index = inputs.index(event.input)
        if index + 1 < len(inputs) and not all(i.value.strip() for i in inputs[:4]):
            inputs[index + 1].focus()
        else:
            self.save()

    @on(Button.Pressed, "#plan-save")
    def save(self) -> None:
        values = {key: self.query_one(f"#plan-{key}", Input).value for key, _, _ in FIELDS}
        plan, problems = plan_from_form(self.client, values, self.plan)
        for key, _, _ in FIELDS:
            label = self.query_one(f"#plan-{key}-problem", Label)
            label.update(problems.get(key, ""))
            label.display = key in problems
        if plan is None:
            first = next(key for key, _, _ in FIELDS if key in problems)
            self.query_one(f"#plan-{first}", Input).focus()
            return
        try:
            plan.save()
        except OSError as exc:
            self.notify(f"Cannot save {plan.path}: {exc.strerror or exc}", severity="error")
            return
        assert plan.budget_upfront is not None
        self.notify(f"Saved: {fmt(plan.budget_upfront, plan.currency)} upfront.", timeout=3)
        self.dismiss(plan)
