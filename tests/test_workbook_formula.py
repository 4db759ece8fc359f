"""The cost model's expressions as spreadsheet formulas: same grammar, same numbers."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.workbook_recalc import Recalculated, convert, soffice
from tunewise.report.excel_formula import FormulaError, is_valid_name, names_in, to_excel

VALUES = {"a": 3.0, "b": -2.0, "c": 0.5, "d": 7.0, "flag": 1.0, "off": 0.0}
# Each expression is one the engine's grammar allows; several read differently in Excel
# unless the translation adds parentheses (unary minus against ^, ^ grouping, chains).
EXPRESSIONS = [
    "-a ** 2", "(-a) ** 2", "a ** c ** 2", "d ** a ** c", "(a ** b) ** c", "a ** -c", "-a * b", "a - (b - c)",
    "a - b - c", "a / (b * c)", "a / b * c", "a / b / c", "-(a + b) * c", "a - -b",
    "min(a, b, c) + max(a, d)", "ceil(c) + ceil(-c) + ceil(b - c)", "floor(c) + floor(-c) * 10",
    "if_(a < b, a, b)", "if_(flag, d, 0) + if_(off, d, 1)", "(a > b) * d + (a == b) + (c != c)",
    "if_(a - 3, 10, 20)", "1e6 * c + 2.5e-3", "d * (a <= 3) + (b >= -2) * 100",
    "if_(b < 0, -ceil(-b / 3) ** 2, 0)", "+a - +b",
]


def python_value(expression: str) -> float:
    from tunewise.engine.formulas import compile_formula, parse
    return float(compile_formula(parse(expression))(VALUES))


@pytest.mark.parametrize(("expression", "expected"), [
    ("-a ** 2", "=-(a^2)"),
    ("a ** b ** c", "=a^(b^c)"),
    ("a - (b - c)", "=a-(b-c)"),
    ("a - b - c", "=a-b-c"),
    ("a / (b * c)", "=a/(b*c)"),
    ("(a + b) * c", "=(a+b)*c"),
    ("if_(a < b, 1, 2)", "=IF(a<b,1,2)"),
    ("(a < b) * 3", "=IF(a<b,1,0)*3"),
    ("ceil(a / b)", "=-INT(-(a/b))"),
    ("floor(a)", "=INT(a)"),
    ("1000000 * a + 0.25", "=1000000*a+0.25"),
    ("1e-9 + a", "=1E-09+a"),
])
def test_translation_keeps_python_meaning_in_excel_syntax(expression, expected):
    assert to_excel(expression) == expected


def test_names_go_through_the_mapping_and_constants_fold_away():
    rename = {"x": "x_rag", "y": "y_rag"}.get
    formula = to_excel("if_(fine_tuned, x, y) + retrieves * x + 0 * y", rename,
                       constants={"fine_tuned": 0, "retrieves": 1})
    assert formula == "=y_rag+x_rag"
    assert names_in("min(x, y) + if_(z, 1, x)") == ["x", "y", "z"]


def test_conditions_on_choices_and_lookup_picks_become_excel():
    assert to_excel("if_((domain == 'legal') or (privacy == 'regulated' and cloud == 1), 1, 0)") == \
        '=IF(OR(domain="legal",AND(privacy="regulated",cloud=1)),1,0)'
    assert to_excel("2 * pick_(ml_team, table_rate)") == \
        "=2*INDEX(table_rate,MATCH(ml_team,choices_ml_team,0))"


@pytest.mark.parametrize("expression", [
    "__import__('os')", "a.b", "a[0]", "lambda: 1", "'text'", "a if b else c", "sum(a)",
    "a % b", "a // b", "a + 'none'", "min()", "ceil(a, b)", "not a", "a == 'x\"y'",
    "pick_(a)", "pick_(a, 1)",
])
def test_anything_outside_the_whitelist_is_refused(expression):
    with pytest.raises(FormulaError):
        to_excel(expression)


@pytest.mark.parametrize(("name", "valid"), [
    ("gpu_hour_usd", True), ("horizon_total_rag", True), ("A1", False), ("xfd10", False),
    ("R1C1", False), ("r", False), ("c", False), ("TRUE", False), ("1abc", False),
    ("with space", False), ("fx_EUR", True),
])
def test_defined_names_that_excel_would_read_as_cells_are_refused(name, valid):
    assert is_valid_name(name) is valid


@pytest.mark.skipif(soffice() is None, reason="LibreOffice (libreoffice-calc-nogui) is not installed")
def test_libreoffice_computes_what_the_engine_computes(tmp_path: Path):
    import xlsxwriter

    path = tmp_path / "grammar.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Inputs")
    for row, (name, value) in enumerate(VALUES.items()):
        sheet.write_number(row, 0, value)
        book.define_name(f"{name}_", f"=Inputs!$A${row + 1}")
    for row, expression in enumerate(EXPRESSIONS):
        sheet.write_formula(row, 1, to_excel(expression, lambda n: n + "_"))
        book.define_name(f"result_{row}", f"=Inputs!$B${row + 1}")
    book.close()
    (recalculated,) = convert([path], tmp_path / "out", "xlsx", tmp_path / "profile")
    values = Recalculated(recalculated)
    for row, expression in enumerate(EXPRESSIONS):
        assert values.value(f"result_{row}") == pytest.approx(python_value(expression)), expression
