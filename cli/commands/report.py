"""`tunewise report`: scripted mode, from answer files to reports on disk."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tunewise.cli.errors import UsageError
from tunewise.cli.inputs import expand, has_errors, load_overrides, print_problems
from tunewise.engine.answers import AnswerFile, load_answer_path
from tunewise.engine.assessment import Assessment
from tunewise.engine.problems import Problem


def assessment_json(assessment: Assessment) -> str:
    return json.dumps(assessment.to_json_dict(), indent=2, ensure_ascii=False) + "\n"


def output_stems(paths: list[Path]) -> dict[Path, str]:
    """Each input's output name: its stem, or stem plus parent folders where stems clash."""
    stems: dict[Path, str] = {}
    by_stem: dict[str, list[Path]] = {}
    for path in paths:
        by_stem.setdefault(path.stem, []).append(path)
    for stem, group in by_stem.items():
        if len(group) == 1:
            stems[group[0]] = stem
            continue
        for path in group:
            parts = [part for part in path.resolve().parent.parts[-3:] if part not in ("/", "")]
            stems[path] = "-".join([*parts[-2:], stem])
        if len({stems[p] for p in group}) < len(group):
            for index, path in enumerate(group, start=1):
                stems[path] = f"{stem}-{index}"
    return stems


def check_out_folder(out: Path) -> None:
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"{out}: cannot create the output folder: {exc.strerror or exc}") from None
    probe = out / ".tunewise-write-test"
    try:
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise UsageError(f"{out}: the output folder is not writable: {exc.strerror or exc}") \
            from None


def run_report(args) -> int:
    from tunewise.cli.batch import BatchJob, run_batch

    paths, problems = expand(args.answers)
    overrides, override_problems = load_overrides(args.assumptions)
    problems += override_problems
    if args.horizon is not None:
        if not 1 <= args.horizon <= 240:
            raise UsageError(f"--horizon {args.horizon}: must be 1 to 240 months")
        overrides["horizon_months"] = float(args.horizon)
    if has_errors(override_problems):
        print_problems(problems)
        return 2
    brand_path = None
    if args.brand:
        from tunewise.engine.problems import InputError
        from tunewise.report.brand import load_brand
        try:
            load_brand(args.brand)
        except InputError as exc:
            print_problems(exc.problems)
            return 2
        brand_path = str(args.brand)
    if args.templates and not Path(args.templates).is_dir():
        raise UsageError(f"{args.templates}: --templates must name a folder of templates")
    if args.date:
        import datetime as dt
        try:
            dt.date.fromisoformat(args.date)
        except ValueError:
            raise UsageError(f"--date {args.date!r}: expected YYYY-MM-DD") from None
    out = Path(args.out)
    check_out_folder(out)
    if not paths and problems:
        print_problems(problems)
        return 2
    stems = output_stems(paths)
    jobs = [BatchJob(path=str(path), stem=stems[path]) for path in paths]
    options = {"formats": args.format, "defaults": args.defaults, "overrides": overrides,
               "brand": brand_path, "templates": args.templates, "paper": args.paper,
               "variant": args.pdf_variant, "date": args.date, "out": str(out)}
    summary = run_batch(jobs, options, workers=args.jobs, timeout=args.timeout)
    problems += summary.problems
    print_problems(problems)
    for written in summary.written:
        print(written)
    if len(jobs) > 1 or summary.failed:
        print(summary.describe(), file=sys.stderr)
    if has_errors(problems):
        return 2
    return 0


def render_one(path: str, stem: str, options: dict) -> tuple[list[str], list[Problem]]:
    """Assess one answer file and write each requested format; used by batch workers."""
    from tunewise.engine.assess import assess
    from tunewise.storage.atomic import write_bytes, write_text

    result = load_answer_path(path, options["defaults"])
    if not result.ok:
        return [], result.problems
    answer_file: AnswerFile = result.answer_file
    assessment = assess(answer_file, extra_overrides=options["overrides"])
    out = Path(options["out"])
    written: list[str] = []
    formats = options["formats"]
    for fmt in formats:
        target = out / f"{stem}.{'txt' if fmt == 'text' else fmt}"
        if fmt == "json":
            write_text(target, assessment_json(assessment))
        elif fmt == "text":
            from tunewise.cli.text_summary import summary_text
            write_text(target, summary_text(assessment))
        elif fmt == "yaml":
            from tunewise.storage.answer_writer import dump_answers
            write_text(target, dump_answers(answer_file.client.model_dump(), answer_file.answers,
                                            answer_file.currency, answer_file.assumptions))
        elif fmt == "xlsx":
            from tunewise.report.workbook import render_xlsx
            write_bytes(target, render_xlsx(assessment, report_date=options["date"]))
        elif fmt in ("html", "pdf"):
            from tunewise.report.render import render_html, render_pdf
            kwargs = {"brand_path": options["brand"], "templates_dir": options["templates"],
                      "report_date": options["date"]}
            if fmt == "html":
                write_text(target, render_html(assessment, **kwargs))
            else:
                write_bytes(target, render_pdf(assessment, paper=options["paper"],
                                               variant=options["variant"], **kwargs))
        written.append(str(target))
    return written, [p for p in result.problems if p.severity == "warning"]
