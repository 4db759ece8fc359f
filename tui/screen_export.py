"""Export: choose formats, a brand file and a folder; render in a thread with progress."""

from __future__ import annotations

import json
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Checkbox, Footer, Header, Input, Label, ProgressBar, Static

from tunewise.engine.answers import load_answer_text, require
from tunewise.engine.problems import InputError
from tunewise.storage.atomic import write_bytes, write_text
from tunewise.tui.base import AppAware

# Short labels: the five fit side by side in 80 columns.
FORMATS = (("pdf", "PDF"), ("html", "HTML"), ("xlsx", "Workbook (XLSX)"), ("json", "JSON"),
           ("yaml", "Answer file (YAML)"))
# In a browser the answer file is a download to keep: it reopens only in tunewise on a
# machine of one's own (`tunewise interview FILE` or `tunewise report FILE`), not here.
WEB_LABELS = {"yaml": "Answers (YAML)"}
ORDER = {"json": 0, "yaml": 1, "xlsx": 2, "html": 3, "pdf": 4}   # quick ones first


def assess_text(text: str, name: str):
    """The assessment `tunewise report` makes of this answer text (raises InputError)."""
    from tunewise.engine.computable import Uncomputable, assess_checked
    from tunewise.engine.problems import Problem

    answer_file = require(load_answer_text(text, name))
    try:
        return assess_checked(answer_file)
    except Uncomputable as exc:
        message = ("these overrides together: " if exc.together else "") + exc.reason
        raise InputError([Problem(file=name, line=1, column=1, question=key, message=message)
                          for key in exc.culprits]) from None


def render_format(key: str, assessment, text: str, brand: str | None) -> bytes:
    """One export's bytes, rendered as the CLI renders it."""
    if key == "json":
        from tunewise.cli.render_one import assessment_json

        return assessment_json(assessment).encode("utf-8")
    if key == "yaml":
        return text.encode("utf-8")
    if key == "xlsx":
        from tunewise.report.workbook import render_xlsx

        return render_xlsx(assessment)
    from tunewise.report.render import render_html, render_pdf

    if key == "html":
        return render_html(assessment, brand_path=brand).encode("utf-8")
    return render_pdf(assessment, brand_path=brand)


