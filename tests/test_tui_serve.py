"""`tunewise serve`: loopback by default, a token elsewhere, one private folder per browser."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tunewise.tui import serve

ROOT = Path(__file__).resolve().parent.parent


def test_serve_binds_loopback_by_default_and_needs_a_token_elsewhere(monkeypatch, capsys):
    import textual_serve.server as server

    from tunewise.cli.commands.interview import run_serve
    from tunewise.cli.main import build_parser

    args = build_parser().parse_args(["serve"])
    assert args.host == "127.0.0.1"
    seen = []
    monkeypatch.setattr(server.Server, "serve", lambda self, debug=False: seen.append(self))
    assert run_serve("127.0.0.1", 9001) == 0
    assert "token" not in capsys.readouterr().out
    assert run_serve("0.0.0.0", 9002) == 0
    printed = capsys.readouterr().out
    assert "http://0.0.0.0:9002/?token=" in printed
    assert "--web-session" in seen[-1].command and seen[-1].host == "0.0.0.0"


@pytest.mark.anyio
async def test_the_token_guards_page_socket_and_downloads():
    from aiohttp.test_utils import TestClient, TestServer

    app = await serve.make_server("0.0.0.0", 0, "s3cret-token-123")._make_app()
    async with TestClient(TestServer(app)) as client:
        for path in ("/", "/ws", "/download/abc"):
            assert (await client.get(path)).status == 403
        assert (await client.get("/?token=wrong-token-12345")).status == 403
        page = await client.get("/?token=s3cret-token-123")
        assert page.status == 200
        assert serve.COOKIE in page.cookies
        # The cookie now covers the page's own requests (the websocket, downloads).
        assert (await client.get("/download/unknown")).status != 403


SESSION = textwrap.dedent("""
    import asyncio, os, sys
    os.environ["TEXTUAL_ANIMATIONS"] = "none"
    from tunewise.tui.serve import web_session_dir
    os.environ["TUNEWISE_DATA_DIR"] = str(web_session_dir())
    from tunewise.tui.app import TunewiseApp

    def listed(app):
        table = app.screen.query_one("#sessions")
        return [str(table.get_row_at(i)[0]) for i in range(table.row_count)
                if str(table.get_row_at(i)[0])]          # the client rows of the grouped list

    async def main(client):
        app = TunewiseApp(web_session=True)
        async with app.run_test(size=(100, 40)) as pilot:
            await pilot.pause()
            print("start", listed(app), flush=True)
            await pilot.press("n")
            await pilot.pause()
            await pilot.press(*client, "enter", *"Search", "enter", "enter", "enter", "enter")
            await pilot.press("enter")
            await pilot.pause()
            print("saved", flush=True)
            sys.stdin.readline()
            app.action_start()
            await pilot.pause()
            await pilot.pause()
            print("again", listed(app), flush=True)
    asyncio.run(main(sys.argv[1]))
""")


def test_two_concurrent_browser_sessions_never_see_each_others_client(tmp_path):
    env = dict(os.environ, **{serve.SERVE_ROOT: str(tmp_path / "root")})
    env.pop("TUNEWISE_DATA_DIR", None)

    def start(client: str) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-c", SESSION, client], cwd=ROOT, env=env,
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    first = start("Initech")
    second = None
    try:
        assert first.stdout.readline().strip() == "start []"
        assert first.stdout.readline().strip() == "saved"
        second = start("Globex")                         # while the first is still open
        assert second.stdout.readline().strip() == "start []"
        assert second.stdout.readline().strip() == "saved"
        for process, own in ((first, "Initech"), (second, "Globex")):
            process.stdin.write("\n")
            process.stdin.flush()
            assert process.stdout.readline().strip() == f"again ['{own}']"
    finally:
        for process in (first, second):
            if process is not None:
                process.stdin.close()
                process.wait(timeout=60)
    # One data folder per browser session, side by side under the server's root.
    folders = sorted(p.name for p in (tmp_path / "root").iterdir())
    assert len(folders) == 2 and all(name.startswith("session-") for name in folders)


def test_an_export_of_several_formats_is_one_zip_download(tmp_path):
    import io
    import zipfile

    from tunewise.tui.screen_export import deliver_downloads

    class Browser:
        def __init__(self):
            self.downloads = []

        def deliver_binary(self, data, save_filename, mime_type=None):
            body = data.read() if hasattr(data, "read") else Path(data).read_bytes()
            self.downloads.append((save_filename, body))

    files = []
    for name in ("acme.pdf", "acme.html", "acme.json"):
        files.append(tmp_path / name)
        files[-1].write_bytes(name.encode())
    browser = Browser()
    deliver_downloads(browser, files, "acme")
    assert [name for name, _ in browser.downloads] == ["acme.zip"]
    archive = zipfile.ZipFile(io.BytesIO(browser.downloads[0][1]))
    assert sorted(archive.namelist()) == ["acme.html", "acme.json", "acme.pdf"]
    browser = Browser()
    deliver_downloads(browser, files[:1], "acme")
    assert browser.downloads == [("acme.pdf", b"acme.pdf")]


def test_a_portfolio_download_keeps_its_answer_files_folder(tmp_path):
    import io
    import zipfile

    from tunewise.tui.screen_export import deliver_downloads

    class Browser:
        downloads: list = []

        def deliver_binary(self, data, save_filename, mime_type=None):
            self.downloads.append((save_filename, data.read()))

    (tmp_path / "acme-portfolio-answers").mkdir()
    files = [tmp_path / "acme-portfolio.yaml", tmp_path / "acme-portfolio-answers" / "bot.yaml"]
    for path in files:
        path.write_text("x", encoding="utf-8")
    browser = Browser()
    deliver_downloads(browser, files, "acme-portfolio", root=tmp_path)
    name, body = browser.downloads[0]
    assert name == "acme-portfolio.zip"
    assert sorted(zipfile.ZipFile(io.BytesIO(body)).namelist()) == [
        "acme-portfolio-answers/bot.yaml", "acme-portfolio.yaml"]
