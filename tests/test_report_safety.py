"""Brand files, hostile input, the URL fetcher and consultant templates."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from tunewise.engine.answers import load_answer_path, require
from tunewise.engine.assess import assess
from tunewise.engine.problems import InputError
from tunewise.report.brand import DEFAULT_BRAND, contrast, load_brand
from tunewise.report.render import render_html, render_pdf

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = "<script>alert(1)</script>"
LOGO = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" width="10" height="10">'
        '<rect width="10" height="10" fill="#E07A1F"/></svg>')


@pytest.fixture(scope="module")
def assessment():
    return assess(require(load_answer_path(ROOT / "examples" / "small-faq.yaml")))


def brand_file(folder: Path, body: str, logo: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    if logo:
        (folder / "logo.svg").write_text(LOGO, encoding="utf-8")
    path = folder / "brand.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def test_a_good_brand_file_loads(tmp_path):
    path = brand_file(tmp_path / "b", 'name: Roe & Partners\nlogo: logo.svg\nprimary_color: "#1F3A5F"\n'
                      'accent_color: "#E07A1F"\nfooter: Confidential\nfont: garamond\n')
    brand = load_brand(str(path))
    assert brand.name == "Roe & Partners" and brand.font == "garamond"
    assert Path(brand.logo) == (tmp_path / "b" / "logo.svg").resolve()
    assert contrast(brand.accent_text, "#FFFFFF") >= 4.5


@pytest.mark.parametrize("logo, words", [
    ("../x.svg", "outside"),
    ("/etc/passwd", "absolute"),
    ("http://example.com/logo.svg", "URL"),
    ("file:///etc/passwd", "URL"),
    ("logo.gif", "not an SVG or PNG"),
])
def test_a_logo_outside_the_brand_folder_is_refused(tmp_path, logo, words):
    (tmp_path / "x.svg").write_text(LOGO, encoding="utf-8")
    path = brand_file(tmp_path / "b", f"name: Acme\nlogo: {logo}\n")
    with pytest.raises(InputError) as caught:
        load_brand(str(path))
    [problem] = caught.value.problems
    assert problem.file == str(path) and problem.line == 2 and problem.question == "logo"
    assert words in problem.message
    assert f"{path}:2:1: logo:" in str(caught.value)


def test_a_symlinked_logo_escaping_the_folder_is_refused(tmp_path):
    (tmp_path / "outside.svg").write_text(LOGO, encoding="utf-8")
    folder = tmp_path / "b"
    path = brand_file(folder, "logo: sneaky.svg\n", logo=False)
    (folder / "sneaky.svg").symlink_to(tmp_path / "outside.svg")
    with pytest.raises(InputError, match="outside"):
        load_brand(str(path))


def test_every_brand_problem_is_reported_at_once(tmp_path):
    path = brand_file(tmp_path / "b", 'name: ""\nprimary_color: navy\naccent_colour: "#fff"\nfont: comic\n'
                      "logo: ../../etc/passwd.png\n")
    with pytest.raises(InputError) as caught:
        load_brand(str(path))
    keys = [(p.question, p.line) for p in caught.value.problems]
    assert sorted(keys) == sorted([("name", 1), ("primary_color", 2), ("accent_colour", 3), ("font", 4),
                                   ("logo", 5)])
    assert 'did you mean "accent_color"' in str(caught.value)


def test_brand_yaml_aliases_are_refused(tmp_path):
    path = brand_file(tmp_path / "b", "name: &a Acme\nfooter: *a\n")
    with pytest.raises(InputError, match="anchors"):
        load_brand(str(path))


def test_the_brand_shows_in_both_formats(tmp_path, assessment):
    path = brand_file(tmp_path / "b", 'name: Roe Consulting\nlogo: logo.svg\nprimary_color: "#7A1F5F"\n'
                      "footer: Roe footer text\n")
    html = render_html(assessment, brand_path=str(path))
    assert "Roe Consulting" in html and "--primary:#7A1F5F" in html
    assert "data:image/svg+xml;base64," in html
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(render_pdf(
        assessment, brand_path=str(path)))).pages[:3])
    assert "Roe Consulting" in text and "Roe footer text" in text


def test_a_hostile_client_name_is_text_not_markup(assessment):
    client = assessment.client.model_copy(update={"name": HOSTILE, "project": "<img src=x onerror=alert(2)>"})
    hostile = assessment.model_copy(update={"client": client})
    html = render_html(hostile)
    assert HOSTILE not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    text = PdfReader(io.BytesIO(render_pdf(hostile))).pages[0].extract_text()
    assert HOSTILE in text


def test_the_fetcher_reads_only_allowed_files(tmp_path):
    from weasyprint.urls import URLFetchingError, fetch

    from tunewise.report.fetcher import SafeFetcher

    allowed = tmp_path / "ok"
    allowed.mkdir()
    (allowed / "a.svg").write_text(LOGO, encoding="utf-8")
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    (allowed / "link.svg").symlink_to(tmp_path / "secret.txt")
    fetcher = SafeFetcher([allowed])
    with fetch(fetcher, (allowed / "a.svg").as_uri()) as response:
        assert response.read().startswith(b"<svg")
    for url in ((tmp_path / "secret.txt").as_uri(), (allowed / "link.svg").as_uri(),
                (allowed / ".." / "secret.txt").as_uri(), "file:///etc/passwd",
                "http://127.0.0.1/", "https://example.com/x.png", "ftp://example.com/x",
                "data:text/plain;base64,c2VjcmV0"):
        with pytest.raises(URLFetchingError), fetch(fetcher, url):
            pass
    assert len(fetcher.refused) == 8


def test_external_resources_in_a_template_are_not_fetched(tmp_path, assessment):
    (tmp_path / "secret.svg").write_text(LOGO, encoding="utf-8")
    templates = tmp_path / "t"
    templates.mkdir()
    (templates / "report.html.j2").write_text(
        '{% extends "report.html.j2" %}{% block risks %}'
        f'<img src="{(tmp_path / "secret.svg").as_uri()}" alt="a">'
        '<img src="http://127.0.0.1:9/x.png" alt="b">'
        '<link rel="stylesheet" href="file:///etc/passwd">{% endblock %}', encoding="utf-8")
    from tunewise.report import fetcher as fetcher_module

    seen = []
    original = fetcher_module.SafeFetcher._refuse

    def record(self, url):
        seen.append(url)
        return original(self, url)

    fetcher_module.SafeFetcher._refuse = record
    try:
        render_pdf(assessment, templates_dir=str(templates))
    finally:
        fetcher_module.SafeFetcher._refuse = original
    assert any("secret.svg" in url for url in seen)
    assert any(url.startswith("http://127.0.0.1") for url in seen)
    assert "file:///etc/passwd" in seen


def test_one_block_can_be_overridden(tmp_path, assessment):
    templates = tmp_path / "t"
    templates.mkdir()
    (templates / "report.html.j2").write_text(
        '{% extends "report.html.j2" %}\n{% block executive_summary %}<section id="summary">'
        "<h1>In short</h1><p>Custom summary for {{ a.client.name }}: {{ v.pick.label }}.</p></section>"
        "{% endblock %}\n", encoding="utf-8")
    html = render_html(assessment, templates_dir=str(templates))
    assert f"Custom summary for {assessment.client.name}: {assessment.recommended.label}." in html
    assert "How the approaches compare" in html and "What decided it" not in html
    pdf_text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(render_pdf(
        assessment, templates_dir=str(templates)))).pages)
    assert "Custom summary for" in pdf_text


def test_a_partial_can_replace_ours_by_name(tmp_path, assessment):
    templates = tmp_path / "t"
    templates.mkdir()
    (templates / "report.html.j2").write_text("<html lang=en><title>x</title><p>{{ brand.name }} only</p>",
                                              encoding="utf-8")
    assert "tunewise only" in render_html(assessment, templates_dir=str(templates))


@pytest.mark.parametrize("payload", [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ a.__class__.__init__.__globals__ }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ v.bank.__dict__ }}",
    "{% for x in ().__class__.__base__.__subclasses__() %}{{ x }}{% endfor %}",
])
def test_sandbox_escapes_fail_safely(tmp_path, assessment, payload):
    templates = tmp_path / "t"
    templates.mkdir()
    (templates / "report.html.j2").write_text(
        '{% extends "report.html.j2" %}{% block risks %}' + payload + "{% endblock %}", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        render_html(assessment, templates_dir=str(templates))
    [problem] = caught.value.problems
    assert problem.question == "template"
    assert "SecurityError" in str(caught.value) or "undefined" in str(caught.value).lower()
    assert "<class" not in str(caught.value)


def test_a_template_syntax_error_names_the_file_and_line(tmp_path, assessment):
    templates = tmp_path / "t"
    templates.mkdir()
    (templates / "report.html.j2").write_text('{% extends "report.html.j2" %}\n\n{% block risks %}{{ oops(',
                                              encoding="utf-8")
    with pytest.raises(InputError) as caught:
        render_html(assessment, templates_dir=str(templates))
    [problem] = caught.value.problems
    assert problem.file.endswith("report.html.j2") and problem.line == 3


def test_the_default_brand_is_readable():
    assert contrast(DEFAULT_BRAND.primary_text, "#FFFFFF") >= 4.5
    assert contrast(DEFAULT_BRAND.accent_text, "#FFFFFF") >= 4.5
    assert contrast(DEFAULT_BRAND.on_primary, DEFAULT_BRAND.primary_color) >= 4.5


def _png(width: int = 4, height: int = 4) -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\xe0\x7a\x1f" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def test_a_png_logo_is_embedded_in_both_formats(tmp_path, assessment):
    folder = tmp_path / "b"
    folder.mkdir()
    (folder / "logo.png").write_bytes(_png())
    path = brand_file(folder, "name: Pixel Partners\nlogo: logo.png\n", logo=False)
    assert "data:image/png;base64," in render_html(assessment, brand_path=str(path))
    reader = PdfReader(io.BytesIO(render_pdf(assessment, brand_path=str(path))))
    assert len(reader.pages[0].images) == 1


def test_a_fake_png_is_refused(tmp_path):
    folder = tmp_path / "b"
    folder.mkdir()
    (folder / "logo.png").write_text("<svg/>", encoding="utf-8")
    path = brand_file(folder, "logo: logo.png\n", logo=False)
    with pytest.raises(InputError, match="not a PNG"):
        load_brand(str(path))


PICKLE_PAYLOAD = ('{% set _ = brand.parse_raw("cbuiltins\\neval\\n(S\'__import__(\\"os\\")'
                  '.system(\\"id > PWNED\\") and {} or {}\'\\ntR.", content_type="application/pickle",'
                  ' allow_pickle=True) %}')


@pytest.mark.parametrize("payload", [
    PICKLE_PAYLOAD,
    "{% set _ = a.parse_file('/etc/passwd', content_type='json') %}",
    "{{ a.model_dump() }}",
    "{{ brand.model_copy() }}",
    "{{ a.construct() }}",
])
def test_pydantic_loaders_are_out_of_a_templates_reach(tmp_path, payload):
    """Issue 14, item 1: a --templates folder ran shell commands through parse_raw(allow_pickle)."""
    import subprocess
    import sys

    from tests.conftest import ROOT
    templates = tmp_path / "t"
    templates.mkdir()
    source = '{% extends "report.html.j2" %}\n{% block extra_head %}' + payload + "{% endblock %}"
    (templates / "report.html.j2").write_text(source, encoding="utf-8")
    example = str(ROOT / "examples" / "small-faq.yaml")
    run = subprocess.run([sys.executable, "-m", "tunewise", "report", example, "--templates", str(templates),
                          "--format", "html", "--out", str(tmp_path / "out")],
                         capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode == 2, run.stderr
    assert "report.html.j2:2" in run.stderr and "Traceback" not in run.stderr
    assert not (tmp_path / "PWNED").exists()
    assert not (tmp_path / "out" / "small-faq.html").exists()
