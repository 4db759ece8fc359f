"""The committed sample reports are exactly what the code renders today.

If this fails after a deliberate change to the engine, the templates or the
renderer, regenerate them with ``python3 scripts/samples.py`` and commit them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts import samples

ROOT = Path(__file__).resolve().parent.parent
STEMS = [path.stem for path in samples.example_paths()]


def test_every_example_has_a_committed_sample():
    folder = ROOT / "sample_reports"
    committed = {path.name for path in folder.iterdir() if path.suffix in (".pdf", ".html")}
    expected = samples.expected_names(STEMS) | {"portfolio.pdf", "portfolio.html"}
    assert committed == expected


@pytest.mark.parametrize("stem", STEMS)
def test_committed_sample_matches_a_fresh_render(stem):
    html, pdf = samples.render_example(samples.EXAMPLES / f"{stem}.yaml")
    hint = "sample_reports/ is stale: run `python3 scripts/samples.py` and commit the result"
    assert (ROOT / "sample_reports" / f"{stem}.html").read_text(encoding="utf-8") == html, hint
    assert (ROOT / "sample_reports" / f"{stem}.pdf").read_bytes() == pdf, hint


@pytest.mark.parametrize("stem", samples.FULL)
def test_committed_full_sample_matches_a_fresh_render(stem):
    pdf = samples.render_full(samples.EXAMPLES / f"{stem}.yaml")
    hint = "sample_reports/ is stale: run `python3 scripts/samples.py` and commit the result"
    assert (ROOT / "sample_reports" / f"{stem}-full.pdf").read_bytes() == pdf, hint


def test_main_writes_both_formats(tmp_path, monkeypatch):
    monkeypatch.setattr(samples, "example_paths", lambda: [samples.EXAMPLES / "small-faq.yaml"])
    assert samples.main([str(tmp_path)]) == 0
    assert (tmp_path / "small-faq.pdf").read_bytes().startswith(b"%PDF-")
    assert "<html" in (tmp_path / "small-faq.html").read_text(encoding="utf-8")
