"""Regenerate the committed sample reports: ``python3 scripts/samples.py [OUT_DIR]``.

Writes ``<stem>.pdf`` and ``<stem>.html`` (the brief report, the default) for every
``examples/*.yaml`` into ``sample_reports/`` (or OUT_DIR), plus ``<stem>-full.pdf`` for the
examples in FULL (the full report, every appendix), and ``portfolio.pdf`` / ``portfolio.html``
for ``examples/portfolio/portfolio.yaml`` (its use cases are the examples, so their own
reports are the ones beside it). Output is deterministic, so a test can regenerate them and
compare bytes with the committed files.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
OUT = ROOT / "sample_reports"
PORTFOLIO = EXAMPLES / "portfolio" / "portfolio.yaml"
FULL = ("regulated-clinic",)


def example_paths() -> list[Path]:
    return sorted(EXAMPLES.glob("*.yaml"))


def _assessment(path: Path):
    from tunewise.engine.answers import load_answer_path, require
    from tunewise.engine.assess import assess

    return assess(require(load_answer_path(path)))


def render_example(path: Path) -> tuple[str, bytes]:
    """The brief report of one example, as HTML and PDF."""
    from tunewise.report.render import render_html, render_pdf

    assessment = _assessment(path)
    return render_html(assessment), render_pdf(assessment)


def render_full(path: Path) -> bytes:
    """The full report of one example, as PDF."""
    from tunewise.report.render import render_pdf

    return render_pdf(_assessment(path), detail="full")


def render_portfolio(path: Path = PORTFOLIO) -> tuple[str, bytes]:
    from tunewise.engine.portfolio import assess_portfolio
    from tunewise.engine.portfolio_file import load_portfolio_path, require_portfolio
    from tunewise.report.portfolio_view import render_portfolio_html, render_portfolio_pdf

    result = assess_portfolio(*require_portfolio(load_portfolio_path(path)))
    return render_portfolio_html(result), render_portfolio_pdf(result)


def expected_names(stems: list[str]) -> set[str]:
    names = {f"{stem}.{ext}" for stem in stems for ext in ("pdf", "html")}
    return names | {f"{stem}-full.pdf" for stem in FULL if stem in stems}


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else OUT
    out.mkdir(parents=True, exist_ok=True)
    for path in example_paths():
        html, pdf = render_example(path)
        (out / f"{path.stem}.html").write_text(html, encoding="utf-8")
        (out / f"{path.stem}.pdf").write_bytes(pdf)
        print(out / f"{path.stem}.pdf")
        if path.stem in FULL:
            (out / f"{path.stem}-full.pdf").write_bytes(render_full(path))
            print(out / f"{path.stem}-full.pdf")
    html, pdf = render_portfolio()
    (out / "portfolio.html").write_text(html, encoding="utf-8")
    (out / "portfolio.pdf").write_bytes(pdf)
    print(out / "portfolio.pdf")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
