"""`tunewise serve`: the interview in a browser, one private session per visitor.

* Binds 127.0.0.1 unless told otherwise; any other address needs a token (given with
  ``--token`` or generated and printed in the URL). The first request carries
  ``?token=…``; a cookie then covers the page's websocket and downloads.
* Each browser connection starts its own ``tunewise interview --web-session`` process
  (textual-serve does that), which makes a fresh data folder of its own under the
  server's root and deletes it when the browser leaves: no visitor sees another's
  client, and nothing is listed from earlier sessions.
* In a web session, exports are written inside that folder and handed to the browser
  as one download (a zip when several formats are chosen); opening server files by
  path and brand files from the server's disk are switched off.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
import secrets
import shlex
import shutil
import sys
import tempfile
from pathlib import Path

SERVE_ROOT = "TUNEWISE_SERVE_ROOT"
COOKIE = "tunewise_token"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def session_command() -> str:
    return shlex.join([sys.executable, "-m", "tunewise", "interview", "--web-session"])


def make_server(host: str, port: int, token: str | None):
    from aiohttp import web
    from textual_serve.server import Server

    class GuardedServer(Server):
        """textual-serve with a token check in front of every page, socket and download."""

        async def _make_app(self) -> web.Application:
            app = await super()._make_app()
            if token:
                app.middlewares.append(_guard(token))
            return app

    return GuardedServer(session_command(), host=host, port=port, title="tunewise")


def _guard(token: str):
    from aiohttp import web

    @web.middleware
    async def guard(request: web.Request, handler):
        if request.path.startswith("/static/"):
            return await handler(request)
        given = request.query.get("token") or request.cookies.get(COOKIE) or ""
        if not hmac.compare_digest(given.encode(), token.encode()):
            return web.Response(status=403, text="tunewise: this address needs the link with "
                                                 "its token (?token=...).\n")
        response = await handler(request)
        if request.query.get("token") and isinstance(response, web.StreamResponse) \
                and not response.prepared:
            response.set_cookie(COOKIE, token, httponly=True, samesite="Strict")
        return response

    return guard


def serve(host: str, port: int, token: str | None) -> int:
    if not is_loopback(host) and not token:
        token = secrets.token_urlsafe(18)
    if token is not None and len(token) < 12:
        raise ValueError("--token must be at least 12 characters")
    root = Path(tempfile.mkdtemp(prefix="tunewise-serve-"))
    os.environ[SERVE_ROOT] = str(root)       # inherited by each session's process
    server = make_server(host, port, token)
    url = f"http://{host}:{port}/" + (f"?token={token}" if token else "")
    print(f"tunewise serve: open {url}", flush=True)
    if not is_loopback(host):
        print("Anyone with this link can run an interview; share it only with the client.",
              flush=True)
    try:
        server.serve()
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 0


def web_session_dir() -> Path:
    """A new, private data folder for one browser session."""
    root = Path(os.environ.get(SERVE_ROOT) or tempfile.gettempdir())
    root.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix="session-", dir=root))


def run_web_session(theme: str | None, present: bool) -> int:
    from tunewise.tui.app import TunewiseApp

    folder = web_session_dir()
    os.environ["TUNEWISE_DATA_DIR"] = str(folder)
    try:
        app = TunewiseApp(theme=theme, present=present, web_session=True)
        app.run()
        return app.return_code or 0
    finally:
        shutil.rmtree(folder, ignore_errors=True)
