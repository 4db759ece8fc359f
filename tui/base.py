"""Typed access to the app from screens and widgets (the pattern Posting uses).

``self.app`` is typed as ``App`` by Textual; these mixins narrow it to TunewiseApp for
type checkers, importing the app module only under TYPE_CHECKING to avoid a cycle.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tunewise.tui.app import TunewiseApp
    from tunewise.tui.session import Session


class AppAware:
    """Mix in before the Textual base class: ``class X(AppAware, Screen)``."""

    @property
    def app(self) -> TunewiseApp:
        return super().app  # type: ignore[misc]

    @property
    def session(self) -> Session:
        session = self.app.session
        assert session is not None, "a screen that needs a session was shown without one"
        return session
