"""A portfolio as a live workbook: ``render_portfolio_xlsx(result) -> bytes``.

The Summary sheet holds the programme: totals against the budgets, the funded,
deferred and not-worth-building use cases, people load by quarter and the
shared infrastructure. Each use case then has the single workbook's live sheets
(Answers, Assumptions, Costs, Cash flow; ``report.workbook``), every defined
name prefixed with the use case's own (``support_tickets_upfront_hybrid``), so
a reader can change an answer or a figure of one use case and see its totals,
and the programme's, recompute. Which use cases are funded, when each starts,
what a later start forgoes and what sharing saves are the solver's answers at
export time: values, shown in grey, as the sheet says.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from tunewise.engine.assessment import Assessment
from tunewise.engine.portfolio import ROLE_LABELS, Portfolio, UseCaseEntry
from tunewise.report.workbook import (
    ANSWERS,
    ASSUMPTIONS,
    CASH_FLOW,
    COST_SHEETS,
    COSTS,
    SOURCE_LABELS,
    _document_date,
    _Styles,
    _Writer,
)
from tunewise.report.workbook_model import model_from_assessment

SUMMARY = "Summary"
SHEET_WORDS = {ANSWERS: "Answers", ASSUMPTIONS: "Assumptions", COSTS: "Costs", CASH_FLOW: "Cash flow"}
MAX_SHEET_NAME = 31
NOTE = ("Upfront, monthly and net value of each use case are formulas over its own sheets (converted "
        "into the portfolio's currency): change an answer or a figure there and they recompute here. "
        "Grey italic figures are tunewise's at export time: which use cases are funded and when each "
        "starts, what a later start forgoes, what shared infrastructure saves, and the people load. "
        "Change those by running tunewise portfolio again.")


def render_portfolio_xlsx(result: Portfolio, *, report_date: str | None = None) -> bytes:
    """The portfolio workbook's bytes; the same inputs always give the same bytes."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False,
                                        "strings_to_formulas": False, "strings_to_urls": False})
    date = _document_date(report_date or result.client.get("date"))
    name = result.client.get("name") or ""
    book.set_properties({"title": f"{name}: portfolio cost model", "subject": "tunewise portfolio",
                         "author": "tunewise", "company": name, "created": date})
    _PortfolioWriter(book, result, date).write()
    book.close()
    return buffer.getvalue()


def prefixes(entries: list[UseCaseEntry]) -> dict[str, str]:
    """Each use case's name prefix: its id as a name (letters, digits, _), unique in the book."""
    found: dict[str, str] = {}
    for index, entry in enumerate(entries, start=1):
        slug = re.sub(r"[^A-Za-z0-9]+", "_", entry.id).strip("_").lower() or f"uc{index}"
        if not slug[0].isalpha():
            slug = f"uc_{slug}"
        if f"{slug}_" in found.values():
            slug = f"{slug}_{index}"
        found[entry.id] = f"{slug}_"
    return found


def sheet_titles(entries: list[UseCaseEntry]) -> dict[str, dict[str, str]]:
    """Each use case's sheet titles: '<id> Costs' and so on, cut to fit and never repeated."""
    used = {SUMMARY.lower()}
    titles: dict[str, dict[str, str]] = {}
    longest = max(len(w) for w in SHEET_WORDS.values()) + 1
    for index, entry in enumerate(entries, start=1):
        stem = re.sub(r"[\[\]:*?/\\']+", "-", entry.id)[:MAX_SHEET_NAME - longest]
        if any(f"{stem} {w}".lower() in used for w in SHEET_WORDS.values()):
            stem = f"{stem[:MAX_SHEET_NAME - longest - 4]}~{index}"
        titles[entry.id] = {role: f"{stem} {word}" for role, word in SHEET_WORDS.items()}
        used |= {t.lower() for t in titles[entry.id].values()}
    return titles


def rate_formula(assessment: Assessment, currency: str, prefix: str) -> str:
    """Units of the portfolio's currency per unit of the use case's, over its own fx cells."""
    keys = {a.key for a in assessment.assumptions}

    def fx(code: str) -> str:
        return "1" if code == "USD" or f"fx_{code}" not in keys else f"{prefix}fx_{code}"

    if assessment.currency == currency:
        return "1"
    return f"{fx(currency)}/{fx(assessment.currency)}"


