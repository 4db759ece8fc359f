"""Help on F1 or ?: the keys of the screen it was opened from, and a legend of terms."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Label, Static

from tunewise.tui.help_text import COMMON_KEYS, LEGEND, SCREEN_KEYS


class HelpScreen(ModalScreen[None]):
    """Keys for one screen, then the legend; Esc, F1 or ? closes it."""

    BINDINGS = [Binding("escape", "dismiss", "Close", id="close"),
                Binding("question_mark", "dismiss", "Close", show=False)]

    def __init__(self, screen_name: str) -> None:
        super().__init__()
        self.screen_name = screen_name

    def compose(self) -> ComposeResult:
        title, keys = SCREEN_KEYS.get(self.screen_name, ("tunewise", []))
        with VerticalScroll(classes="dialog help-dialog", id="help-dialog"):
            yield Label(f"Help · {title}", classes="panel-title")
            yield Static(_table(keys + COMMON_KEYS), id="help-keys")
            yield Label("What the results mean", classes="panel-title")
            yield Static(_table(LEGEND), id="help-legend")
        yield Footer(compact=True, show_command_palette=False)


def _table(rows: list[tuple[str, str]]) -> Table:
    table = Table.grid(padding=(0, 2), expand=True)
    table.add_column(no_wrap=True, style="bold", min_width=10)
    table.add_column(ratio=1)
    for key, text in rows:
        table.add_row(Text(key), Text(text))
    return table
