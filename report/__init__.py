"""The branded cost-benefit report (HTML and PDF) for a tunewise assessment.

- ``report.render``: ``render_html(assessment, *, brand_path, templates_dir, report_date) -> str`` and
  ``render_pdf(assessment, *, paper, variant, brand_path, templates_dir, report_date) -> bytes``
- ``report.brand``: ``load_brand(path) -> Brand`` (raises ``engine.problems.InputError``)
- ``report.charts``: the SVG charts, drawn from plain Python
- ``report.fetcher``: the WeasyPrint URL fetcher that reads only our assets and the brand folder
- ``report.view``: figures and wording derived from the assessment for the template
- ``report.samples``: ``python -m report.samples`` regenerates ``sample_reports/``

Templates, CSS, fonts and the default logo live in the ``templates`` package.
"""
