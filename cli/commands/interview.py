"""`tunewise`, `tunewise interview [FILE]` and `tunewise serve`: the guided interview."""

from __future__ import annotations

import sys
from pathlib import Path


def run_interview(answers_path: str | None, theme: str | None) -> int:
    from tunewise.tui.app import TunewiseApp
    from tunewise.tui.session import Session

    session = None
    if answers_path is not None:
        path = Path(answers_path)
        try:
            session = Session.open(path)
        except FileNotFoundError:
            print(f"tunewise: {answers_path}: does not exist", file=sys.stderr)
            return 2
        except (OSError, ValueError) as exc:
            print(f"tunewise: {exc}", file=sys.stderr)
            return 2
    app = TunewiseApp(theme=theme, session=session)
    app.run()
    if app.session is not None and app.session.path.exists():
        print(f"Answers saved in {app.session.path}")
    return app.return_code or 0


def run_serve(host: str, port: int) -> int:
    from textual_serve.server import Server

    server = Server("tunewise interview", host=host, port=port, title="tunewise")
    server.serve()
    return 0
