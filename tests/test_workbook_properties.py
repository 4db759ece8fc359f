"""Any valid answers give a workbook whose formulas name only cells it defines."""

from __future__ import annotations

import io
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.answer_strategies import answers
from tunewise.engine.answers import AnswerFile, Client
from tunewise.engine.assess import assess
from tunewise.report.workbook import render_xlsx

FUNCTIONS = {"IF", "MIN", "MAX", "INT", "AND", "OR", "INDEX", "MATCH"}
CELL = re.compile(r"^\$?[A-Z]{1,3}\$?\d+$")


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers(), st.sampled_from(["USD", "EUR", "JPY"]))
def test_any_answers_give_a_workbook_whose_formulas_read_defined_cells(drawn, currency):
    import openpyxl

    answer_file = AnswerFile(client=Client(name="=HYPERLINK(\"x\")", project="<&>"),
                             answers=drawn, currency=currency)
    data = render_xlsx(assess(answer_file, with_sensitivity=False))
    book = openpyxl.load_workbook(io.BytesIO(data))
    defined = {name.lower() for name in book.defined_names}
    title = book["Summary"]["A1"]
    assert (title.value, title.data_type) == ('=HYPERLINK("x"): <&>', "s")  # text, never a formula
    checked = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("=") and cell.data_type == "f":
                    code = re.sub(r'"[^"]*"', '""', cell.value)  # text compared with, not names
                    words = re.findall(r"[A-Za-z_][A-Za-z0-9_.$]*", code)
                    unknown = {w for w in words if w.upper() not in FUNCTIONS and not CELL.match(w)
                               and w.lower() not in defined and not re.fullmatch(r"E[+-]?\d*", w)}
                    assert not unknown, f"{sheet.title}!{cell.coordinate} {cell.value}"
                    checked += 1
    assert checked > 500
