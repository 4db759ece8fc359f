"""One answer file to its reports on disk: what each batch worker, and `report`, runs.

Every requested format is rendered in memory first and then written as one set
(`storage.atomic.write_all`), so a failure part-way (a template error, a full disk)
leaves the earlier reports of that answer file, never a mixture of old and new.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from tunewise.cli.inputs import Overrides, assess_result
from tunewise.engine.answers import load_answer_path
from tunewise.engine.assessment import Assessment
from tunewise.engine.problems import Problem


@dataclass(frozen=True)
class RenderOptions:
    """Everything a worker needs to render one file; plain data, so it crosses to a spawned process."""

    formats: list[str]
    out: str
    defaults: bool = False
    overrides: Overrides = field(default_factory=Overrides)
    brand: str | None = None
    templates: str | None = None
    paper: str = "a4"
    variant: str | None = None
    date: str | None = None
    detail: str = "brief"
    debug: bool = False


def assessment_json(assessment: Assessment) -> str:
    """The assessment as strict JSON: NaN or Infinity is refused, never written."""
    return json.dumps(assessment.to_json_dict(), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def render_one(path: str, stem: str, options: RenderOptions) -> tuple[list[str], list[Problem]]:
    """Assess one answer file and write each requested format; ([], problems) if it cannot be."""
    result = load_answer_path(path, options.defaults)
    if not result.ok:
        return [], result.problems
    assessment, problems = assess_result(result, options.overrides)
    if assessment is None:
        return [], problems
    out = Path(options.out)
    files = [(out / f"{stem}.{'txt' if fmt == 'text' else fmt}", _render(fmt, assessment, result, options))
             for fmt in options.formats]
    from tunewise.storage.atomic import write_all
    written = write_all(files)
    return [str(p) for p in written], [p for p in result.problems if p.severity == "warning"]


def _render(fmt: str, assessment: Assessment, result, options: RenderOptions) -> bytes:
    if fmt == "json":
        return assessment_json(assessment).encode("utf-8")
    if fmt == "text":
        from tunewise.cli.text_summary import summary_text
        return summary_text(assessment).encode("utf-8")
    if fmt == "yaml":
        from tunewise.storage.answer_writer import dump_answers
        answer_file = result.answer_file
        return dump_answers(answer_file.client.model_dump(), answer_file.answers, answer_file.currency,
                            answer_file.assumptions).encode("utf-8")
    if fmt == "xlsx":
        from tunewise.report.workbook import render_xlsx
        return render_xlsx(assessment, report_date=options.date)
    from tunewise.report.render import render_html, render_pdf
    kwargs = {"brand_path": options.brand, "templates_dir": options.templates, "report_date": options.date,
              "detail": options.detail}
    if fmt == "html":
        return render_html(assessment, **kwargs).encode("utf-8")
    return render_pdf(assessment, paper=options.paper, variant=options.variant, **kwargs)
