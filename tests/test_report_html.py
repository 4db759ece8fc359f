"""The HTML report: self-contained, deterministic, and clean in a real browser (chromium + axe-core)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tunewise.engine.answers import load_answer_path, require
from tunewise.engine.assess import assess
from tunewise.report.render import render_html

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def assessment():
    return assess(require(load_answer_path(ROOT / "examples" / "support-tickets.yaml")))


@pytest.fixture(scope="module")
def html(assessment) -> str:
    return render_html(assessment)


def test_html_is_self_contained(html):
    references = re.findall(r"""(?:src|href)\s*=\s*["']([^"']*)""", html)
    assert references, "expected the logo and table-of-contents links"
    assert all(ref.startswith(("data:", "#")) for ref in references), references
    urls = re.findall(r"url\(\s*[\"']?([^\"')]+)", html)
    assert urls and all(url.startswith("data:") for url in urls)
    assert "<script" not in html.lower()


def test_html_has_everything_a_reader_needs(html, assessment):
    for text in ("Decision memo", "Decision matrix", "The trade-off", "The ask", "Next steps",
                 "How the approaches compare", "What to fine-tune and what to retrieve", "Risk register",
                 "Appendix A: the answers as given", "Appendix B: the assumptions behind", "Glossary",
                 assessment.client.name, assessment.recommended.label):
        assert text in html
    assert html.count('role="img"') >= 5
    assert html.count("<title id=\"chart-") >= 5
    assert '<html lang="en">' in html


def test_html_is_byte_identical_for_the_same_inputs(assessment, html):
    assert render_html(assessment) == html
    assert render_html(assessment, report_date="2030-01-01") != html


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


def _open(browser, path: Path, width: int):
    page = browser.new_page(viewport={"width": width, "height": 900})
    requests, problems = [], []
    own = path.as_uri()

    def route(route, request):
        requests.append(request.url)
        if request.url == own:
            route.continue_()
        else:
            route.abort()

    page.route("**/*", route)
    page.on("console", lambda msg: problems.append(msg.text) if msg.type in ("error", "warning") else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("requestfailed", lambda request: problems.append(f"request failed: {request.url}"))
    page.goto(own, wait_until="load")
    page.evaluate("document.fonts.ready")
    return page, requests, problems


@pytest.mark.parametrize("width", [1280, 390])
def test_browser_shows_it_cleanly(browser, html, tmp_path, width):
    path = tmp_path / "report.html"
    path.write_text(html, encoding="utf-8")
    page, requests, problems = _open(browser, path, width)
    try:
        assert requests == [path.as_uri()], requests
        assert problems == []
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"page is {overflow}px wider than a {width}px screen"
        assert page.evaluate("""document.fonts.check('16px "tunewise Inter"')""")
        shot = page.screenshot(full_page=False)
        assert len(shot) > 10_000
    finally:
        page.close()


@pytest.mark.parametrize("brand", [None, 'name: Sunny\nprimary_color: "#FFD54A"\naccent_color: "#9BE7FF"\n'])
def test_axe_finds_no_serious_accessibility_problem(browser, html, assessment, tmp_path, brand):
    """Also with a pale brand: text colours are derived so that they stay readable."""
    from axe_playwright_python.sync_playwright import Axe

    if brand:
        brand_path = tmp_path / "brand.yaml"
        brand_path.write_text(brand, encoding="utf-8")
        html = render_html(assessment, brand_path=str(brand_path))
    path = tmp_path / "report.html"
    path.write_text(html, encoding="utf-8")
    page, _, _ = _open(browser, path, 1280)
    try:
        results = Axe().run(page)
        violations = results.response["violations"]
        serious = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in violations
                   if v["impact"] in ("serious", "critical")]
        assert serious == []
    finally:
        page.close()


def test_overridden_assumptions_are_marked(assessment):
    answer_file = require(load_answer_path(ROOT / "examples" / "support-tickets.yaml"))
    overridden = assess(answer_file, extra_overrides={"engineer_hour_usd": 150})
    html = render_html(overridden)
    assert "1 of them was overridden" in html or "1 of them was overridden" in render_html(overridden,
                                                                                          detail="full")
    row = html[html.index('<tr class="overridden">'):]
    row = row[:row.index("</tr>")]
    assert "engineer_hour_usd" in row and "override" in row
    assert '<tr class="overridden">' not in render_html(assessment)


def test_importing_the_renderer_does_not_import_weasyprint():
    import subprocess
    import sys

    code = ("import sys, report.render, report.charts, report.brand; "
            "print('weasyprint' in sys.modules, 'matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.split() == ["False", "False"]


def test_detail_full_adds_the_other_cost_lines_and_every_assumption(assessment, html):
    full = render_html(assessment, detail="full")
    assert "Appendix B: cost lines of the other approaches" in full
    assert "Appendix B: cost lines" not in html
    assert full.count("<code>") > html.count("<code>")
    with pytest.raises(ValueError):
        render_html(assessment, detail="everything")


def test_the_cli_passes_detail_through(tmp_path):
    import subprocess
    import sys

    example = str(ROOT / "examples" / "small-faq.yaml")
    for detail in ("brief", "full"):
        out = tmp_path / detail
        run = subprocess.run([sys.executable, "-m", "tunewise", "report", example, "--format", "html",
                              "--detail", detail, "--out", str(out)], capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
    brief = (tmp_path / "brief" / "small-faq.html").read_text(encoding="utf-8")
    full = (tmp_path / "full" / "small-faq.html").read_text(encoding="utf-8")
    assert "cost lines of the other approaches" in full and "cost lines of the other approaches" not in brief


def test_the_memo_states_the_verdict_matrix_and_trade_off(assessment, html):
    memo = html[html.index('id="memo"'):html.index('id="toc-title"')]
    assert "Decision matrix" in memo and "The trade-off" in memo and "The ask" in memo
    for strategy in assessment.strategies:
        assert strategy.label in memo
    assert memo.count('class="gate-col"') >= 2 * len(assessment.strategies)
