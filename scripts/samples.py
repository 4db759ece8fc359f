"""Regenerate the committed sample reports: ``python3 scripts/samples.py [OUT_DIR]``.

Writes ``<stem>.pdf`` and ``<stem>.html`` for every ``examples/*.yaml`` into
``sample_reports/`` (or OUT_DIR), and ``portfolio.pdf`` / ``portfolio.html`` for
``examples/portfolio/portfolio.yaml`` (its use cases are the examples, so their own
reports are the ones beside it). Output is deterministic, so a test can
regenerate them and compare bytes with the committed files.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
OUT = ROOT / "sample_reports"
PORTFOLIO = EXAMPLES / "portfolio" / "portfolio.yaml"


def example_paths() -> list[Path]:
    return sorted(EXAMPLES.glob("*.yaml"))


def render_example(path: Path) -> tuple[str, bytes]:
    from tunewise.engine.answers import load_answer_path, require
    from tunewise.engine.assess import assess
    from tunewise.report.render import render_html, render_pdf

    assessment = assess(require(load_answer_path(path)))
    return render_html(assessment), render_pdf(assessment)


def render_portfolio(path: Path = PORTFOLIO) -> tuple[str, bytes]:
    from tunewise.engine.portfolio import assess_portfolio
    from tunewise.engine.portfolio_file import load_portfolio_path, require_portfolio
    from tunewise.report.portfolio_view import render_portfolio_html, render_portfolio_pdf

    result = assess_portfolio(*require_portfolio(load_portfolio_path(path)))
    return render_portfolio_html(result), render_portfolio_pdf(result)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else OUT
    out.mkdir(parents=True, exist_ok=True)
    for path in example_paths():
        html, pdf = render_example(path)
        (out / f"{path.stem}.html").write_text(html, encoding="utf-8")
        (out / f"{path.stem}.pdf").write_bytes(pdf)
        print(out / f"{path.stem}.pdf")
    html, pdf = render_portfolio()
    (out / "portfolio.html").write_text(html, encoding="utf-8")
    (out / "portfolio.pdf").write_bytes(pdf)
    print(out / "portfolio.pdf")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
