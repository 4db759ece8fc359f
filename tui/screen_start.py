"""The start screen: a new assessment, the saved sessions, or an answer file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.suggester import Suggester
from textual.widgets import DataTable, Footer, Header, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from tunewise.tui.base import AppAware
from tunewise.tui.session import (
    NO_CLIENT,
    Session,
    delete_session,
    duplicate_session,
    saved_sessions,
)


class PathSuggester(Suggester):
    """Completes folders and YAML files from what is typed, relative or absolute."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        return suggest_path(value)


def suggest_path(value: str) -> str | None:
    if not value:
        return None
    typed = Path(value).expanduser()
    folder, prefix = (typed, "") if value.endswith(("/", "\\")) else (typed.parent, typed.name)
    try:
        names = sorted(p.name + ("/" if p.is_dir() else "") for p in folder.iterdir()
                       if p.name.lower().startswith(prefix.lower())
                       and (p.is_dir() or p.suffix.lower() in (".yaml", ".yml"))
                       and not p.name.startswith("."))
    except OSError:
        return None
    if not names:
        return None
    head = value[: len(value) - len(prefix)]
    return head + names[0]


CLIENT_ROW = "client:"


class StartScreen(AppAware, Screen):
    BINDINGS = [
        Binding("n", "new", "New", id="new"),
        Binding("r", "resume", "Resume", id="resume"),
        Binding("o", "open", "Open file", id="open"),
        Binding("d", "duplicate", "Duplicate", id="duplicate"),
        Binding("delete", "delete", "Delete", id="delete"),
        Binding("a", "add_use_case", "Add use case", id="add"),
        Binding("p", "portfolio", "Portfolio", id="portfolio"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.confirm_delete: Path | None = None
        self.row_client: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="start-box"):
            yield Static(Text.assemble(("tunewise", "bold"), "  How should this business adapt "
                                       "a language model: a prompt, retrieval (RAG), "
                                       "fine-tuning, or a model of its own?"), id="start-title")
            yield OptionList(
                Option(Text.assemble(("New assessment", "bold"),
                                     "  start the interview with a new client"), id="new"),
                Option(Text.assemble(("Open an answer file", "bold"),
                                     "  continue from a YAML answer file"), id="open"),
                id="start-options")
            yield Input(placeholder="path/to/answers.yaml (→ completes), then Enter",
                        id="open-path", suggester=PathSuggester())
            yield Label("", id="start-error")
            yield Label("Sessions by client (Enter opens; a: add a use case, p: portfolio)",
                        classes="panel-title", id="sessions-title")
            yield DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#open-path").display = False
        if self.app.web_session:
            # A browser visitor must not read files on the server by path.
            options = self.query_one("#start-options", OptionList)
            options.remove_option("open")
        self.fill_sessions()
        self.query_one("#start-options").focus()

    def fill_sessions(self) -> None:
        from tunewise.tui.client_book import group_by_client

        table = self.query_one("#sessions", DataTable)
        table.clear(columns=True)
        for label, key in (("Client", "client"), ("Project", "project"), ("Date", "date"),
                           ("Answered", "answered"), ("Saved", "saved")):
            table.add_column(label, key=key)
        sessions = saved_sessions()
        self.row_client: dict[str, str] = {}
        for client, group in group_by_client(sessions):
            header = f"{CLIENT_ROW}{client}"
            count = f"{len(group)} use case" + ("" if len(group) == 1 else "s")
            table.add_row(Text(_cut(client, 24), style="bold"), Text(count, style="italic"), "", "", "",
                          key=header)
            self.row_client[header] = client
            for saved in group:
                when = dt.datetime.fromtimestamp(saved.saved).strftime("%d %b %H:%M")
                table.add_row("", "  " + _cut(saved.project, 26), saved.date,
                              str(saved.answered), when, key=str(saved.path))
                self.row_client[str(saved.path)] = client
        self.query_one("#sessions-title").display = bool(sessions)
        table.display = bool(sessions)

    @on(OptionList.OptionSelected, "#start-options")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        {"new": self.action_new, "open": self.action_open}[event.option.id or "new"]()

    def action_new(self) -> None:
        self.app.begin(Session.new())

    def action_resume(self) -> None:
        try:
            session = Session.resume_last()
        except (OSError, ValueError) as exc:
            self.error(str(exc))
            return
        if session is None:
            self.error("No saved assessment yet.")
            return
        self.app.begin(session)

    def open_path(self, path: Path) -> None:
        try:
            session = Session.open(path)
        except FileNotFoundError:
            self.error(f"{path} does not exist.")
            return
        except (OSError, ValueError) as exc:
            self.error(str(exc))
            return
        self.app.begin(session)

    def error(self, message: str) -> None:
        self.query_one("#start-error", Label).update(message)

    def selected_key(self) -> str | None:
        table = self.query_one("#sessions", DataTable)
        if not table.row_count or not table.display:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def selected(self) -> Path | None:
        """The saved session under the cursor (None on a client's row)."""
        key = self.selected_key()
        return Path(key) if key and not key.startswith(CLIENT_ROW) else None

    def selected_client(self) -> str | None:
        key = self.selected_key()
        client = self.row_client.get(key) if key else None
        return None if client in (None, NO_CLIENT) else client

    @on(DataTable.RowSelected, "#sessions")
    def _open_saved(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value
        if key and key.startswith(CLIENT_ROW):
            self.action_portfolio()
        elif key:
            self.open_path(Path(key))

    def action_portfolio(self) -> None:
        client = self.selected_client()
        if client is None:
            self.error("Choose a client in the list first (a session without a client name has no "
                       "portfolio).")
            return
        from tunewise.tui.screen_portfolio import PortfolioScreen

        self.app.push_screen(PortfolioScreen(client))

    def action_add_use_case(self) -> None:
        client = self.selected_client()
        if client is None:
            self.error("Choose a client in the list first; n starts a new client.")
            return
        from tunewise.tui.client_book import new_use_case

        self.app.begin(new_use_case(client))

    def action_duplicate(self) -> None:
        path = self.selected()
        if path is None:
            return
        copy = duplicate_session(path)
        self.fill_sessions()
        self.notify(f"Duplicated as {copy.name}.", timeout=3)

    def action_delete(self) -> None:
        path = self.selected()
        if path is None:
            return
        if self.confirm_delete != path:
            self.confirm_delete = path
            self.error(f"Press delete again to delete {path.name} for good.")
            return
        delete_session(path)
        self.confirm_delete = None
        self.error("")
        self.fill_sessions()
        self.notify(f"Deleted {path.name}.", timeout=3)

    def action_open(self) -> None:
        if self.app.web_session:
            return
        field = self.query_one("#open-path", Input)
        field.display = True
        field.focus()

    @on(Input.Submitted, "#open-path")
    def _open(self, event: Input.Submitted) -> None:
        path = event.value.strip()
        if path:
            self.open_path(Path(path).expanduser())


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