class ExportScreen(AppAware, Screen):
    BINDINGS = [
        Binding("escape", "app.back", "Back", id="back"),
        Binding("ctrl+s", "export", "Export now", id="export", priority=True),
        Binding("ctrl+g", "app.sections", "Jump", id="sections"),
        Binding("ctrl+o", "app.results", "Results", id="results"),
    ]

    def compose(self) -> ComposeResult:
        session = self.session
        if self.app.web_session:
            from tunewise.tui.session import data_dir

            folder = data_dir() / "exports"
        else:
            folder = remembered_folder(session) or (
                session.opened.parent if session.opened is not None else Path.cwd())
        yield Header()
        with VerticalScroll(id="export-form"):
            yield Label("Export the assessment", classes="panel-title")
            yield Static("", id="export-warning")
            with Horizontal(id="export-formats"):
                for key, label in FORMATS:
                    if self.app.web_session:
                        label = WEB_LABELS.get(key, label)
                    yield Checkbox(label, value=True, id=f"format-{key}", classes="format",
                                   compact=True)
            with Horizontal(classes="field-row"):
                yield Label("Folder", classes="field-label")
                yield Input(str(folder), id="export-folder", classes="export-input")
            with Horizontal(classes="field-row"):
                yield Label("Brand file", classes="field-label")
                yield Input("", placeholder="optional: BRAND.yaml with logo, colours, footer",
                            id="export-brand", classes="export-input")
            yield Static("", id="export-names", classes="number-hint")
            with Horizontal(id="export-actions"):
                yield Button("Export", id="export-go", variant="primary")
                yield ProgressBar(id="export-progress", show_eta=False)
                yield Button("Open the PDF", id="export-open")
            yield Static("", id="export-log")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        session = self.session
        self.query_one("#export-open").display = False
        if self.app.web_session:
            # The browser gets the files as a download; the server's folders stay private.
            for row in self.query(".field-row"):
                row.display = False
        # A determinate, empty bar until an export starts (the indeterminate one animates).
        self.query_one("#export-progress", ProgressBar).update(total=1, progress=0)
        if self.app.web_session:
            # Off unless asked for: in the browser the answers live on in this session only.
            self.query_one("#format-yaml", Checkbox).value = False
            self.query_one("#export-names", Static).update(
                f"Your browser downloads {session.stem}.pdf, or {session.stem}.zip when several "
                "formats are ticked. Answers (YAML) is the answer file, to reopen or rerun in "
                "tunewise on your own computer.")
        else:
            self.query_one("#export-names", Static).update(
                f"Files are named {session.stem}.pdf, .html, .xlsx, .json, .yaml "
                "(replacing older ones)")
        warning = []
        if not session.client_ready():
            warning.append("Client name and project are missing; the report will say "
                           "“Unnamed”. Add them in Client details (ctrl+g).")
        missing = session.missing()
        if missing:
            warning.append(f"{len(missing)} question(s) unanswered take their defaults: "
                           + "; ".join(q.prompt for q in missing))
        self.query_one("#export-warning", Static).update("\n".join(warning))
        self.query_one("#export-warning").display = bool(warning)
        self.query_one("#export-go", Button).focus()
        if session.opened is not None and self._yaml_target() == session.opened.resolve():
            # Do not replace the consultant's own (commented) file unless asked to.
            self.query_one("#format-yaml", Checkbox).value = False
            self.query_one("#export-names", Static).update(
                f"Files are named {session.stem}.pdf, .html, .xlsx, .json; the answer file is off "
                f"because it would replace the file you opened ({session.opened.name}).")

    def _yaml_target(self) -> Path:
        folder = Path(self.query_one("#export-folder", Input).value.strip() or ".").expanduser()
        return (folder / f"{self.session.stem}.yaml").resolve()

    @on(Button.Pressed, "#export-go")
    @on(Input.Submitted, ".export-input")
    def _go(self) -> None:
        self.action_export()

    def action_export(self) -> None:
        session = self.session
        formats = [key for key, _ in FORMATS if self.query_one(f"#format-{key}", Checkbox).value]
        log = self.query_one("#export-log", Static)
        if not formats:
            log.update("Choose at least one format.")
            return
        folder = Path(self.query_one("#export-folder", Input).value.strip() or ".").expanduser()
        brand = self.query_one("#export-brand", Input).value.strip() or None
        if brand and not Path(brand).expanduser().is_file():
            log.update(Text(f"Brand file {brand} does not exist.", style="bold"))
            return
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            log.update(Text(f"Cannot create {folder}: {exc.strerror or exc}", style="bold"))
            return
        remember_folder(session, folder)
        self.query_one("#export-go", Button).disabled = True
        self.query_one("#export-open").display = False
        self.done_so_far = []
        progress = self.query_one("#export-progress", ProgressBar)
        progress.update(total=len(formats) + 1, progress=0)
        log.update("Working…")
        self.run_export(session.export_text(), formats, folder, session.stem,
                        str(Path(brand).expanduser()) if brand else None)

    @work(thread=True, exclusive=True, group="export")
    def run_export(self, text: str, formats: list[str], folder: Path, stem: str,
                   brand: str | None) -> None:
        written: list[Path] = []
        problems: list[str] = []
        try:
            assessment = assess_text(text, f"{stem}.yaml")
        except InputError as exc:
            problems.append("; ".join(
                f"{p.question}: {p.message}" if p.question else p.message for p in exc.problems))
            self.app.call_from_thread(self.finished, written, problems)
            return
        self.app.call_from_thread(self.step, "assessed")
        for key in sorted(formats, key=ORDER.__getitem__):
            path = folder / f"{stem}.{key}"
            self.app.call_from_thread(self.note, f"writing {path.name}"
                                      + (" (a PDF takes a few seconds)" if key == "pdf" else ""))
            try:
                data = render_format(key, assessment, text, brand)
                write_bytes(path, data)
                written.append(path)
            except ImportError:
                problems.append(f"{key.upper()}: the report renderer is not available yet")
            except InputError as exc:
                problems.append(f"{key.upper()}: " + "; ".join(
                    f"{p.question}: {p.message}" for p in exc.problems))
            except Exception as exc:  # one failed format must not lose the others
                problems.append(f"{key.upper()}: {type(exc).__name__}: {exc}")
            self.app.call_from_thread(self.step, f"{path.name} done", list(written))
        self.app.call_from_thread(self.finished, written, problems)

    def step(self, note: str, written: list[Path] | None = None) -> None:
        self.query_one("#export-progress", ProgressBar).advance(1)
        self.done_so_far = written or []
        self.note(note)

    def note(self, text: str) -> None:
        lines = Text()
        for path in getattr(self, "done_so_far", []):
            lines.append(f"  ✓ {path}\n")
        lines.append(f"Working: {text}…")
        self.query_one("#export-log", Static).update(lines)

    def finished(self, written: list[Path], problems: list[str]) -> None:
        self.written = written
        text = Text()
        if written:
            text.append("Written:\n", style="bold")
            for path in written:
                text.append(f"  ✓ {path}\n")
        for problem in problems:
            text.append(f"Not written: {problem}\n", style="bold")
        self.query_one("#export-log", Static).update(text)
        self.query_one("#export-go", Button).disabled = False
        bar = self.query_one("#export-progress", ProgressBar)
        bar.update(progress=bar.total or 0)
        self.query_one("#export-form", VerticalScroll).scroll_end(animate=False)
        pdf = next((p for p in written if p.suffix == ".pdf"), None)
        if self.app.is_web and written:
            # In a browser (tunewise serve): one download, a zip when there are several files.
            deliver_downloads(self.app, written, self.session.stem)
        elif pdf is not None:
            self.pdf = pdf
            self.query_one("#export-open").display = True
            self.query_one("#export-open", Button).focus()
        if written and not problems:
            self.notify(f"{len(written)} file(s) written to {written[0].parent}", title="Exported")
        elif problems:
            self.notify("Some formats failed; see the list.", severity="error")

    @on(Button.Pressed, "#export-open")
    def _open_pdf(self) -> None:
        pdf = getattr(self, "pdf", None)
        if pdf is None:
            return
        problem = open_file(pdf)
        if problem:
            self.notify(problem, severity="warning")


