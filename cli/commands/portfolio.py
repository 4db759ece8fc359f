"""`tunewise portfolio`: one client's use cases assessed together and funded within one budget.

Also the portfolio's `init --portfolio` template and `schema --portfolio`. The parser
imports `portfolio_formats` from here, so this module imports nothing heavy at the top.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tunewise.cli.errors import UsageError

FORMATS = ("pdf", "html", "json", "xlsx")


def portfolio_formats(text: str) -> list[str]:
    import argparse

    chosen = [part.strip().lower() for part in text.split(",") if part.strip()]
    bad = [part for part in chosen if part not in FORMATS]
    if bad or not chosen:
        raise argparse.ArgumentTypeError(f"unknown format {', '.join(bad) or text!r} "
                                         f"(allowed: {', '.join(FORMATS)})")
    return list(dict.fromkeys(chosen))


def portfolio_json(result) -> str:
    """The portfolio JSON: its own sections indented, each use case's assessment on one line.

    Thirty indented assessments take Python's pure-Python encoder seconds; one line each
    goes through the C encoder and stays a line per use case to read or diff.
    """
    data = result.to_json_dict()
    use_cases = data.pop("use_cases")
    head = json.dumps(data, indent=2, ensure_ascii=False)
    cases = ",\n".join("    " + json.dumps(case, ensure_ascii=False) for case in use_cases)
    return head[:-2] + ',\n  "use_cases": [\n' + cases + "\n  ]\n}\n"


def _check_options(args) -> dict[str, float]:
    from tunewise.cli.commands.report import check_out_folder
    from tunewise.cli.inputs import has_errors, load_overrides, print_problems

    overrides, problems = load_overrides(args.assumptions)
    if has_errors(problems):
        print_problems(problems)
        raise SystemExit(2)
    if args.brand:
        from tunewise.engine.problems import InputError
        from tunewise.report.brand import load_brand
        try:
            load_brand(args.brand)
        except InputError as exc:
            print_problems(exc.problems)
            raise SystemExit(2) from None
    if args.date:
        import datetime as dt
        try:
            dt.date.fromisoformat(args.date)
        except ValueError:
            raise UsageError(f"--date {args.date!r}: expected YYYY-MM-DD") from None
    check_out_folder(Path(args.out))
    return overrides


def run_portfolio(args) -> int:
    from tunewise.cli.inputs import print_problems
    from tunewise.engine.portfolio_file import load_portfolio_path

    try:
        overrides = _check_options(args)
    except SystemExit as exc:
        return int(exc.code or 2)
    loaded = load_portfolio_path(args.portfolio, args.defaults)
    print_problems(loaded.problems)
    if not loaded.ok or loaded.portfolio is None:
        return 2
    from tunewise.engine.portfolio import assess_portfolio

    reports = [fmt for fmt in args.format if fmt in ("html", "pdf")]
    result = assess_portfolio(loaded.portfolio, loaded.answer_files, extra_overrides=overrides,
                              with_sensitivity=bool(reports))
    out = Path(args.out)
    stem = Path(args.portfolio).stem
    if stem in {e.id for e in result.entries}:
        stem += "-portfolio"
    for written in write_outputs(result, out, stem, args):
        print(written)
    if result.status == "infeasible":
        print(f"tunewise: the portfolio is infeasible: {result.status_reason}", file=sys.stderr)
    return 0


def write_outputs(result, out: Path, stem: str, args) -> list[str]:
    """The portfolio report in each format, and each use case's own report beside it."""
    from tunewise.storage.atomic import write_bytes, write_text
    written = []
    options = {"brand_path": args.brand, "report_date": args.date}
    for fmt in args.format:
        target = out / f"{stem}.{fmt}"
        if fmt == "json":
            write_text(target, portfolio_json(result))
        elif fmt == "xlsx":
            from tunewise.report.workbook_portfolio import render_portfolio_xlsx
            write_bytes(target, render_portfolio_xlsx(result, report_date=args.date))
        else:
            from tunewise.report.portfolio_view import render_portfolio_html, render_portfolio_pdf
            from tunewise.report.render import render_html, render_pdf
            for entry, assessment in zip(result.entries, result.use_cases, strict=True):
                beside = out / f"{entry.id}.{fmt}"
                if fmt == "html":
                    write_text(beside, render_html(assessment, **options))
                else:
                    write_bytes(beside, render_pdf(assessment, paper=args.paper, **options))
                written.append(str(beside))
            if fmt == "html":
                write_text(target, render_portfolio_html(result, **options))
            else:
                write_bytes(target, render_portfolio_pdf(result, paper=args.paper, **options))
        written.append(str(target))
    return written


TEMPLATE = """\
# yaml-language-server: $schema={schema}
# tunewise portfolio file: one client's use cases, funded within one budget and team.
# Each use case is an answer file ('tunewise init' writes one). Then run:
#   tunewise portfolio THIS_FILE --out reports/
version: 1
client:
  name: ""                     # required: the client's name
  consultant: ""               # optional: who prepared the portfolio
  # date: 2026-01-31           # optional: the date printed on the report
currency: USD                  # one of {currencies}; use cases in other
                               # currencies are converted at the catalogue's rates
budget_upfront:                # required: the whole programme's upfront budget
budget_monthly:                # required: the whole programme's running budget a month,
                               # once everything funded is live
people:                        # required: person-weeks available per quarter (0 when none)
  ml_experts:                  # people who have trained or fine-tuned models before
  engineers:                   # software engineers
# start: 2027-01-01            # optional: when the first quarter begins
use_cases:                     # answer files, relative to this file
  - file: first-use-case.yaml
    # must_do: true            # optional: always funded (or the plan is reported infeasible)
    # priority: 1              # optional: 1 is the highest; breaks ties and orders the roadmap
  # - file: second-use-case.yaml
# Optional: override figures of the assumptions catalogue for every use case, or the
# portfolio's own figures (person_week_hours, shared_vector_db_extra_share, ...).
assumptions: {{}}
"""


def template_text() -> str:
    from tunewise.engine.assumptions import load_catalogue
    from tunewise.engine.portfolio_file import SCHEMA_ID
    return TEMPLATE.format(schema=SCHEMA_ID, currencies=", ".join(load_catalogue().currencies))


def run_init_portfolio(path: str, force: bool) -> int:
    from tunewise.cli.commands.init import write_template
    return write_template(path, template_text(), force,
                          f"fill in the budgets, people and use cases, then run 'tunewise portfolio {path}'")


def run_schema_portfolio() -> int:
    from tunewise.engine.portfolio_file import portfolio_file_schema
    print(json.dumps(portfolio_file_schema(), indent=2))
    return 0
