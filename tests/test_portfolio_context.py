"""The portfolio template gets plain data only, as the single report's does (tests/test_report_context.py).

A template is untrusted input: any object with methods it can reach (the portfolio model, a view
class, a lambda) is a way out of the sandbox. The context is walked for the bundled example
portfolio in both output modes, and a template that tries a method gets nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_report_context import non_plain
from tunewise.engine.portfolio import assess_portfolio
from tunewise.engine.portfolio_file import load_portfolio_path, require_portfolio
from tunewise.report.brand import DEFAULT_BRAND
from tunewise.report.portfolio_view import _context, _environment

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def result():
    return assess_portfolio(*require_portfolio(load_portfolio_path(ROOT / "examples" / "portfolio"
                                                                    / "portfolio.yaml")),
                            with_sensitivity=False)


@pytest.mark.parametrize("mode", ["html", "pdf"])
def test_the_portfolio_template_receives_plain_data_only(result, mode):
    context = _context(result, DEFAULT_BRAND, None, mode, "a4" if mode == "pdf" else None)
    assert non_plain(context) == []
    assert {e["id"] for e in context["v"]["entries"]} == {e.id for e in result.entries}


def test_a_template_finds_no_method_to_call(result):
    context = _context(result, DEFAULT_BRAND, None, "html", None)
    probe = ("{{ p.entry is defined }} {{ p.assessment is defined }} {{ v.paragraph is defined }} "
             "{{ v.entries[0].model_dump is defined }} {{ p.totals.model_copy is defined }}")
    assert _environment().from_string(probe).render(context) == "False False False False False"
