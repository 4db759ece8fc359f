"""The cost model as a live workbook: ``render_xlsx(assessment) -> bytes``.

Sheets: Summary (recommendation, verdict, decision matrix, cumulative net value
chart), Answers and Assumptions (the inputs, one defined name per question id
and catalogue key), Costs (every line and total of every strategy on its
chosen model source), Cash flow (month by month) and Sensitivity (the tornado,
as computed by tunewise). Cost lines and totals are written as formulas from
the engine's own expressions (see ``report.excel_formula``), so changing an
input cell recomputes them the way tunewise would; choice answers and priced
effects too (``report.workbook_choices``). Gates, ranking, verdict, the model
source of each strategy and the Monte Carlo figures stay values: the sheet
cannot recompute them.

The same assessment gives the same bytes: the document date is fixed (the
report's date, else a constant), and XlsxWriter stamps zip entries with a
constant time.
"""

from __future__ import annotations

import ast
import datetime as dt
import io
import math
from collections.abc import Iterable

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from tunewise.engine.assessment import Assessment, StrategyResult
from tunewise.engine.money import localise
from tunewise.report.excel_formula import fold, is_valid_name, number, to_excel
from tunewise.report.workbook_model import Model, Quantity, model_from_assessment, symbol_format

SUMMARY, ANSWERS, ASSUMPTIONS, COSTS, CASH_FLOW, SENSITIVITY = (
    "Summary", "Answers", "Assumptions", "Costs", "Cash flow", "Sensitivity")
FIXED_DATE = dt.datetime(2000, 1, 1)
SOURCE_LABELS = {"closed_api": "Closed API", "open_weights": "Open weights, self-hosted"}
GROUP_TITLES = {"upfront": "Upfront", "monthly": "Monthly, once live",
                "benefit": "Benefit a month, at full use", "hidden": "Hidden costs (not in totals)"}
WEEKS_PER_MONTH = "(52/12)"
CASH_FLOW_MONTHS = 60
CASH_FLOW_NOTE = (
    "Month 0 carries the upfront cost; running costs and benefits start once the strategy is live "
    "(the live share is the part of the month it runs). Benefits ramp up over the adoption period "
    "and count only if the build succeeds (its probability of success); each month is discounted "
    "at the annual rate. The last cumulative figure is the risk-adjusted net value. Months past "
    "the horizon (the horizon_months assumption) count nothing.")
TUNEWISE_NOTE = ("Grey italic figures are values tunewise computed at export time; the sheet does "
                 "not recompute them. Ranking, gates, verdict, each strategy's model source, P10/P90 "
                 "and the tornado change only when tunewise is run again.")


def render_xlsx(assessment: Assessment, *, report_date: str | None = None,
                model: Model | None = None) -> bytes:
    """The workbook's bytes; the same inputs always give the same bytes."""
    model = model or model_from_assessment(assessment)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False,
                                        "strings_to_formulas": False, "strings_to_urls": False})
    date = _document_date(report_date or assessment.client.date)
    book.set_properties({"title": f"{assessment.client.project}: cost model",
                         "subject": "tunewise cost model", "author": "tunewise",
                         "company": assessment.client.name, "created": date})
    writer = _Writer(book, assessment, model, date)
    writer.write()
    book.close()
    return buffer.getvalue()


def _document_date(text: str | None) -> dt.datetime:
    if not text:
        return FIXED_DATE
    day = dt.date.fromisoformat(text)
    return dt.datetime(day.year, day.month, day.day)


def _absolute(sheet: str, row: int, col: int) -> str:
    return f"='{sheet}'!{xl_rowcol_to_cell(row, col, row_abs=True, col_abs=True)}"


