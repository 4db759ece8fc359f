"""The portfolio report (HTML and PDF), through the single report's sandbox, brand and PDF machinery.

Public API, as the CLI calls it::

    render_portfolio_html(result, *, brand_path=None, report_date=None) -> str
    render_portfolio_pdf(result, *, paper="a4", brand_path=None, report_date=None) -> bytes

Each use case's own report is written beside the portfolio report under
``<use case id>.html`` / ``.pdf``; the HTML links to it, the PDF names it.
Output depends only on the inputs: the same result, brand and date give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined

from tunewise.engine.money import fmt, short
from tunewise.engine.portfolio import ROLE_LABELS, Portfolio, UseCaseEntry
from tunewise.report import render, view, wording
from tunewise.report.brand import ASSETS_DIR, TEMPLATES_ROOT, Brand
from tunewise.report.portfolio_charts import portfolio_charts, ranked

OUR_TEMPLATES = TEMPLATES_ROOT / "portfolio"
ENTRY = "portfolio.html.j2"
CSS_FILE = OUR_TEMPLATES / "portfolio.css"
SOURCE_SHORT = {"closed_api": "closed API", "open_weights": "open weights, self-hosted"}
VERDICT_WORDS = {"build": "worth building", "do_not_build": "not worth building",
                 "outside_constraints": "outside its own budget or deadline"}


@lru_cache(maxsize=1)
def _environment() -> render.ReportSandbox:
    env = render.ReportSandbox(loader=FileSystemLoader(str(OUR_TEMPLATES)), autoescape=True,
                               undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(render.FILTERS)
    env.filters.update({"num": _num, "quantity": wording.quantity,
                        "money": lambda amount, currency: fmt(amount, currency),
                        "short": lambda amount, currency: short(amount, currency)})
    return env


def _num(value: float | None, digits: int = 0) -> str:
    return "n/a" if value is None else f"{value:,.{digits}f}"


@lru_cache(maxsize=1)
def portfolio_css() -> str:
    return CSS_FILE.read_text(encoding="utf-8")


class _Wording:
    """Wording and derived figures the template needs, worked out here from one result."""

    def __init__(self, result: Portfolio, mode: str):
        self.p, self.mode = result, mode
        self.currency = result.currency
        self.status = {item.id: "funded" for item in result.funded}
        self.status |= {item.id: "deferred" for item in result.deferred}
        self.status |= {item.id: "not worth building" for item in result.not_worth_building}

    def short(self, amount: float) -> str:
        return short(amount, self.currency)

    def role(self, role: str) -> str:
        return ROLE_LABELS.get(role, role)

    def source(self, source: str) -> str:
        return SOURCE_SHORT.get(source, source)

    def headline(self) -> str:
        p = self.p
        if p.status == "infeasible":
            return "No plan fits: the must-do use cases cannot all be funded."
        count = len(p.funded)
        of = len(p.entries)
        if not count:
            return f"None of the {of} use cases can be funded within the budgets and people given."
        noun = "use case" if count == 1 else "use cases"
        return (f"Fund {count} of {of} {noun} for {self.short(p.totals.upfront)} upfront and "
                f"{self.short(p.totals.monthly)} a month, returning {self.short(p.totals.net_value)} in "
                f"risk-adjusted net value over {p.horizon_months} months.")

    def peak_load(self) -> dict[str, float]:
        return {role: max((q.load.get(role, 0.0) for q in self.p.roadmap), default=0.0)
                for role in ROLE_LABELS}

    def sensitivity_lines(self) -> list[str]:
        changing, seen = [], set()
        for step in self.p.budget_sensitivity:
            outcome = (step.extra_upfront > 0, tuple(step.newly_funded), tuple(step.no_longer_funded))
            if (step.newly_funded or step.no_longer_funded) and outcome not in seen:
                seen.add(outcome)
                changing.append(step.text)
        if changing:
            return changing
        steps = self.p.budget_sensitivity
        if not steps:
            return []
        most_up = max((s.extra_upfront for s in steps), default=0.0)
        most_month = max((s.extra_monthly for s in steps), default=0.0)
        return [f"Up to {self.short(most_up)} more upfront or {self.short(most_month)} more a month, the "
                f"funded set would not change: people or value, not money, set its limit."]

    def report_link(self, entry: UseCaseEntry) -> str:
        return f"{entry.id}.{'html' if self.mode == 'html' else 'pdf'}"

    def paragraph(self, entry: UseCaseEntry) -> str:
        f, p = entry.figures, self.p
        a = p.assessment(entry.id)
        spread = ""
        if f.net_value_p10 is not None and f.net_value_p90 is not None and f.net_value_p10 != f.net_value_p90:
            spread = f" (P10 {self.short(f.net_value_p10)}, P90 {self.short(f.net_value_p90)})"
        text = (f"{a.client.name} asks for {entry.project}. Its own assessment recommends {f.strategy_label} "
                f"on {self.source(f.model_source)} and finds it {VERDICT_WORDS[entry.verdict]}: "
                f"{self.short(f.upfront)} upfront, {self.short(f.monthly)} a month, live in "
                f"{f.weeks_to_live:g} weeks, {self.short(f.net_value)} risk-adjusted net value{spread}.")
        if entry.currency != p.currency:
            text += f" Its figures are converted from {entry.currency}."
        weeks = [f"{w:,.1f} {self.role(r)} person-weeks" for r, w in f.people_weeks.items() if w]
        text += (f" Building it takes {' and '.join(weeks)}." if weeks
                 else " Its build is bought in, so it takes none of the team's time.")
        funded = next((item for item in p.funded if item.id == entry.id), None)
        if funded:
            text += f" Funded: it starts in {funded.start_label} and is live by {funded.live_label}."
        else:
            aside = next(x for x in (*p.deferred, *p.not_worth_building) if x.id == entry.id)
            text += f" {'Deferred' if self.status[entry.id] == 'deferred' else 'Not funded'}: {aside.reason}"
        if entry.must_do:
            text += " The client marked it must-do."
        return text

    def entry(self, entry: UseCaseEntry) -> dict[str, Any]:
        """A use case as the template sees it: its fields, status, paragraph and report link."""
        return entry.model_dump(mode="json") | {
            "status": self.status[entry.id], "paragraph": self.paragraph(entry),
            "report_link": self.report_link(entry)}

    def build(self) -> dict[str, Any]:
        p = self.p
        t = p.totals
        peak = self.peak_load()
        return {
            "headline": self.headline(),
            "entries": [self.entry(e) for e in p.entries],
            "ranked": [self.entry(e) for e in ranked(p.entries)],
            "projects": {e.id: e.project for e in p.entries},
            "sensitivity_lines": self.sensitivity_lines(),
            "people_rows": [{"title": self.role(role)[:1].upper() + self.role(role)[1:], "peak": load,
                             "available": p.people.get(role, 0.0),
                             "used": _used(load, p.people.get(role, 0.0))}
                            for role, load in peak.items()],
            "used_upfront": _used(t.upfront, t.budget_upfront),
            "used_monthly": _used(t.monthly, t.budget_monthly),
            "start_quarters": next((x.value for x in p.assumptions if x.key == "portfolio_start_quarters"),
                                   None),
        }


def _used(amount: float, budget: float) -> str:
    return wording.pct(amount / budget) if budget else "n/a"


def _context(result: Portfolio, brand: Brand, date: dt.date | None, mode: str, paper: str | None
             ) -> dict[str, Any]:
    """Everything the template sees: plain dicts, lists, strings and numbers, never an object
    with methods (tests walk it to be sure)."""
    if brand.logo:
        logo = (render._file_data_url(brand.logo, brand.logo_mime or "image/svg+xml") if mode == "html"
                else Path(brand.logo).as_uri())
    else:
        logo = None
    page_css = render.brand_css(brand, paper) + "\n" + portfolio_css()
    if mode == "html":
        styles = "\n".join((render.font_face_css(brand.font, embed=True), render.base_css(),
                            render.screen_css(), page_css))
    else:
        styles = page_css
    return {
        "p": result.model_dump(mode="json", by_alias=True),
        "v": _Wording(result, mode).build(),
        "brand": render.brand_data(brand),
        "logo_url": logo,
        "report_date": view.long_date(date) if date else None,
        "iso_date": date.isoformat() if date else None,
        "mode": mode,
        # A string the template marks |safe: our CSS, with any "</" defused so it cannot end the <style>.
        "styles": styles.replace("</", "<\\/"),
        "charts": portfolio_charts(result, brand.primary_text, brand.accent_text, brand.font_family),
    }


def _date(result: Portfolio, report_date: str | None) -> dt.date | None:
    value = report_date or result.client.get("date")
    return dt.date.fromisoformat(str(value)) if value else None


def _render(result: Portfolio, brand_path: str | None, report_date: str | None, mode: str,
            paper: str | None) -> str:
    brand = render._brand(brand_path)
    context = _context(result, brand, _date(result, report_date), mode, paper)
    return _environment().get_template(ENTRY).render(context)


def render_portfolio_html(result: Portfolio, *, brand_path: str | None = None,
                          report_date: str | None = None) -> str:
    """The portfolio report as one self-contained HTML file."""
    return _render(result, brand_path, report_date, "html", None)


def render_portfolio_pdf(result: Portfolio, *, paper: str = "a4", brand_path: str | None = None,
                         report_date: str | None = None) -> bytes:
    """The portfolio report as PDF bytes, with the single report's stylesheet, fonts and URL fetcher."""
    if paper not in render.PAPERS:
        raise ValueError(f"paper must be one of {', '.join(render.PAPERS)}, not {paper!r}")
    html = _render(result, brand_path, report_date, "pdf", paper)
    brand = render._brand(brand_path)

    import weasyprint

    from tunewise.report.fetcher import SafeFetcher

    stylesheet, font_config = render._stylesheets(brand.font)
    roots = [ASSETS_DIR] + ([brand.folder] if brand.folder else [])
    location_free = html
    for root in roots:
        location_free = location_free.replace(Path(root).resolve().as_uri(), "")
    identifier = hashlib.sha256(f"portfolio|{paper}|{location_free}".encode()).hexdigest()[:32].encode()
    with render._lock, render._collector_paused():
        document = weasyprint.HTML(string=html, base_url=ASSETS_DIR.as_uri() + "/",
                                   url_fetcher=SafeFetcher(roots))
        return document.write_pdf(stylesheets=[stylesheet], font_config=font_config,
                                  pdf_identifier=identifier, uncompressed_pdf=False)
