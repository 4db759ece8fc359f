"""`tunewise compare A B`: how two answer files differ in answers, outcome and cost."""

from __future__ import annotations

from tunewise.cli.inputs import Overrides, assess_result, print_problems
from tunewise.engine.answers import load_answer_path
from tunewise.engine.escaping import printable
from tunewise.engine.money import fmt


def run_compare(args) -> int:
    results = [load_answer_path(path, args.defaults) for path in (args.first, args.second)]
    problems = [p for r in results for p in r.problems]
    if not all(r.ok for r in results):
        print_problems(problems)
        return 2
    first, second = (r.answer_file for r in results)
    (a, first_problems), (b, second_problems) = (assess_result(r, Overrides(), with_sensitivity=False)
                                                 for r in results)
    if a is None or b is None:
        print_problems(first_problems + second_problems)
        return 2
    print(f"{'':28} {printable(args.first):>28} {printable(args.second):>28}")
    keys = list(dict.fromkeys([*first.answers, *second.answers]))
    for key in keys:
        left, right = first.answers.get(key, "-"), second.answers.get(key, "-")
        if left != right:
            print(f"{key:28} {printable(left):>28} {printable(right):>28}")
    ra, rb = a.recommended, b.recommended
    rows = [
        ("recommended", f"{ra.id} ({ra.model_source})", f"{rb.id} ({rb.model_source})"),
        ("confidence", f"{a.recommendation.confidence:.0%}", f"{b.recommendation.confidence:.0%}"),
        ("upfront", fmt(ra.costs.upfront, a.currency), fmt(rb.costs.upfront, b.currency)),
        ("monthly", fmt(ra.costs.monthly, a.currency), fmt(rb.costs.monthly, b.currency)),
        (f"total ({a.horizon_months}/{b.horizon_months} mo)",
         fmt(ra.costs.horizon_total, a.currency), fmt(rb.costs.horizon_total, b.currency)),
        ("ROI", "-" if ra.roi is None else f"{ra.roi:.0%}", "-" if rb.roi is None else f"{rb.roi:.0%}"),
        ("break-even (questions/mo)", str(a.break_even_monthly_queries),
         str(b.break_even_monthly_queries)),
    ]
    print()
    for label, left, right in rows:
        marker = "  " if left == right else "* "
        print(f"{marker}{label:26} {left:>28} {right:>28}")
    return 0