class _Styles:
    def __init__(self, book: xlsxwriter.Workbook, currency: str):
        money = symbol_format(currency)
        add = book.add_format
        self.title = add({"bold": True, "font_size": 16, "font_color": "#1F3A5F"})
        self.subtitle = add({"italic": True, "font_color": "#555555"})
        self.heading = add({"bold": True, "font_size": 12, "font_color": "#1F3A5F", "bottom": 1})
        self.header = add({"bold": True, "bg_color": "#DCE6F1", "bottom": 1, "text_wrap": True,
                           "valign": "top"})
        self.label = add({"bold": True, "valign": "top"})
        self.text = add({})
        self.plain = add({})
        self.note = add({"italic": True, "font_color": "#555555", "text_wrap": True,
                         "valign": "top"})
        self.remark = add({"italic": True, "font_color": "#555555"})  # one line, runs across
        self.warning = add({"bold": True, "font_color": "#9C0006", "text_wrap": True})
        # inputs: blue figures on pale yellow, the usual convention for cells a reader may change
        self.input = add({"font_color": "#0000FF", "bg_color": "#FFF2CC", "border": 1,
                          "border_color": "#BFBFBF"})
        self.input_money = add({"font_color": "#0000FF", "bg_color": "#FFF2CC", "border": 1,
                                "border_color": "#BFBFBF", "num_format": money})
        self.formula = add({"num_format": "#,##0.####"})
        self.formula_money = add({"num_format": money})
        self.computed = add({"italic": True, "font_color": "#7F7F7F", "num_format": "#,##0.##"})
        self.computed_money = add({"italic": True, "font_color": "#7F7F7F", "num_format": money})
        self.computed_share = add({"italic": True, "font_color": "#7F7F7F", "num_format": "0%"})
        self.computed_label = add({"italic": True, "font_color": "#7F7F7F"})
        self.computed_text = add({"italic": True, "font_color": "#7F7F7F", "text_wrap": True,
                                  "valign": "top"})
        self.share = add({"num_format": "0.000"})
        self.share_pct = add({"num_format": "0%"})
        self.month = add({"num_format": "0", "bold": True})


ALL_SHEETS = (SUMMARY, ANSWERS, ASSUMPTIONS, COSTS, CASH_FLOW, SENSITIVITY)
COST_SHEETS = (ANSWERS, ASSUMPTIONS, COSTS, CASH_FLOW)  # the live model, without the export's verdict


