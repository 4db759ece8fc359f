"""The cost-benefit report: one Jinja template, rendered to HTML or (through WeasyPrint) PDF.

Public API, as the CLI calls it::

    render_html(assessment, *, brand_path=None, templates_dir=None, report_date=None) -> str
    render_pdf(assessment, *, paper="a4", variant=None, brand_path=None,
               templates_dir=None, report_date=None) -> bytes

Output depends only on the inputs (never on the clock): the same assessment,
brand, templates and date give byte-identical HTML and PDF.
"""

from __future__ import annotations

import atexit
import base64
import datetime as dt
import gc
import hashlib
import linecache
import os
import re
import threading
import traceback
from collections import Counter
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import (
    BaseLoader,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
)
from jinja2.loaders import split_template_path
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from tunewise.engine.assessment import Assessment
from tunewise.engine.problems import InputError, Problem
from tunewise.report import charts, view, wording
from tunewise.report.brand import ASSETS_DIR, DEFAULT_BRAND, FONTS, TEMPLATES_ROOT, Brand, load_brand

# Filters a template may use on plain values (functions live in the environment, never in the data).
FILTERS = {"pct": wording.pct, "weeks": wording.weeks_text, "about": wording.about,
           "money": lambda amount, currency: wording.money(amount, currency)}
OUR_TEMPLATES = TEMPLATES_ROOT / "report"
ENTRY = "report.html.j2"
MAX_TEMPLATE_BYTES = 1024 * 1024
PAPERS = {"a4": "A4", "letter": "letter"}
COVER_HEIGHT = {"a4": "296.5mm", "letter": "279mm"}
VARIANTS = (None, "pdf/a-3u", "pdf/ua-1")
DETAILS = ("brief", "full")
CSS_FILE = ASSETS_DIR / "report.css"
SCREEN_CSS_FILE = ASSETS_DIR / "screen.css"
FONTS_DIR = ASSETS_DIR / "fonts"
_lock = threading.Lock()


class OverrideLoader(BaseLoader):
    """Consultant templates first (by name), ours underneath.

    Ours are also reachable as ``tunewise/<name>``. A consultant template that
    extends its own name (``report.html.j2`` containing
    ``{% extends "report.html.j2" %}``) extends ours, so overriding one block
    takes a three-line file. A consultant template must be a regular file of at most
    MAX_TEMPLATE_BYTES that resolves inside the template folder: a symlink to
    /etc/passwd, or to anything else outside, is refused.
    """

    def __init__(self, user_dir: str | None):
        self.ours = FileSystemLoader(str(OUR_TEMPLATES))
        self.root = Path(user_dir).resolve() if user_dir else None
        self.user = FileSystemLoader(str(self.root)) if self.root else None

    def get_source(self, environment, template):
        if template.startswith("tunewise/"):
            return self.ours.get_source(environment, template.removeprefix("tunewise/"))
        if self.user is not None:
            try:
                source, filename, uptodate = self._user_source(environment, template)
            except TemplateNotFound:
                pass
            else:
                pattern = r"(\{%-?\s*extends\s+)([\"'])" + re.escape(template) + r"\2"
                source = re.sub(pattern, lambda m: f"{m[1]}{m[2]}tunewise/{template}{m[2]}", source)
                return source, filename, uptodate
        return self.ours.get_source(environment, template)

    def _user_source(self, environment, template):
        assert self.root is not None and self.user is not None
        path = self.root.joinpath(*split_template_path(template))
        if not os.path.lexists(path):
            raise TemplateNotFound(template)
        resolved = path.resolve()
        if not resolved.is_relative_to(self.root):
            raise SecurityError(f"template {template!r} resolves outside the template folder; refused")
        if not resolved.is_file():
            raise SecurityError(f"template {template!r} is not a regular file; refused")
        if resolved.stat().st_size > MAX_TEMPLATE_BYTES:
            raise SecurityError(f"template {template!r} is larger than {MAX_TEMPLATE_BYTES:,} bytes")
        return self.user.get_source(environment, template)