def open_file(path: Path) -> str | None:
    """Open ``path`` in the desktop's viewer; a sentence when that is not possible."""
    import shutil
    import subprocess
    import sys

    opener = "open" if sys.platform == "darwin" else "xdg-open"
    if sys.platform.startswith("win"):
        import os

        os.startfile(path)  # type: ignore[attr-defined]
        return None
    if shutil.which(opener) is None:
        return f"No {opener} on this machine; the PDF is at {path}"
    subprocess.Popen([opener, str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                     start_new_session=True)
    return None


def deliver_downloads(app, written: list[Path], stem: str, root: Path | None = None) -> None:
    """One browser download: the file itself, or a zip of all of them (paths inside ``root``
    kept, so a portfolio file still finds its answer files)."""
    if len(written) == 1:
        app.deliver_binary(written[0], save_filename=written[0].name)
        return
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in written:
            archive.write(path, arcname=str(path.relative_to(root)) if root else path.name)
    buffer.seek(0)
    app.deliver_binary(buffer, save_filename=f"{stem}.zip", mime_type="application/zip")


EXPORT_FOLDERS = "export-folders.json"


def remembered_folder(session) -> Path | None:
    """The folder this session last exported to, if it still exists."""
    from tunewise.tui.session import data_dir

    try:
        known = json.loads((data_dir() / EXPORT_FOLDERS).read_text(encoding="utf-8"))
        folder = Path(known[str(session.path.resolve())])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return folder if folder.is_dir() else None


def remember_folder(session, folder: Path) -> None:
    from tunewise.tui.session import data_dir

    path = data_dir() / EXPORT_FOLDERS
    try:
        known = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
        if not isinstance(known, dict):
            known = {}
        known[str(session.path.resolve())] = str(folder.resolve())
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text(path, json.dumps(known, indent=1, sort_keys=True))
    except (OSError, ValueError):
        pass
