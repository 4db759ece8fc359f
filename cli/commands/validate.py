"""`tunewise validate`: check answer files and report every problem; write nothing.

A file is valid when the whole assessment can be computed from it (gates, costs, the
uncertainty runs): the same code path as `report`, without the rendering. So whatever
`validate` accepts, `report` can compute.
"""

from __future__ import annotations

import sys

from tunewise.cli.inputs import assess_result, expand, has_errors, load_all, load_overrides, print_problems
from tunewise.engine.escaping import printable


def run_validate(args) -> int:
    paths, problems = expand(args.answers)
    overrides, override_problems = load_overrides(args.assumptions)
    problems += override_problems
    results = load_all(paths, args.defaults)
    good = 0
    for result in results:
        problems += result.problems
        if result.ok and not has_errors(override_problems):
            _, computed = assess_result(result, overrides)
            problems += computed
            good += not computed
    print_problems(problems)
    if has_errors(problems):
        print(f"{good} of {len(paths)} answer files are valid", file=sys.stderr)
        return 2
    for path in paths:
        print(f"{printable(path)}: ok")
    return 0
