"""`tunewise validate`: check answer files and report every problem; write nothing."""

from __future__ import annotations

import sys

from tunewise.cli.inputs import expand, has_errors, load_all, load_overrides, print_problems


def run_validate(args) -> int:
    paths, problems = expand(args.answers)
    _, override_problems = load_overrides(args.assumptions)
    problems += override_problems
    results = load_all(paths, args.defaults)
    for result in results:
        problems += result.problems
    print_problems(problems)
    good = sum(1 for r in results if r.ok)
    if has_errors(problems):
        print(f"{good} of {len(paths)} answer files are valid", file=sys.stderr)
        return 2
    for path in paths:
        print(f"{path}: ok")
    return 0
