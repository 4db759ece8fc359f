"""The committed sample PDFs, read back as a manager reads them (issue 11, Done when).

- the decision memo is page 2, right after the cover;
- a brief report's main body (before Appendix A) is at most 12 pages;
- the same quantity is never printed with two values: every ROI, upfront cost and time to go
  live in the text is the figure of a strategy as the report computes it, and every
  "of the $X build" names a real upfront cost;
- no text names a folder of the project or ``shared/``.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from pypdf import PdfReader

from scripts import samples
from tunewise.engine.answers import load_answer_path, require
from tunewise.engine.assess import assess
from tunewise.engine.money import symbol
from tunewise.report.wording import money, pct, weeks

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "sample_reports"
# Assessment reports; the portfolio's report (portfolio.pdf) has its own tests, bar the folder check.
ALL = sorted(p for p in FOLDER.glob("*.pdf") if p.stem != "portfolio")
BRIEF = [p for p in ALL if not p.stem.endswith("-full")]
EVERY_PDF = sorted(FOLDER.glob("*.pdf"))
PROJECT_FOLDERS = ("shared/", "/work/", str(ROOT), "sample_reports", "examples/", "engine/data", "templates/",
                   "tunewise/report", "site-packages")


def _example(pdf: Path) -> Path:
    return samples.EXAMPLES / f"{pdf.stem.removesuffix('-full')}.yaml"


@cache
def _assessment(pdf: Path):
    return assess(require(load_answer_path(_example(pdf))))


@cache
def _pages(pdf: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(str(pdf)).pages]


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"-\n", "-", text))


def _bookmark_page(reader: PdfReader, prefix: str) -> int:
    for item in reader.outline:
        if not isinstance(item, list) and item.title.startswith(prefix):
            return reader.get_destination_page_number(item) + 1
    raise AssertionError(f"no bookmark starting {prefix!r}")


@pytest.mark.parametrize("pdf", ALL, ids=lambda p: p.stem)
def test_the_memo_is_page_two(pdf):
    reader = PdfReader(str(pdf))
    assert _bookmark_page(reader, "Decision memo") == 2
    assert "Decision matrix" in reader.pages[1].extract_text()


@pytest.mark.parametrize("pdf", BRIEF, ids=lambda p: p.stem)
def test_a_brief_main_body_is_at_most_twelve_pages(pdf):
    reader = PdfReader(str(pdf))
    body = _bookmark_page(reader, "Appendix A") - 2          # less the cover, before the appendix
    assert body <= 12, f"{pdf.name}: main body is {body} pages"


@pytest.mark.parametrize("pdf", ALL, ids=lambda p: p.stem)
def test_no_quantity_is_printed_with_two_values(pdf):
    assessment = _assessment(pdf)
    cur = assessment.currency
    text = _flat("\n".join(_pages(pdf)))
    rois = {pct(s.roi) for s in assessment.strategies}
    upfronts = {money(s.costs.upfront, cur) for s in assessment.strategies}
    live = {weeks(s.weeks_to_live) for s in assessment.strategies}
    sym = re.escape(symbol(cur).strip())
    amount = rf"-?{sym}\s?[\d.,]+[kMB]?"

    found_roi = re.findall(r"(?:ROI of|\(ROI|returns|return of) (-?[\d,]+%)", text)
    assert found_roi and set(found_roi) <= rois, (set(found_roi) - rois, rois)
    found_upfront = re.findall(rf"({amount}) (?:upfront|to build)", text)
    assert found_upfront and set(found_upfront) <= upfronts, (set(found_upfront) - upfronts, upfronts)
    found_weeks = {int(n) for n in re.findall(r"(?:live in|[Nn]eeds about|needs) (\d+) weeks?", text)}
    found_weeks |= {int(n) for n in re.findall(r"(\d+) weeks? to go live", text)}
    assert found_weeks and found_weeks <= live, (found_weeks - live, live)
    for build in re.findall(rf"of the ({amount}) build", text):
        value = float(re.sub(r"[^\d.]", "", build)) * {"k": 1e3, "M": 1e6, "B": 1e9}.get(build[-1], 1)
        upfronts_exact = [s.costs.upfront for s in assessment.strategies]
        assert any(abs(value - u) <= 0.01 * u for u in upfronts_exact), build


@pytest.mark.parametrize("pdf", EVERY_PDF, ids=lambda p: p.stem)
def test_no_text_names_a_project_folder(pdf):
    text = "\n".join(_pages(pdf))
    for folder in PROJECT_FOLDERS:
        assert folder not in text, f"{pdf.name} mentions {folder!r}"


def test_the_talk_is_cited_by_title_speaker_event_and_year():
    text = _flat("\n".join(_pages(BRIEF[0])))
    assert "Fine-tuning LLMs: A Cost-Benefit Analysis for Businesses" in text
    assert "Muddassar Sharif" in text and "Conf42" in text and "2025" in text


@pytest.mark.parametrize("pdf", BRIEF, ids=lambda p: p.stem)
def test_only_the_report_currency_has_an_exchange_rate(pdf):
    assessment = _assessment(pdf)
    text = "\n".join(_pages(pdf))
    others = {"EUR", "GBP", "CHF", "CAD", "AUD", "JPY", "INR"} - {assessment.currency}
    assert not [c for c in others if f"fx_{c}" in text]
