"""One client's portfolio: which use cases the engine funds within the budgets, and the export."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Checkbox, DataTable, Footer, Header, Input, Label, Static

from tunewise.engine.money import fmt
from tunewise.tui.base import AppAware
from tunewise.tui.client_book import ClientPlan, Summary, load_plan, summarise

# What `tunewise portfolio --format` accepts, read from the CLI so the two cannot differ.
FORMAT_LABELS = {"pdf": "PDF", "html": "HTML", "json": "JSON", "xlsx": "Workbook (XLSX)"}


def portfolio_formats() -> list[str]:
    from tunewise.cli.commands.portfolio import FORMATS

    return list(FORMATS)


class PortfolioScreen(AppAware, Screen):
    """The start screen's view of a client: its use cases funded, deferred or not worth building."""

    BINDINGS = [
        Binding("escape", "close", "Back", id="back"),
        Binding("a", "add", "Add use case", id="add"),
        Binding("b", "budgets", "Budgets", id="budgets"),
        Binding("m", "must_do", "Must do", id="must-do"),
        Binding("e", "export", "Export", id="export"),
    ]

    def __init__(self, client: str) -> None:
        super().__init__()
        self.client = client
        self.summary: Summary | None = None
        self.asked_for_budgets = False
        self.export_folder: Path | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="portfolio-box"):
            yield Label(f"Portfolio · {self.client}", classes="panel-title", id="portfolio-title")
            yield Static("", id="portfolio-budgets")
            yield Static("Assessing the use cases…", id="portfolio-status")
            yield DataTable(id="portfolio-table", cursor_type="row", zebra_stripes=True)
            yield Static("", id="portfolio-totals")
            yield Label("Export the portfolio report", classes="panel-title")
            with Horizontal(id="portfolio-formats"):
                for key in portfolio_formats():
                    yield Checkbox(FORMAT_LABELS.get(key, key.upper()), value=True,
                                   id=f"portfolio-format-{key}", compact=True)
            with Horizontal(classes="field-row", id="portfolio-folder-row"):
                yield Label("Folder", classes="field-label")
                yield Input(str(Path.cwd() / "portfolio"), id="portfolio-folder")
            with Horizontal(id="portfolio-actions"):
                yield Button("Export", id="portfolio-export", variant="primary")
                yield Button("Budgets and people", id="portfolio-budgets-button")
                yield Button("Add a use case", id="portfolio-add")
            yield Static("", id="portfolio-log")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        if self.app.web_session:
            # In a browser the files come as one download; the server's folders stay private.
            self.query_one("#portfolio-folder-row").display = False
        table = self.query_one("#portfolio-table", DataTable)
        for label, key in (("Use case", "project"), ("Decision", "decision"), ("Upfront", "upfront"),
                           ("Monthly", "monthly"), ("Net value", "net"), ("Start", "start"),
                           ("Strategy", "strategy")):
            table.add_column(label, key=key)
        table.focus()

    def on_screen_resume(self) -> None:
        # Shown, or back from the budgets form or an interview: what is saved may have changed.
        self.refresh_summary()

    def refresh_summary(self) -> None:
        plan = load_plan(self.client)
        self.query_one("#portfolio-budgets", Static).update(budget_line(plan))
        self.query_one("#portfolio-status", Static).update("Assessing the use cases…")
        self.compute(self.client)

    @work(thread=True, exclusive=True, group="portfolio")
    def compute(self, client: str) -> None:
        summary = summarise(client)
        self.app.call_from_thread(self.show_summary, summary)

    def show_summary(self, summary: Summary) -> None:
        self.summary = summary
        self.query_one("#portfolio-budgets", Static).update(budget_line(summary.plan))
        status = self.query_one("#portfolio-status", Static)
        status.update(status_text(summary))
        table = self.query_one("#portfolio-table", DataTable)
        cursor = table.cursor_row
        table.clear()
        for key, cells in table_rows(summary):
            table.add_row(*cells, key=key)
        if table.row_count:
            table.move_cursor(row=min(cursor, table.row_count - 1))
        self.query_one("#portfolio-totals", Static).update(totals_text(summary))
        if not summary.plan.ready() and not self.asked_for_budgets and self.app.screen is self:
            self.asked_for_budgets = True      # once: Esc on the form leaves it closed
            self.action_budgets()
        elif self.focused is None or not self.focused.display:
            table.focus()

    # ----- actions -----------------------------------------------------------------------
    def action_close(self) -> None:
        self.dismiss()

    @on(Button.Pressed, "#portfolio-add")
    def action_add(self) -> None:
        from tunewise.tui.client_book import new_use_case

        self.app.begin(new_use_case(self.client))

    @on(Button.Pressed, "#portfolio-budgets-button")
    def action_budgets(self) -> None:
        from tunewise.tui.client_form import ClientForm

        self.app.push_screen(ClientForm(self.client, load_plan(self.client)))

    def selected_path(self) -> Path | None:
        table = self.query_one("#portfolio-table", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return Path(key) if key else None

    def action_must_do(self) -> None:
        path = self.selected_path()
        if path is None:
            return
        plan = load_plan(self.client)
        if not plan.ready():
            self.action_budgets()
            return
        if path.name in plan.must_do:
            plan.must_do.remove(path.name)
        else:
            plan.must_do.append(path.name)
        plan.save()
        self.refresh_summary()

    @on(DataTable.RowSelected, "#portfolio-table")
    def _open(self, event: DataTable.RowSelected) -> None:
        from tunewise.tui.session import Session

        if event.row_key.value:
            try:
                session = Session.open(Path(event.row_key.value))
            except (OSError, ValueError) as exc:
                self.notify(str(exc), severity="error")
                return
            self.app.begin(session)

    @on(Button.Pressed, "#portfolio-export")
    @on(Input.Submitted, "#portfolio-folder")
    def action_export(self) -> None:
        formats = [key for key in portfolio_formats()
                   if self.query_one(f"#portfolio-format-{key}", Checkbox).value]
        log = self.query_one("#portfolio-log", Static)
        if not formats:
            log.update("Choose at least one format.")
            return
        if self.app.web_session:
            from tunewise.tui.session import data_dir

            folder = data_dir() / "exports" / "portfolio"
        else:
            folder = Path(self.query_one("#portfolio-folder", Input).value.strip() or ".").expanduser()
        self.export_folder = folder
        self.query_one("#portfolio-export", Button).disabled = True
        log.update("Working: assessing and writing the portfolio"
                   + (" (each PDF takes a few seconds)…" if "pdf" in formats else "…"))
        self.query_one("#portfolio-box", VerticalScroll).scroll_end(animate=False)
        self.run_export(folder, formats)

    @work(thread=True, exclusive=True, group="portfolio-export")
    def run_export(self, folder: Path, formats: list[str]) -> None:
        from tunewise.tui.client_book import export_portfolio

        try:
            written, summary = export_portfolio(self.client, folder, formats)
        except OSError as exc:
            self.app.call_from_thread(self.exported, [], f"Cannot write to {folder}: {exc.strerror or exc}")
            return
        self.app.call_from_thread(self.exported, written, summary.problem)

    def exported(self, written: list[Path], problem: str | None) -> None:
        self.query_one("#portfolio-export", Button).disabled = False
        text = Text()
        if written:
            text.append(f"Written to {written[0].parent}:\n", style="bold")
            text.append("  " + ", ".join(path.name for path in written) + "\n")
        if problem:
            text.append(f"Not written: {problem}\n", style="bold")
        self.query_one("#portfolio-log", Static).update(text)
        self.query_one("#portfolio-box", VerticalScroll).scroll_end(animate=False)
        if written and self.app.is_web:
            from tunewise.tui.client_book import portfolio_stem
            from tunewise.tui.screen_export import deliver_downloads

            deliver_downloads(self.app, written, portfolio_stem(self.client), root=self.export_folder)
        if written:
            self.notify(f"{len(written)} file(s) written", title="Portfolio exported")


# ----- the words shown (no widgets) -------------------------------------------------------------

def budget_line(plan: ClientPlan) -> Text:
    if not plan.ready():
        return Text("No budgets or people yet: press b to set them.", style="bold")
    assert plan.budget_upfront is not None and plan.budget_monthly is not None
    people = plan.people
    start = f" · starts {plan.start.isoformat()}" if plan.start else ""
    return Text(f"Budget {fmt(plan.budget_upfront, plan.currency, 0)} upfront, "
                f"{fmt(plan.budget_monthly, plan.currency, 0)} a month · people per quarter: "
                f"{people['ml_experts']:g} ML-expert weeks, {people['engineers']:g} engineer weeks{start}")


def status_text(summary: Summary) -> Text:
    if summary.portfolio is None:
        return Text(summary.problem or "", style="bold")
    portfolio = summary.portfolio
    text = Text()
    if portfolio.status == "infeasible":
        text.append(f"Infeasible: {portfolio.status_reason}", style="bold")
    else:
        text.append(f"{len(portfolio.funded)} funded, {len(portfolio.deferred)} deferred, "
                    f"{len(portfolio.not_worth_building)} not worth building", style="bold")
    unfinished = len(summary.unfinished)
    if unfinished:
        text.append(f" · {unfinished} still being answered (not counted)")
    return text


def table_rows(summary: Summary) -> list[tuple[str, list[str | Text]]]:
    """(session path, cells) for each use case: funded, deferred, not worth building, unfinished."""
    path_of = {case.id: str(case.saved.path) for case in summary.use_cases}
    rows: list[tuple[str, list[str | Text]]] = []
    portfolio = summary.portfolio
    if portfolio is not None:
        money = portfolio.currency
        for item in portfolio.funded:
            label = portfolio.entry(item.id).figures.strategy_label
            decision = "Funded, must do" if item.must_do else "Funded"
            rows.append((path_of[item.id], [item.project, Text(decision, style="bold"),
                                            fmt(item.upfront, money, 0), fmt(item.monthly, money, 0),
                                            fmt(item.net_value, money, 0), item.start_label, label]))
        for group, name in ((portfolio.deferred, "Deferred"), (portfolio.not_worth_building, "Not worth it")):
            for aside in group:
                label = portfolio.entry(aside.id).figures.strategy_label
                rows.append((path_of[aside.id], [aside.project, name, fmt(aside.upfront, money, 0),
                                                 fmt(aside.monthly, money, 0), fmt(aside.net_value, money, 0),
                                                 "—", label]))
    for case in summary.use_cases:
        if case.text is None:
            state = "Unreadable" if case.problem else f"{case.missing} question(s) left"
        elif portfolio is None:
            state = "Answered"
        else:
            continue
        rows.append((str(case.saved.path), [case.project, state, "", "", "", "", ""]))
    return rows


def totals_text(summary: Summary) -> Text:
    portfolio = summary.portfolio
    if portfolio is None:
        return Text("")
    totals, money = portfolio.totals, portfolio.currency
    text = Text()
    text.append("Totals against the budgets: ", style="bold")
    text.append(f"upfront {fmt(totals.upfront, money, 0)} of {fmt(totals.budget_upfront, money, 0)} "
                f"({fmt(totals.upfront_left, money, 0)} left); monthly {fmt(totals.monthly, money, 0)} of "
                f"{fmt(totals.budget_monthly, money, 0)} ({fmt(totals.monthly_left, money, 0)} left); "
                f"risk-adjusted net value {fmt(totals.net_value, money, 0)}.")
    for aside in portfolio.deferred + portfolio.not_worth_building:
        text.append(f"\n• {aside.project}: {aside.reason}")
    if portfolio.next_unfunded is not None:
        text.append(f"\nNext: {portfolio.next_unfunded.text}")
    return text
