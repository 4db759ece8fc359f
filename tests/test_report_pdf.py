"""The PDF report: read back with pypdf, rendered to pixels with pdftoppm."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.pdf_words import words_past_the_right_margin
from tunewise.engine.answers import load_answer_path, require
from tunewise.engine.assess import assess
from tunewise.report.render import render_pdf

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def assessment():
    return assess(require(load_answer_path(ROOT / "examples" / "support-tickets.yaml")))


@pytest.fixture(scope="module")
def pdf(assessment) -> bytes:
    return render_pdf(assessment)


@pytest.fixture(scope="module")
def reader(pdf) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def _text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def _titles(outline) -> list[str]:
    titles = []
    for item in outline:
        if isinstance(item, list):
            titles += _titles(item)
        else:
            titles.append(item.title)
    return titles


def test_pdf_has_many_pages_and_an_outline(reader):
    assert len(reader.pages) > 5
    titles = _titles(reader.outline)
    for heading in ("Decision memo", "How the approaches compare", "Appendix A: the answers as given",
                    "Sources and glossary"):
        assert heading in titles


def test_pdf_text_names_client_recommendation_and_break_even(reader, assessment):
    text = _text(reader)
    assert assessment.client.name in text
    assert assessment.recommended.label in text
    assert "Decision memo" in reader.pages[1].extract_text()
    assert "Page 3 of" in text


def test_pdf_metadata_comes_from_title_and_meta(reader, assessment):
    meta = reader.metadata
    assert assessment.client.name in meta.title and assessment.client.project in meta.title
    assert meta.author == assessment.client.consultant
    assert meta.get("/CreationDate", "").startswith("D:20261102")


def test_no_date_means_no_creation_date(assessment):
    undated = assessment.model_copy(update={"client": assessment.client.model_copy(update={"date": None})})
    reader = PdfReader(io.BytesIO(render_pdf(undated)))
    assert "/CreationDate" not in reader.metadata
    assert "2 November 2026" not in reader.pages[0].extract_text()
    dated = PdfReader(io.BytesIO(render_pdf(undated, report_date="2027-01-15")))
    assert "15 January 2027" in dated.pages[0].extract_text()


def test_letter_and_a4_differ_in_page_size(assessment, reader):
    a4 = reader.pages[0].mediabox
    assert round(float(a4.width)) == 595 and round(float(a4.height)) == 842
    letter = PdfReader(io.BytesIO(render_pdf(assessment, paper="letter"))).pages[0].mediabox
    assert round(float(letter.width)) == 612 and round(float(letter.height)) == 792


def test_same_inputs_give_identical_bytes(assessment, pdf):
    assert render_pdf(assessment) == pdf


def test_the_default_pdf_is_tagged_and_opens_with_its_bookmarks(pdf, tmp_path):
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert root["/PageMode"] == "/UseOutlines"
    if shutil.which("pdfinfo"):
        path = tmp_path / "r.pdf"
        path.write_bytes(pdf)
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
        assert "Tagged:          yes" in info


def test_pdf_ua_variant_is_tagged(assessment):
    data = render_pdf(assessment, variant="pdf/ua-1")
    reader = PdfReader(io.BytesIO(data))
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    assert len(reader.pages) > 5


def test_bad_paper_or_variant_is_refused(assessment):
    with pytest.raises(ValueError):
        render_pdf(assessment, paper="a3")
    with pytest.raises(ValueError):
        render_pdf(assessment, variant="pdf/x-1a")


def _dark_pixels(pgm: bytes) -> int:
    """Pixels darker than light grey in a binary PGM (P5) image."""
    assert pgm.startswith(b"P5")
    fields, index = [], 2
    while len(fields) < 3:
        while pgm[index:index + 1].isspace():
            index += 1
        if pgm[index:index + 1] == b"#":
            index = pgm.index(b"\n", index)
            continue
        start = index
        while not pgm[index:index + 1].isspace():
            index += 1
        fields.append(int(pgm[start:index]))
    pixels = pgm[index + 1:]
    return sum(1 for value in pixels if value < 200)


def _page_pgm(pdf_path: Path, page: int) -> bytes:
    return subprocess.run(["pdftoppm", "-gray", "-r", "30", "-f", str(page), "-l", str(page), str(pdf_path)],
                          check=True, capture_output=True, timeout=60).stdout


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed")
def test_pages_are_not_blank(pdf, reader, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    chart_page = next(i for i, page in enumerate(reader.pages, start=1)
                      if "Risk-adjusted net value of each approach" in page.extract_text())
    for number in (1, chart_page, len(reader.pages)):
        assert _dark_pixels(_page_pgm(path, number)) > 500, f"page {number} looks blank"


def test_pdf_a_is_reproducible_and_never_reads_the_clock(assessment):
    undated = assessment.model_copy(update={"client": assessment.client.model_copy(update={"date": None})})
    first = render_pdf(undated, variant="pdf/a-3u", paper="letter")
    assert first == render_pdf(undated, variant="pdf/a-3u", paper="letter")
    reader = PdfReader(io.BytesIO(first))
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert b"pdfaid" in xmp and b"CreateDate" not in xmp
    assert "/CreationDate" not in reader.metadata


def test_table_of_contents_page_numbers_match_the_bookmarks(reader):
    import re

    toc = reader.pages[2].extract_text()
    pages = {item.title: reader.get_destination_page_number(item) + 1
             for item in reader.outline if not isinstance(item, list)}
    for title in ("Decision memo", "How the approaches compare", "Sources and glossary"):
        match = re.search(re.escape(title) + r"[ .]*?(\d+)\s*$", toc, re.MULTILINE)
        assert match, f"{title} not in the contents page"
        assert int(match.group(1)) == pages[title]


def test_pdf_does_not_depend_on_installed_fonts(assessment, pdf, tmp_path):
    """With fontconfig seeing no system font at all, the bytes are the same: only bundled fonts are used."""
    import os
    import sys

    config = tmp_path / "fonts.conf"
    config.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                      f"<cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>", encoding="utf-8")
    out = tmp_path / "bare.pdf"
    code = ("import sys; from engine.answers import load_answer_path, require; "
            "from engine.assess import assess; "
            "from report.render import render_pdf; "
            "a = assess(require(load_answer_path('examples/support-tickets.yaml'))); "
            "open(sys.argv[1], 'wb').write(render_pdf(a))")
    env = dict(os.environ, FONTCONFIG_FILE=str(config))
    subprocess.run([sys.executable, "-W", "ignore", "-c", code, str(out)], cwd=ROOT, env=env, check=True,
                   capture_output=True, timeout=120)
    assert out.read_bytes() == pdf


def test_no_text_runs_past_the_right_margin(pdf, tmp_path):
    """A table whose columns do not add up pushes its last column off the page (the costs table's
    payback column once did); every word must end where the page number in the footer ends."""
    assert not words_past_the_right_margin(pdf, tmp_path)
