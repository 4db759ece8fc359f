"""Command palette entries (ctrl+p) for the interview's main actions."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


class TunewiseCommands(Provider):
    """Jump to a section, review, results, export, theme."""

    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        app = self.app
        if getattr(app, "session", None) is None:
            return [("New assessment", "Start the interview with a new client",
                     app.action_new_assessment),
                    ("Toggle light/dark theme", "Switch between the light and dark theme",
                     app.action_toggle_theme)]
        from tunewise.engine.questions import load_bank

        commands = [("Go to: Client details", "Client name, project, consultant and currency",
                     partial(app.action_goto_section, "client"))]
        for section in load_bank().sections:
            commands.append((f"Go to: {section.title}", section.intro,
                             partial(app.action_goto_section, section.id)))
        commands += [
            ("Review answers", "Every answer in a table; change any of them", app.action_review),
            ("Show results", "The recommendation, costs and what would flip it",
             app.action_results),
            ("Export reports", "Write PDF, HTML, JSON and the answer file", app.action_export),
            ("Client portfolio", "This client's use cases funded within its budgets",
             app.action_portfolio),
            ("Start screen", "Saved sessions by client; a new assessment", app.action_start),
            ("Toggle light/dark theme", "Switch between the light and dark theme",
             app.action_toggle_theme),
        ]
        return commands

    async def discover(self) -> Hits:
        for name, help_text, command in self._commands():
            yield DiscoveryHit(name, command, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, command in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), command, text=name, help=help_text)
