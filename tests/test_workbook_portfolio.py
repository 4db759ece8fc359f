"""`tunewise portfolio --format xlsx`: the programme's Summary over every use case's live cost sheets.

The example portfolio is written once and recalculated by LibreOffice headless; the
programme's totals (found by their defined names) must match the portfolio JSON, no cell may
hold a formula error, and each use case's own totals must match its assessment.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.workbook_recalc import Recalculated, convert, soffice
from tunewise.cli.main import main
from tunewise.engine.portfolio import assess_portfolio
from tunewise.engine.portfolio_file import load_portfolio_path, require_portfolio
from tunewise.report.workbook_portfolio import prefixes, render_portfolio_xlsx, sheet_titles

ROOT = Path(__file__).resolve().parent.parent
PORTFOLIO = ROOT / "examples" / "portfolio" / "portfolio.yaml"
needs_libreoffice = pytest.mark.skipif(
    soffice() is None, reason="LibreOffice (libreoffice-calc-nogui) is not installed")


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    folder = tmp_path_factory.mktemp("portfolio-xlsx")
    assert main(["portfolio", str(PORTFOLIO), "--format", "json,xlsx", "--out", str(folder)]) == 0
    data = json.loads((folder / "portfolio.json").read_text(encoding="utf-8"))
    return folder / "portfolio.xlsx", data


@pytest.fixture(scope="module")
def recalculated(written, tmp_path_factory):
    if soffice() is None:
        pytest.skip("LibreOffice (libreoffice-calc-nogui) is not installed")
    folder = tmp_path_factory.mktemp("portfolio-recalc")
    (out,) = convert([written[0]], folder / "out", "xlsx", folder / "profile")
    return Recalculated(out)


def _close(actual, expected, where: str) -> None:
    assert isinstance(actual, int | float), f"{where}: {actual!r}"
    assert actual == pytest.approx(expected, rel=0.005, abs=1.0), where


@needs_libreoffice
def test_recalculated_programme_totals_match_the_portfolio_json(written, recalculated):
    _, data = written
    assert recalculated.errors() == []
    for key in ("upfront", "monthly", "net_value"):
        _close(recalculated.value(f"portfolio_{key}"), data["totals"][key], f"portfolio_{key}")
    assert recalculated.value("portfolio_budget_upfront") == data["totals"]["budget_upfront"]


@needs_libreoffice
def test_each_use_case_sheet_recomputes_its_own_totals(written, recalculated):
    _, data = written
    names = prefixes([type("E", (), {"id": u["use_case"]["id"]}) for u in data["use_cases"]])
    for use_case in data["use_cases"]:
        prefix = names[use_case["use_case"]["id"]]
        for s in use_case["strategies"]:
            for total in ("upfront", "monthly", "horizon_total"):
                _close(recalculated.value(f"{prefix}{total}_{s['id']}"), s["costs"][total],
                       f"{prefix}{total}_{s['id']}")
            _close(recalculated.value(f"{prefix}net_value_{s['id']}"), s["net_value"],
                   f"{prefix}net_value_{s['id']}")


def test_the_same_portfolio_gives_the_same_bytes(written):
    result = assess_portfolio(*require_portfolio(load_portfolio_path(PORTFOLIO)))
    first = render_portfolio_xlsx(result)
    assert first == render_portfolio_xlsx(result)
    assert first == written[0].read_bytes()


def test_names_and_sheet_titles_never_clash():
    ids = ["a-b", "a_b", "1st", "x" * 40, "x" * 40 + "y", "summary"]
    entries = [type("E", (), {"id": i}) for i in ids]
    found = prefixes(entries)
    assert len(set(found.values())) == len(ids)
    assert all(p[0].isalpha() for p in found.values())
    titles = [t.lower() for per in sheet_titles(entries).values() for t in per.values()]
    assert len(set(titles)) == len(titles) and "summary" not in titles
    assert all(len(t) <= 31 for t in titles)
