"""`tunewise report`: scripted mode, from answer files to reports on disk."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from tunewise.cli.errors import UsageError
from tunewise.cli.inputs import expand, has_errors, load_overrides, print_problems
from tunewise.cli.render_one import RenderOptions
from tunewise.engine.escaping import printable


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
    """Create the output folder; whether files can be written there, each write reports.

    No probe file: a fixed probe name raced between runs sharing a folder, and followed a
    symlink planted at that name.
    """
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"{out}: cannot create the output folder: {exc.strerror or exc}") from None
    if not out.is_dir():
        raise UsageError(f"{out}: the output path is not a folder")
    if not os.access(out, os.W_OK | os.X_OK):
        raise UsageError(f"{out}: the output folder is not writable")


def run_report(args) -> int:
    from tunewise.cli.batch import BatchJob, run_batch

    paths, problems = expand(args.answers)
    overrides, override_problems = load_overrides(args.assumptions)
    problems += override_problems
    if args.horizon is not None:
        if not 1 <= args.horizon <= 240:
            raise UsageError(f"--horizon {args.horizon}: must be 1 to 240 months")
        overrides.add("horizon_months", float(args.horizon), "--horizon")
    if not 0 < args.timeout <= 86_400:
        raise UsageError(f"--timeout {args.timeout}: must be more than 0 and at most 86400 seconds")
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
    options = RenderOptions(formats=args.format, defaults=args.defaults, overrides=overrides,
                            brand=brand_path, templates=args.templates, paper=args.paper,
                            variant=args.pdf_variant, date=args.date, out=str(out), debug=args.debug,
                            detail=getattr(args, "detail", "brief"))
    summary = run_batch(jobs, options, workers=args.jobs, timeout=args.timeout)
    problems += summary.problems
    print_problems(problems)
    for written in summary.written:
        print(printable(written))
    if len(jobs) > 1 or summary.failed:
        print(summary.describe(), file=sys.stderr)
    if has_errors(problems):
        return 2
    return 0
