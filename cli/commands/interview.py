"""`tunewise`, `tunewise interview [FILE]` and `tunewise serve`: the guided interview."""

from __future__ import annotations

import sys
from pathlib import Path


def run_interview(answers_path: str | None, theme: str | None, present: bool = False,
                  web_session: bool = False) -> int:
    from tunewise.tui.app import TunewiseApp
    from tunewise.tui.session import Session

    if web_session:
        from tunewise.tui.serve import run_web_session

        return run_web_session(theme, present)
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
    app = TunewiseApp(theme=theme, session=session, present=present)
    app.run()
    if app.session is not None and app.session.path.exists():
        print(f"Answers saved in {app.session.path}")
    return app.return_code or 0


def run_serve(host: str, port: int, token: str | None = None) -> int:
    from tunewise.cli.errors import UsageError
    from tunewise.tui.serve import serve

    try:
        return serve(host, port, token)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
