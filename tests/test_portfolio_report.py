"""The portfolio report: the committed sample is what the code renders, and it says what a board needs."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from scripts import samples
from tests.pdf_words import words_past_the_right_margin

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def rendered() -> tuple[str, bytes]:
    return samples.render_portfolio()


def test_committed_portfolio_sample_matches_a_fresh_render(rendered):
    html, pdf = rendered
    hint = "sample_reports/ is stale: run `python3 scripts/samples.py` and commit the result"
    assert (ROOT / "sample_reports" / "portfolio.html").read_text(encoding="utf-8") == html, hint
    assert (ROOT / "sample_reports" / "portfolio.pdf").read_bytes() == pdf, hint


def test_html_links_each_use_case_to_its_own_report_beside_it(rendered):
    html = rendered[0]
    links = set(re.findall(r'<a href="([a-z-]+\.html)">', html))
    assert links == {f"{p.stem}.html" for p in samples.example_paths()}
    assert all((ROOT / "sample_reports" / link).is_file() for link in links)


def test_html_carries_memo_charts_roadmap_and_sharing(rendered):
    html = rendered[0]
    for needed in ("Board memo", 'id="chart-value-effort-t"', 'id="chart-portfolio-roadmap-t"',
                   'id="chart-portfolio-load-t"', "Shared infrastructure", "If the budget changes",
                   "would be funded as well", "Next in line"):
        assert needed in html, needed


def test_phones_get_charts_drawn_for_their_width(rendered):
    """At 390 px a 680-wide drawing shrinks its text to about 6 px; each chart has a 360-wide drawing."""
    html = rendered[0]
    for chart in ("chart-value-effort", "chart-portfolio-roadmap", "chart-portfolio-load"):
        narrow = re.search(rf'<div class="chart-narrow"><svg[^>]*viewBox="0 0 (\d+) [^"]*"[^>]*>\s*'
                           rf'<title id="{chart}-n-t"', html)
        assert narrow and int(narrow.group(1)) <= 360, chart


def test_pdf_memo_is_one_page(rendered):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(rendered[1]))
    pages = [page.extract_text() for page in reader.pages]
    memo = [i for i, text in enumerate(pages)
            if "Board memo" in text and "Totals against the budgets" in text]
    assert len(memo) == 1
    assert "Value against effort" in pages[memo[0] + 1].splitlines()[0] + pages[memo[0] + 1][:200]


def test_no_text_runs_past_the_right_margin(rendered, tmp_path):
    """The method's figures table once had columns adding up to 103 %."""
    assert not words_past_the_right_margin(rendered[1], tmp_path)