class _Writer:
    """Writes one assessment's sheets. A portfolio workbook holds several, so every defined
    name can carry a ``prefix`` and every sheet a title of its own (``titles``: role -> title)."""

    def __init__(self, book: xlsxwriter.Workbook, assessment: Assessment, model: Model,
                 date: dt.datetime, *, prefix: str = "", titles: dict[str, str] | None = None,
                 parts: tuple[str, ...] = ALL_SHEETS, defined: set[str] | None = None):
        self.book, self.a, self.model, self.date = book, assessment, model, date
        self.prefix, self.parts = prefix, parts
        self.styles = _Styles(book, assessment.currency)
        self.defined: set[str] = set() if defined is None else defined
        self.sheets = {role: book.add_worksheet((titles or {}).get(role, role)) for role in parts}

    def n(self, name: str) -> str:
        """A name as this workbook defines it."""
        return self.prefix + name

    def write(self) -> None:
        for role, sheet in self.sheets.items():
            sheet.set_landscape()
            sheet.set_paper(9)  # A4
            sheet.fit_to_pages(1, 0)
            sheet.hide_gridlines(2 if role == SUMMARY else 0)
        self.answers()
        self.assumptions()
        self.costs()
        last_row = self.cash_flow()
        if SENSITIVITY in self.parts:
            self.sensitivity()
        if SUMMARY in self.parts:
            self.summary(last_row)
            self.sheets[SUMMARY].activate()

    # --- names and cells ---------------------------------------------------------
    def define(self, name: str, sheet: str, row: int, col: int, last_row: int | None = None) -> None:
        """Name one cell, or the column of cells from ``row`` to ``last_row``."""
        name = self.n(name)
        if not is_valid_name(name):
            raise ValueError(f"{name!r} cannot be a defined name in a workbook")
        if name.lower() in self.defined:
            raise ValueError(f"{name!r} is defined twice in the workbook")
        self.defined.add(name.lower())
        reference = _absolute(self.sheets[sheet].name, row, col)
        if last_row is not None and last_row != row:
            reference += ":" + xl_rowcol_to_cell(last_row, col, row_abs=True, col_abs=True)
        self.book.define_name(name, reference)

    def put(self, sheet: str, row: int, col: int, q: Quantity) -> None:
        """One quantity's named cell: an input, or the cost model's formula (with tunewise's
        result as the cached value, for viewers that do not recalculate)."""
        ws, st = self.sheets[sheet], self.styles
        if q.formula is not None:
            cached = q.value if isinstance(q.value, int | float) and math.isfinite(q.value) else 0
            style = st.formula_money if q.unit == "money" else st.formula
            ws.write_formula(row, col, to_excel(q.formula, self.n), style, cached)
        elif isinstance(q.value, str):  # a choice, picked from its table's list
            ws.write_string(row, col, q.value, st.input)
        else:
            ws.write_number(row, col, float(q.value or 0), st.input)
        self.define(q.name, sheet, row, col)

    # --- Answers -------------------------------------------------------------------
    def answers(self) -> None:
        ws, st = self.sheets[ANSWERS], self.styles
        ws.write(0, 0, "Answers", st.title)
        ws.write(1, 0, "One row per question answered, each value cell named by question id. Yellow "
                       "cells are inputs the formulas read: yes/no as 1 or 0, a choice from its list. "
                       "The tables below turn each choice into the figures the costs use, and the "
                       "rules' priced effects follow the answers; gates and the verdict do not "
                       "(see Summary).", st.remark)
        row = 3
        ws.write_row(row, 0, ("Question id", "Question", "Value", "In words", "Unit", "Note"),
                     st.header)
        for q in self.model.of_kind("answer"):
            row += 1
            ws.write_string(row, 0, q.name)
            ws.write_string(row, 1, q.label, st.text)
            self.put(ANSWERS, row, 2, q)
            ws.write_string(row, 3, q.words, st.text)
            ws.write_string(row, 4, q.unit)
            ws.write_string(row, 5, q.basis, st.remark)
            if q.unit == "1 = yes, 0 = no":
                ws.data_validation(row, 2, row, 2, {"validate": "integer", "criteria": "between",
                                                    "minimum": 0, "maximum": 1})
            elif self.model.table_for(q.name) is not None:
                cell = xl_rowcol_to_cell(row, 2)
                words, choices = self.n(f"words_{q.name}"), self.n(f"choices_{q.name}")
                ws.write_formula(row, 3, f"=INDEX({words},MATCH({cell},{choices},0))", st.text, q.words)
                ws.data_validation(row, 2, row, 2, {
                    "validate": "list", "source": "=" + self.n(f"choices_{q.name}"),
                    "error_title": "Not one of the choices",
                    "error_message": "Pick one of the choices listed for this question."})
        for table in self.model.tables:
            row = self.choice_table(table, row + 3)
        ws.set_column(0, 0, 22)
        ws.set_column(1, 1, 52)
        ws.set_column(2, 2, 16)
        ws.set_column(3, 3, 28)
        ws.set_column(4, 5, 18)
        ws.freeze_panes(4, 0)

    def choice_table(self, table, row: int) -> int:
        """A choice question's choices and, per lookup, each choice's figure; returns the last row."""
        ws, st = self.sheets[ANSWERS], self.styles
        ws.write(row, 0, f"Choices for {table.question}", st.heading)
        row += 1
        ws.write_row(row, 0, ("Choice", "In words", *(c.header for c in table.columns)), st.header)
        if table.columns:
            ws.set_row(row, 45)  # room for a lookup's label over three lines
        first = row + 1
        for index, (choice, words) in enumerate(zip(table.choices, table.words, strict=True)):
            row = first + index
            ws.write_string(row, 0, choice)
            ws.write_string(row, 1, words, st.text)
            for col, column in enumerate(table.columns, start=2):
                ws.write_formula(row, col, to_excel(column.entries[index], self.n), st.formula,
                                 self.model.entry_values[(column.name, index)])
        for col, name in enumerate(table.names):
            self.define(name, ANSWERS, first, col, last_row=row)
        return row

    # --- Assumptions -----------------------------------------------------------------
    def assumptions(self) -> None:
        ws, st = self.sheets[ASSUMPTIONS], self.styles
        ws.write(0, 0, "Assumptions", st.title)
        ws.write(1, 0, f"Every catalogue figure, money in {self.a.currency} (converted from the "
                       "catalogue's US dollars). Value cells are inputs named by catalogue key; "
                       "low and high are the range the sensitivity analysis uses.", st.remark)
        row = 3
        ws.write_row(row, 0, ("Key", "Figure", "Value", "Low", "High", "Unit", "Source", "As of",
                              "Kind", "Overridden"), st.header)
        for q in self.model.of_kind("assumption"):
            row += 1
            ws.write_string(row, 0, q.name)
            ws.write_string(row, 1, q.label, st.text)
            self.put(ASSUMPTIONS, row, 2, q)
            for col, bound in ((3, q.low), (4, q.high)):
                if bound is not None:
                    ws.write_number(row, col, bound, st.plain)
            ws.write_string(row, 5, q.unit)
            ws.write_string(row, 6, q.source, st.text)
            ws.write_string(row, 7, q.as_of)
            ws.write_string(row, 8, q.source_kind)
            ws.write_string(row, 9, "yes" if q.overridden else "")
        ws.set_column(0, 0, 32)
        ws.set_column(1, 1, 44)
        ws.set_column(2, 4, 14)
        ws.set_column(5, 5, 24)
        ws.set_column(6, 6, 60)
        ws.set_column(7, 9, 10)
        ws.freeze_panes(4, 0)

    # --- Costs --------------------------------------------------------------------------
    def costs(self) -> None:
        ws, st = self.sheets[COSTS], self.styles
        ws.write(0, 0, "Costs", st.title)
        ws.write(1, 0, "Every quantity, line and total is the cost model's own formula over the "
                       "named answer and assumption cells: change an input and it recomputes. The "
                       "basis in words shows the figures at export time.", st.remark)
        row = 3
        ws.write_row(row, 0, ("Quantity", "Amount", "Unit", "Basis (figures at export) or formula",
                              "Name"), st.header)
        shared = [q for q in self.model.quantities if q.strategy is None and not q.is_input]
        if shared:
            row = self.group_rows(row + 2, "Quantities shared by every strategy", shared, st.heading)
        for s in self.a.strategies:
            row = self.strategy_block(s, row + 2)
        ws.set_column(0, 0, 50)
        ws.set_column(1, 1, 16)
        ws.set_column(2, 2, 22)
        ws.set_column(3, 3, 110)
        ws.set_column(4, 4, 30)
        ws.freeze_panes(4, 1)

    def group_rows(self, row: int, heading: str, quantities: Iterable[Quantity], style) -> int:
        """A heading and one row per quantity; returns the last row written."""
        ws, st = self.sheets[COSTS], self.styles
        ws.write(row, 0, heading, style)
        for q in quantities:
            row += 1
            ws.write_string(row, 0, q.label)
            self.put(COSTS, row, 1, q)
            ws.write_string(row, 2, self.a.currency if q.unit == "money" else q.unit)
            ws.write_string(row, 3, q.basis or _readable(q.formula or ""))
            ws.write_string(row, 4, q.name, st.remark)
        return row

    def strategy_block(self, s: StrategyResult, row: int) -> int:
        ws, st = self.sheets[COSTS], self.styles
        ws.write(row, 0, f"{s.rank}. {s.label}: {SOURCE_LABELS[s.model_source]}", st.heading)
        if not s.eligible:
            ws.write(row, 3, "Not eligible: " + "; ".join(s.excluded_because), st.computed_label)
        quantities = self.model.for_strategy(s.id)
        groups = [("Working", [q for q in quantities if q.kind == "derived"])]
        groups += [(heading, [q for q in quantities if q.kind == "line" and q.group == group])
                   for group, heading in GROUP_TITLES.items()]
        groups.append(("Totals", [q for q in quantities if q.kind == "total"]))
        for heading, members in groups:
            if members:
                row = self.group_rows(row + 1, heading, members, st.label)
        return row

    # --- Cash flow ----------------------------------------------------------------------
    def cash_flow(self) -> int:
        """Month-by-month cash flow per strategy; returns the row of the horizon's last month.

        Rows run to at least CASH_FLOW_MONTHS, and months past the ``horizon_months``
        cell count nothing, so a reader can shorten or lengthen the horizon in place.
        """
        ws, st = self.sheets[CASH_FLOW], self.styles
        ws.write(0, 0, "Cash flow", st.title)
        ws.write(1, 0, CASH_FLOW_NOTE, st.remark)
        top = 4
        ws.write_row(top, 0, ("Month", "Discount factor"), st.header)
        columns = ("Live share", "Cost", "Benefit", "Net", "Discounted net", "Cumulative")
        for index, s in enumerate(self.a.strategies):
            first = 2 + index * len(columns)
            ws.merge_range(top - 1, first, top - 1, first + len(columns) - 1,
                           f"{s.label} ({SOURCE_LABELS[s.model_source]})", st.header)
            ws.write_row(top, first, columns, st.header)
        months = max(self.a.horizon_months, CASH_FLOW_MONTHS)
        for month in range(months + 1):
            row = top + 1 + month
            ws.write_number(row, 0, month, st.month)
            t = xl_rowcol_to_cell(row, 0, col_abs=True)
            ws.write_formula(row, 1, f"=(1+{self.n('discount_rate_annual')})^(-{t}/12)" if month else "=1",
                             st.share)
            for index, s in enumerate(self.a.strategies):
                self.cash_flow_cells(row, 2 + index * len(columns), s.id, month)
        for index, s in enumerate(self.a.strategies):
            self.define(f"net_value_{s.id}", CASH_FLOW, top + 1 + months,
                        2 + index * len(columns) + 5)
        ws.set_column(0, 1, 10)
        ws.set_column(2, 2 + len(columns) * len(self.a.strategies), 12)
        ws.freeze_panes(top + 1, 2)
        return top + 1 + self.a.horizon_months

    def cash_flow_cells(self, row: int, col: int, strategy: str, month: int) -> None:
        ws, st = self.sheets[CASH_FLOW], self.styles
        t = xl_rowcol_to_cell(row, 0, col_abs=True)
        share, cost, benefit, net, disc = (xl_rowcol_to_cell(row, col + i) for i in range(5))
        factor = xl_rowcol_to_cell(row, 1, col_abs=True)
        live = self.n(self.model.name_for("live_months", strategy))
        if month == 0:
            ws.write_number(row, col, 0, st.share)
            ws.write_formula(row, col + 1, "=" + self.n(f"upfront_{strategy}"), st.formula_money)
            ws.write_formula(row, col + 2, "=0" + self.one_off_term(strategy, t, live), st.formula_money)
        else:
            ws.write_formula(row, col, f"=IF({t}>{self.n('horizon_months')},0,MAX(0,MIN(1,{t}-{live})))",
                             st.share)
            ws.write_formula(row, col + 1, f"={self.n('monthly_' + strategy)}*{share}", st.formula_money)
            ws.write_formula(row, col + 2, self.benefit_formula(strategy, t, share, live)
                             + self.one_off_term(strategy, t, live), st.formula_money)
        ws.write_formula(row, col + 3, f"={benefit}-{cost}", st.formula_money)
        ws.write_formula(row, col + 4, f"={net}*{factor}", st.formula_money)
        previous = xl_rowcol_to_cell(row - 1, col + 5) if month else None
        ws.write_formula(row, col + 5, f"={previous}+{disc}" if previous else f"={disc}",
                         st.formula_money)

    def one_off_term(self, strategy: str, t: str, live: str) -> str:
        """Owned weights: a one-off benefit at the end of the month the system goes live, if the
        build succeeds (as the engine counts it). ``live`` is the live-months cell's name."""
        one_off = self.model.name_for("ip_asset_value", strategy)
        if one_off not in self.model.names():
            return ""
        return f"+IF({t}=-INT(-{live}),{self.n('success_' + strategy)}*{self.n(one_off)},0)"

    def benefit_formula(self, strategy: str, t: str, share: str, live: str) -> str:
        """Benefit for the live part of the month, ramping up to full use, if the build succeeds."""
        ramp = f"MAX(0,MIN(1,({t}-0.5*{share}-{live})/MAX({self.n('adoption_ramp_months')},{number(1e-9)})))"
        return f"={self.n('success_' + strategy)}*{self.n('benefit_monthly_' + strategy)}*{share}*{ramp}"

    # --- Sensitivity --------------------------------------------------------------------
    def sensitivity(self) -> None:
        ws, st = self.sheets[SENSITIVITY], self.styles
        sens = self.a.sensitivity
        ws.write(0, 0, "Sensitivity", st.title)
        ws.write(1, 0, "Computed by tunewise at export time (values, not formulas): how the "
                       "recommended strategy's total cost over the horizon moves when one figure "
                       "goes from the low to the high end of its range, and which strategy would "
                       "win there.", st.remark)
        row = 3
        ws.write_row(row, 0, ("Figure", "Key", "Low", "High", "Total at low", "Total at high",
                              "Swing", "Winner at low", "Winner at high"), st.header)
        for bar in sens.tornado:
            row += 1
            ws.write_string(row, 0, bar.label, st.text)
            ws.write_string(row, 1, bar.key)
            ws.write_number(row, 2, bar.low, st.computed)
            ws.write_number(row, 3, bar.high, st.computed)
            ws.write_number(row, 4, bar.total_at_low, st.computed_money)
            ws.write_number(row, 5, bar.total_at_high, st.computed_money)
            ws.write_number(row, 6, bar.swing, st.computed_money)
            ws.write_string(row, 7, self.a.strategy(bar.winner_at_low).label, st.computed_label)
            ws.write_string(row, 8, self.a.strategy(bar.winner_at_high).label, st.computed_label)
        if sens.flips:
            row += 2
            ws.write(row, 0, "Answers that would change the recommendation", st.heading)
            row += 1
            ws.write_row(row, 0, ("Question", "Now", "If it were", "Recommendation then",
                                  "Model source then"), st.header)
            for flip in sens.flips:
                row += 1
                ws.write_row(row, 0, (flip.question, _shown(flip.current), flip.alternative_label,
                                      self.a.strategy(flip.strategy).label,
                                      SOURCE_LABELS[flip.model_source]),
                             st.computed_label)
        if sens.recommendation_changes_at:
            row += 2
            volumes = ", ".join(f"{v:,}" for v in sens.recommendation_changes_at)
            ws.write(row, 0, f"The recommendation changes at these monthly volumes: {volumes}",
                     st.computed_label)
        ws.set_column(0, 0, 44)
        ws.set_column(1, 1, 30)
        ws.set_column(2, 6, 14)
        ws.set_column(7, 8, 16)
        ws.freeze_panes(4, 0)

    # --- Summary ------------------------------------------------------------------------
    def summary(self, last_cash_row: int) -> None:
        ws, st, a = self.sheets[SUMMARY], self.styles, self.a
        rec = a.recommendation
        ws.write(0, 0, f"{a.client.name}: {a.client.project}", st.title)
        ws.write(1, 0, f"tunewise cost model, {self.date:%Y-%m-%d}. Amounts in {a.currency}; "
                       f"horizon {a.horizon_months} months.", st.subtitle)
        best = a.recommended
        verdict = rec.verdict
        facts = [("Recommendation", f"{best.label} on {SOURCE_LABELS[rec.model_source]}"),
                 ("Verdict", verdict.replace("_", " ").capitalize() if verdict else ""),
                 ("Runner-up", a.strategy(rec.runner_up).label if rec.runner_up else "none"),
                 ("Confidence", f"{rec.confidence:.0%}"),
                 ("Next step", localise(rec.next_step or "", a.currency)),
                 ("Why", localise(rec.summary, a.currency))]
        row = 3
        for label, text in facts:
            if not text:
                continue
            ws.write(row, 0, label, st.label)
            ws.merge_range(row, 1, row, 9, text, st.computed_text)
            if label == "Why":
                ws.set_row(row, 75)
            row += 1
        for warning in rec.warnings:
            ws.merge_range(row, 0, row, 9, localise(warning, a.currency), st.warning)
            row += 1
        row += 1
        ws.merge_range(row, 0, row, 9, TUNEWISE_NOTE, st.note)
        ws.set_row(row, 32)
        row += 2
        row = self.decision_matrix(row)
        self.chart(row + 1, last_cash_row)
        ws.set_column(0, 0, 30)
        ws.set_column(1, 1, 24)
        ws.set_column(2, 3, 9)
        ws.set_column(4, 11, 14)
        ws.set_column(12, 12, 30)

    def decision_matrix(self, row: int) -> int:
        ws, st = self.sheets[SUMMARY], self.styles
        ws.write(row, 0, "Decision matrix", st.heading)
        row += 1
        headers = ["Strategy", "Model source", "Rank", "Eligible", "Upfront", "Monthly",
                   "Total over horizon", "Weeks to live", "Net value", "Net value P10",
                   "Net value P90", "Probability best"]
        headers.append("Gates not passed")
        ws.write_row(row, 0, headers, st.header)
        ws.set_row(row, 30)
        for s in self.a.strategies:
            row += 1
            ws.write_string(row, 0, s.label, st.label)
            ws.write_string(row, 1, SOURCE_LABELS[s.model_source], st.computed_label)
            ws.write_number(row, 2, s.rank, st.computed)
            eligible = "yes" if s.eligible else "no"
            ws.write_string(row, 3, eligible, st.computed_label)
            for col, name in ((4, f"upfront_{s.id}"), (5, f"monthly_{s.id}"),
                              (6, f"horizon_total_{s.id}")):
                ws.write_formula(row, col, f"={self.n(name)}", st.formula_money,
                                 getattr(s.costs, name.split("_" + s.id)[0]))
            ws.write_formula(row, 7, "=" + self.n(self.model.name_for("weeks_to_live", s.id)), st.formula,
                             s.weeks_to_live)
            ws.write_formula(row, 8, "=" + self.n(f"net_value_{s.id}"), st.formula_money, s.net_value)
            ws.write_number(row, 9, s.net_value_p10, st.computed_money)
            ws.write_number(row, 10, s.net_value_p90, st.computed_money)
            ws.write_number(row, 11, s.probability_best, st.computed_share)
            failed = [g.gate.replace("_", " ") for g in s.gates if not g.passed]
            ws.write_string(row, len(headers) - 1, ", ".join(failed) or "none", st.computed_label)
        return row + 1

    def chart(self, row: int, last_cash_row: int) -> None:
        chart = self.book.add_chart({"type": "scatter", "subtype": "straight"})
        first = 5
        for index, s in enumerate(self.a.strategies):
            col = 2 + index * 6 + 5
            chart.add_series({
                "name": s.label,
                "categories": [self.sheets[CASH_FLOW].name, first, 0, last_cash_row, 0],
                "values": [self.sheets[CASH_FLOW].name, first, col, last_cash_row, col],
                "line": {"width": 2.5 if s.id == self.a.recommendation.strategy else 1.25},
                "marker": {"type": "none"},
            })
        chart.set_title({"name": "Cumulative net value (risk-adjusted, discounted)"})
        chart.set_x_axis({"name": "Month", "label_position": "low", "min": 0, "max": self.a.horizon_months,
                          "major_unit": 6 if self.a.horizon_months > 12 else 1,
                          "major_gridlines": {"visible": True, "line": {"color": "#E0E0E0"}}})
        chart.set_y_axis({"name": self.a.currency, "num_format": "#,##0"})
        chart.set_legend({"position": "bottom"})
        chart.set_size({"width": 900, "height": 380})
        self.sheets[SUMMARY].insert_chart(row, 0, chart)


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return f"{value:,}" if isinstance(value, int | float) else str(value)


def _readable(formula: str) -> str:
    """A formula as the cost model writes it, with the settled branches folded away."""
    return ast.unparse(fold(ast.parse(formula, mode="eval").body, {})) if formula else ""