class _PortfolioWriter:
    def __init__(self, book: xlsxwriter.Workbook, result: Portfolio, date: dt.datetime):
        self.book, self.p, self.date = book, result, date
        self.styles = _Styles(book, result.currency)
        self.summary = book.add_worksheet(SUMMARY)
        self.prefixes = prefixes(result.entries)
        self.titles = sheet_titles(result.entries)
        self.defined: set[str] = set()

    def write(self) -> None:
        for entry, assessment in zip(self.p.entries, self.p.use_cases, strict=True):
            writer = _Writer(self.book, assessment, model_from_assessment(assessment), self.date,
                             prefix=self.prefixes[entry.id], titles=self.titles[entry.id],
                             parts=COST_SHEETS, defined=self.defined)
            writer.write()
        self.write_summary()
        self.summary.activate()

    def name(self, entry_id: str, base: str) -> str:
        return self.prefixes[entry_id] + base

    def define(self, name: str, row: int, col: int) -> None:
        self.defined.add(name.lower())
        cell = xl_rowcol_to_cell(row, col, row_abs=True, col_abs=True)
        self.book.define_name(name, f"='{SUMMARY}'!{cell}")

    # --- the Summary sheet ------------------------------------------------------------------
    def write_summary(self) -> None:
        ws, st, p = self.summary, self.styles, self.p
        ws.set_landscape()
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)
        ws.hide_gridlines(2)
        ws.write(0, 0, f"{p.client.get('name') or ''}: portfolio of {len(p.entries)} use cases", st.title)
        ws.write(1, 0, f"tunewise portfolio cost model, {self.date:%Y-%m-%d}. Amounts in {p.currency}; "
                       f"horizon {p.horizon_months} months. Plan: {p.status.replace('_', ' ')}"
                       + (f" ({p.status_reason})" if p.status_reason else "") + ".", st.subtitle)
        ws.merge_range(2, 0, 2, 9, NOTE, st.note)
        ws.set_row(2, 48)
        row = self.funded(5)
        totals_row = self.totals(row + 2)
        row = self.set_aside(totals_row + 2, "Deferred", p.deferred)
        row = self.set_aside(row + 2, "Not worth building", p.not_worth_building)
        row = self.people(row + 2)
        self.shared(row + 2)
        ws.set_column(0, 0, 34)
        ws.set_column(1, 1, 46)
        ws.set_column(2, 3, 16)
        ws.set_column(4, 8, 15)
        ws.set_column(9, 9, 60)

    def money_cell(self, row: int, col: int, formula: str, cached: float) -> None:
        self.summary.write_formula(row, col, formula, self.styles.formula_money, cached)

    def funded(self, row: int) -> int:
        ws, st, p = self.summary, self.styles, self.p
        ws.write(row, 0, "Funded", st.heading)
        row += 1
        ws.write_row(row, 0, ("Use case", "Strategy", "Starts", "Live by", "Upfront", "Monthly",
                              "Net value (own)", "Forgone by start", "Net value", "Costs sheet"), st.header)
        ws.set_row(row, 30)
        self.funded_rows = (row + 1, row + len(p.funded))
        for item in p.funded:
            row += 1
            entry = p.entry(item.id)
            assessment = p.assessment(item.id)
            rate = rate_formula(assessment, p.currency, self.prefixes[item.id])
            ws.write_string(row, 0, item.project + (" (must do)" if item.must_do else ""), st.label)
            ws.write_string(row, 1, f"{entry.figures.strategy_label}, {SOURCE_LABELS[item.model_source]}",
                            st.computed_label)
            ws.write_string(row, 2, item.start_label, st.computed_label)
            ws.write_string(row, 3, item.live_label, st.computed_label)
            for col, base, cached in ((4, "upfront", item.upfront), (5, "monthly", item.monthly),
                                      (6, "net_value", entry.figures.net_value)):
                self.money_cell(row, col, f"={self.name(item.id, f'{base}_{item.strategy}')}*{rate}",
                                cached)
            forgone = round(entry.figures.net_value - item.net_value, 2)
            ws.write_number(row, 7, forgone, st.computed_money)
            own, lost = xl_rowcol_to_cell(row, 6), xl_rowcol_to_cell(row, 7)
            self.money_cell(row, 8, f"={own}-{lost}", item.net_value)
            ws.write_string(row, 9, self.titles[item.id][COSTS], st.remark)
        return row

    def totals(self, row: int) -> int:
        """Totals against the budgets; returns the last row written."""
        ws, st, t = self.summary, self.styles, self.p.totals
        ws.write(row, 0, "Totals against the budgets", st.heading)
        row += 1
        ws.write_row(row, 0, ("Measure", "", "", "", "Funded set", "Budget", "Left", "Used"), st.header)
        first, last = self.funded_rows
        saving_horizon = sum(s.saving_over_horizon for s in self.p.shared)

        def column(col: int) -> str:
            if last < first:
                return "0"
            return f"SUM({xl_rowcol_to_cell(first, col)}:{xl_rowcol_to_cell(last, col)})"

        row += 1
        ws.write_string(row, 0, "Shared infrastructure saves (a month / over the horizon)")
        ws.write_number(row, 5, t.shared_saving_monthly, st.computed_money)
        ws.write_number(row, 8, saving_horizon, st.computed_money)
        saving_row = row
        lines = (("Upfront", "upfront", f"={column(4)}", t.upfront, t.budget_upfront),
                 ("Monthly, once everything funded is live", "monthly",
                  f"={column(5)}-{xl_rowcol_to_cell(saving_row, 5)}", t.monthly, t.budget_monthly),
                 ("Risk-adjusted net value", "net_value",
                  f"={column(8)}+{xl_rowcol_to_cell(saving_row, 8)}", t.net_value, None))
        for label, key, formula, cached, budget in lines:
            row += 1
            ws.write_string(row, 0, label, st.label)
            self.money_cell(row, 4, formula, cached)
            self.define(f"portfolio_{key}", row, 4)
            if budget is not None:
                ws.write_number(row, 5, budget, st.input_money)
                self.define(f"portfolio_budget_{key}", row, 5)
                total, limit = xl_rowcol_to_cell(row, 4), xl_rowcol_to_cell(row, 5)
                self.money_cell(row, 6, f"={limit}-{total}", budget - cached)
                ws.write_formula(row, 7, f"=IF({limit}>0,{total}/{limit},0)", st.share_pct,
                                 cached / budget if budget else 0)
        return row

    def set_aside(self, row: int, heading: str, items) -> int:
        ws, st = self.summary, self.styles
        ws.write(row, 0, f"{heading} ({len(items)})", st.heading)
        if not items:
            ws.write(row + 1, 0, "None.", st.remark)
            return row + 1
        row += 1
        ws.write_row(row, 0, ("Use case", "Strategy", "", "", "Upfront", "Monthly", "Net value (own)",
                              "", "", "Why"), st.header)
        for item in items:
            row += 1
            entry = self.p.entry(item.id)
            assessment = self.p.assessment(item.id)
            rate = rate_formula(assessment, self.p.currency, self.prefixes[item.id])
            f = entry.figures
            ws.write_string(row, 0, item.project, st.label)
            ws.write_string(row, 1, f"{f.strategy_label}, {SOURCE_LABELS[f.model_source]}", st.computed_label)
            for col, base, cached in ((4, "upfront", item.upfront), (5, "monthly", item.monthly),
                                      (6, "net_value", item.net_value)):
                self.money_cell(row, col, f"={self.name(item.id, f'{base}_{f.strategy}')}*{rate}", cached)
            ws.write_string(row, 9, item.reason, st.computed_label)
        return row

    def people(self, row: int) -> int:
        ws, st, p = self.summary, self.styles, self.p
        ws.write(row, 0, "People load by quarter (person-weeks used of those available)", st.heading)
        row += 1
        roles = list(ROLE_LABELS)
        headers = ["Quarter", "Starting"]
        for role in roles:
            headers += [ROLE_LABELS[role][:1].upper() + ROLE_LABELS[role][1:], "available"]
        ws.write_row(row, 0, headers, st.header)
        for quarter in p.roadmap:
            row += 1
            ws.write_string(row, 0, quarter.label, st.label)
            ws.write_string(row, 1, ", ".join(p.entry(i).project for i in quarter.starting) or "none",
                            st.computed_label)
            for index, role in enumerate(roles):
                ws.write_number(row, 2 + 2 * index, quarter.load.get(role, 0.0), st.computed)
                ws.write_number(row, 3 + 2 * index, quarter.capacity.get(role, 0.0), st.computed)
        return row

    def shared(self, row: int) -> int:
        ws, st, p = self.summary, self.styles, self.p
        ws.write(row, 0, "Shared infrastructure", st.heading)
        if not p.shared:
            ws.write(row + 1, 0, "No two funded use cases need the same infrastructure.", st.remark)
            return row + 1
        row += 1
        ws.write_row(row, 0, ("Shared", "Used by", "Host", "", "Saved a month", "Months",
                              "Over the horizon", "", "", "How"), st.header)
        for s in p.shared:
            row += 1
            ws.write_string(row, 0, s.label, st.label)
            ws.write_string(row, 1, ", ".join(p.entry(i).project for i in s.members), st.computed_label)
            ws.write_string(row, 2, p.entry(s.host).project, st.computed_label)
            ws.write_number(row, 4, s.monthly_saving, st.computed_money)
            ws.write_number(row, 5, s.months, st.computed)
            ws.write_number(row, 6, s.saving_over_horizon, st.computed_money)
            ws.write_string(row, 9, s.basis, st.computed_label)
        return row