# Names a template may never reach, whatever object it holds: pydantic's loaders and
# constructors read files and unpickle (parse_raw(..., allow_pickle=True) runs code).
DENIED_ATTRIBUTES = frozenset({
    "parse_raw", "parse_file", "parse_obj", "from_orm", "construct", "copy", "json", "dict",
    "schema", "schema_json", "validate", "update_forward_refs", "mro",
})


class ReportSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, with everything private or pydantic-shaped denied as well."""

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        pydantic_method = attr.startswith("model_") and callable(value)   # not the field model_source
        if attr.startswith("_") or pydantic_method or attr in DENIED_ATTRIBUTES:
            return False
        return super().is_safe_attribute(obj, attr, value)


@lru_cache(maxsize=16)
def _environment(user_dir: str | None) -> ReportSandbox:
    env = ReportSandbox(loader=OverrideLoader(user_dir), autoescape=True,
                        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(FILTERS)
    return env


def _brand(brand_path: str | None) -> Brand:
    return load_brand(brand_path) if brand_path else DEFAULT_BRAND


def _date(assessment: Assessment, report_date: str | None) -> dt.date | None:
    value = report_date or assessment.client.date
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise InputError([Problem(file="--date", question="date",
                                  message=f"{value!r} is not a date", allowed="YYYY-MM-DD")]) from None


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _file_data_url(path: str, mime: str) -> str:
    stat = Path(path).stat()
    return _data_url(path, mime, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=16)
def _data_url(path: str, mime: str, mtime_ns: int, size: int) -> str:
    """A file as a data: URL, cached while the file is unchanged (fonts, logos)."""
    return f"data:{mime};base64,{_b64(Path(path).read_bytes())}"


def font_face_css(font: str, embed: bool) -> str:
    """@font-face rules for one bundled family: data: URLs for HTML, file: URLs for PDF."""
    spec = FONTS[font]
    rules = []
    for weight, name in spec["files"].items():
        path = FONTS_DIR / name
        url = _file_data_url(str(path), "font/woff2") if embed else path.as_uri()
        rules.append(f'@font-face{{font-family:"{spec["family"]}";font-style:normal;font-weight:{weight};'
                     f'font-display:swap;src:url("{url}") format("woff2")}}')
    return "\n".join(rules)


@lru_cache(maxsize=1)
def base_css() -> str:
    return CSS_FILE.read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def screen_css() -> str:
    return SCREEN_CSS_FILE.read_text(encoding="utf-8")


def brand_css(brand: Brand, paper: str | None) -> str:
    """The few rules that depend on the brand and paper: custom properties and page size."""
    from tunewise.report.brand import tint
    props = {
        "--primary": brand.primary_color,
        "--primary-text": brand.primary_text,
        "--on-primary": brand.on_primary,
        "--accent": brand.accent_color,
        "--accent-text": brand.accent_text,
        "--on-accent": brand.on_accent,
        "--primary-tint": tint(brand.primary_color, 0.9),
        "--accent-tint": tint(brand.accent_color, 0.88),
        "--font": brand.font_stack,
    }
    css = ":root{" + ";".join(f"{k}:{v}" for k, v in props.items()) + "}"
    if paper:
        css += f"\n@page{{size:{PAPERS[paper]}}}\n.cover{{height:{COVER_HEIGHT[paper]}}}"
    return css


EXHIBITS = ("matrix", "compare", "scores", "costs", "net", "break_even", "lines_pick", "lines_runner",
            "flips", "tornado", "tornado_table", "roadmap", "phases", "risks")


def _exhibits(v: dict[str, Any], chart_set: dict[str, Any]) -> dict[str, str]:
    """Exhibit numbers in reading order, for the exhibits this report has."""
    present = {"compare": v["runner_up"] is not None, "lines_runner": v["runner_up"] is not None,
               "flips": bool(v["flips"]), "tornado_table": bool(v["tornado_rows"]),
               "risks": bool(v["risks"])}
    numbers, n = {}, 0
    for key in EXHIBITS:
        if present.get(key, True) and (key not in chart_set or chart_set[key] is not None):
            n += 1
            numbers[key] = f"Exhibit {n}"
    return numbers


def brand_data(brand: Brand) -> dict[str, Any]:
    """The brand as plain data for templates (never the model itself)."""
    return {"name": brand.name, "footer": brand.footer, "primary_color": brand.primary_color,
            "accent_color": brand.accent_color, "font": brand.font}


def _context(assessment: Assessment, brand: Brand, date: dt.date | None, mode: str,
             paper: str | None, detail: str = "brief") -> dict[str, Any]:
    """Everything a template sees: plain dicts, lists, strings, numbers (tests walk it to be sure)."""
    if brand.logo:
        logo = (_file_data_url(brand.logo, brand.logo_mime or "image/svg+xml") if mode == "html"
                else Path(brand.logo).as_uri())
    else:
        logo = None
    page_css = brand_css(brand, paper)
    if mode == "html":
        styles = "\n".join((font_face_css(brand.font, embed=True), base_css(), screen_css(), page_css))
    else:
        styles = page_css
    v = view.build(assessment, detail=detail)
    numbers = v["numbers"]
    chart_set = charts.all_charts(assessment, brand.primary_text, brand.accent_text, brand.font_family,
                                  budget=numbers["budget_upfront"], deadline=numbers["deadline"],
                                  crossing=numbers["crossing"])
    return {
        "a": assessment.model_dump(mode="json", by_alias=True),
        "v": v,
        "brand": brand_data(brand),
        "logo_url": logo,
        "report_date": view.long_date(date) if date else None,
        "iso_date": date.isoformat() if date else None,
        "mode": mode,
        "detail": detail,
        "paper": paper or "a4",
        # A string the template marks |safe: our CSS, with any "</" defused so it cannot end the <style>.
        "styles": styles.replace("</", "<\\/"),
        "charts": chart_set,
        "exhibits": _exhibits(v, chart_set),
    }


def _render(assessment: Assessment, brand: Brand, templates_dir: str | None, date: dt.date | None,
            mode: str, paper: str | None, detail: str = "brief") -> str:
    env = _environment(str(Path(templates_dir).resolve()) if templates_dir else None)
    context = _context(assessment, brand, date, mode, paper, detail)
    try:
        template = env.get_template(ENTRY)
        return template.render(context)
    except TemplateSyntaxError as exc:
        raise InputError([Problem(file=exc.filename or exc.name or ENTRY, line=exc.lineno or 1,
                                  question="template", message=f"template syntax error: {exc.message}")]) \
            from None
    except (TemplateError, TypeError, AttributeError, ValueError, KeyError, ArithmeticError,
            RecursionError, MemoryError, TimeoutError) as exc:
        if not templates_dir:
            raise
        file, line = _template_position(exc, templates_dir)
        why = {RecursionError: "it includes or calls itself without end",
               MemoryError: "it needs more memory than a report may use",
               TimeoutError: "it ran past the time limit"}.get(type(exc), "")
        message = f"template failed: {type(exc).__name__}: {why or exc}"
        raise InputError([Problem(file=file, line=line, question="template", message=message[:300])]) \
            from None


def _template_position(exc: BaseException, templates_dir: str) -> tuple[str, int]:
    """Where in the consultant's templates it failed: the innermost frame there or, for
    endless recursion, the line repeated most (the include or call that recurses)."""
    root = str(Path(templates_dir).resolve()) + os.sep
    frames = [(frame.filename, frame.lineno or 1) for frame in traceback.extract_tb(exc.__traceback__)
              if frame.filename.startswith(root)]
    if not frames:
        return templates_dir, 1
    if isinstance(exc, RecursionError):
        counts = Counter(frames)
        looping = [f for f in reversed(frames) if counts[f] * 2 >= max(counts.values())]
        # an `extends` line repeats as often as the include it leads back to; name the include
        return max(looping, key=lambda f: ("extends" not in linecache.getline(*f), counts[f]))
    return frames[-1]


def render_html(assessment: Assessment, *, brand_path: str | None = None, templates_dir: str | None = None,
                report_date: str | None = None, detail: str = "brief") -> str:
    """The report as one self-contained HTML file: no request leaves the page."""
    _check_detail(detail)
    brand = _brand(brand_path)
    return _render(assessment, brand, templates_dir, _date(assessment, report_date), "html", None, detail)


def _check_detail(detail: str) -> None:
    if detail not in DETAILS:
        raise ValueError(f"detail must be one of {', '.join(DETAILS)}, not {detail!r}")


# --- PDF ---------------------------------------------------------------------------------------

_pdf_cache: dict[str, Any] = {}
# Drop the cached FontConfiguration while the interpreter is whole: its __del__
# removes a temporary folder and fails noisily during module teardown.
atexit.register(_pdf_cache.clear)


def _stylesheets(font: str):
    """Parsed CSS and the FontConfiguration, built once per process and font family."""
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    with _lock:
        if "fonts" not in _pdf_cache:
            _pdf_cache["fonts"] = FontConfiguration()
        key = f"css:{font}"
        if key not in _pdf_cache:
            from tunewise.report.fetcher import SafeFetcher
            fetcher = SafeFetcher([ASSETS_DIR])
            _pdf_cache[key] = weasyprint.CSS(
                string=font_face_css(font, embed=False) + "\n" + base_css(),
                base_url=ASSETS_DIR.as_uri() + "/", font_config=_pdf_cache["fonts"], url_fetcher=fetcher)
        return _pdf_cache[key], _pdf_cache["fonts"]


def render_pdf(assessment: Assessment, *, paper: str = "a4", variant: str | None = None,
               brand_path: str | None = None, templates_dir: str | None = None,
               report_date: str | None = None, detail: str = "brief") -> bytes:
    """The report as PDF bytes (A4 or US Letter), tagged for accessibility; optionally PDF/A-3u or PDF/UA-1.

    Every PDF carries the structure tree (PDF/UA-1 tagging), and opens with its bookmarks shown.
    """
    if paper not in PAPERS:
        raise ValueError(f"paper must be one of {', '.join(PAPERS)}, not {paper!r}")
    if variant not in VARIANTS:
        raise ValueError(f"variant must be one of {', '.join(v for v in VARIANTS if v)} or None")
    _check_detail(detail)
    brand = _brand(brand_path)
    html = _render(assessment, brand, templates_dir, _date(assessment, report_date), "pdf", paper, detail)

    import weasyprint

    from tunewise.report.fetcher import SafeFetcher

    stylesheet, font_config = _stylesheets(brand.font)
    roots = [ASSETS_DIR] + ([brand.folder] if brand.folder else [])
    fetcher = SafeFetcher(roots)
    # The HTML names our assets (and a brand's logo) by absolute file:// URL; leave the
    # folders out of the identifier so the same report is the same bytes from any checkout.
    location_free = html
    for root in roots:
        location_free = location_free.replace(Path(root).resolve().as_uri(), "")
    identifier = hashlib.sha256(f"{paper}|{variant}|{location_free}".encode()).hexdigest()[:32].encode()
    with _lock, _collector_paused():
        document = weasyprint.HTML(string=html, base_url=ASSETS_DIR.as_uri() + "/", url_fetcher=fetcher)
        options: dict[str, Any] = {"stylesheets": [stylesheet], "font_config": font_config,
                                   "pdf_identifier": identifier, "uncompressed_pdf": False, "pdf_tags": True}
        if variant:
            options["pdf_variant"] = variant
        return document.write_pdf(finisher=_open_with_bookmarks, **options)


def _open_with_bookmarks(document, pdf) -> None:
    """Ask viewers to open the bookmarks pane (the outline) with the document."""
    pdf.catalog["PageMode"] = "/UseOutlines"


@contextmanager
def _collector_paused():
    """Run without Python's cyclic garbage collector, then collect the youngest generation once.

    A report builds hundreds of thousands of short-lived objects (boxes, styles, text layouts).
    With the collector on, the growing heap triggers many full collections that each walk every
    object in the process: about a seventh of the render time. Paused, everything allocated during
    the render stays in generation 0, so one ``gc.collect(0)`` afterwards frees this render's cycles
    without walking the long-lived heap, and memory stays where it was.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect(0)


def warm_up(font: str = "inter") -> None:
    """Import WeasyPrint and parse the stylesheet now (for batch workers), not on the first report."""
    _stylesheets(font)
