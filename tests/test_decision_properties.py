"""The decision follows the numbers, over any answers hypothesis can draw (issue 10, "Done when")."""

from hypothesis import given
from hypothesis import strategies as st

from tests.answer_strategies import answers
from tunewise.engine.assess import quick_decision
from tunewise.engine.rules import load_rules

LABELS = {s.id: s.label for s in load_rules().strategies}
GROWING = {
    "budget_upfront": [0, 2_000, 10_000, 30_000, 80_000, 200_000, 600_000, 2_000_000, 10**8],
    "budget_monthly": [0, 100, 500, 2_000, 8_000, 30_000, 100_000, 10**7],
    "timeline_weeks": [1, 3, 6, 10, 16, 26, 40, 60, 104, 520],
    "cost_per_error": [0, 0.1, 0.5, 2, 8, 40, 200, 1_000, 10_000],
    "monthly_queries": [0, 300, 3_000, 30_000, 300_000, 3_000_000, 30_000_000, 300_000_000],
}


def pick(drawn):
    decision = quick_decision(drawn)
    return decision.recommended.id, decision.recommended.source


@given(answers())
def test_the_pick_is_never_dominated(drawn):
    decision = quick_decision(drawn)
    if decision.verdict == "do_not_build":
        # Nothing is recommended for building; the option named is the one nearest to paying back
        # (lowest break-even cost per wrong answer), which keeps the pick from reversing as that
        # cost grows (test below), and can lose more today than a cheaper option.
        return
    best = decision.recommended
    for item in decision.ranked:
        if item.eligible and item is not best:
            assert not (item.chosen.horizon_total < best.chosen.horizon_total - 1e-6
                        and item.net_value > best.net_value + 1e-6), (item.id, best.id)


@given(answers(), st.sampled_from(sorted(GROWING)))
def test_no_reversal_as_a_limit_or_a_driver_only_grows(drawn, question):
    if question == "monthly_queries":
        # More volume also raises running costs, so under a binding budget an option can rightly
        # drop out and hand the pick back; the property is about the economics, so the limits are
        # lifted for this driver.
        drawn = drawn | {"budget_upfront": 10**9, "budget_monthly": 10**8, "timeline_weeks": 520}
    seen: list[tuple[str, str]] = []
    for value in GROWING[question]:
        current = pick(drawn | {question: value})
        if seen and current != seen[-1]:
            assert current not in seen, (question, value, seen, current)
        if not seen or current != seen[-1]:
            seen.append(current)


@given(answers())
def test_a_deadline_a_worthwhile_option_meets_is_met_by_the_pick(drawn):
    # "Eligible" here is an option that fits every gate and pays back; one that fits but
    # loses money is not recommended over one that pays (verdict outside_constraints).
    decision = quick_decision(drawn)
    deadline = decision.recommended.chosen.weeks_to_live
    meets = [s for s in decision.ranked if s.eligible and s.net_value > 0]
    if meets and "timeline_weeks" in drawn:
        assert decision.verdict == "build"
        assert deadline <= drawn["timeline_weeks"]


@given(answers())
def test_every_roi_above_500_percent_carries_a_warning(drawn):
    decision = quick_decision(drawn)
    for item in decision.ranked:
        roi = item.chosen.roi
        if roi is not None and roi > 5 and not item.hard_excluded:
            assert any(LABELS[item.id] in w and "ROI" in w for w in decision.warnings), item.id


@given(answers())
def test_do_not_build_whenever_no_option_pays(drawn):
    decision = quick_decision(drawn)
    if all(item.net_value < 0 for item in decision.ranked):
        assert decision.verdict == "do_not_build"
    if decision.verdict == "do_not_build":
        assert not any(s.net_value > 0 for s in decision.ranked if not s.hard_excluded)
    if decision.verdict == "build":
        assert decision.recommended.eligible and decision.recommended.net_value > 0


@given(answers())
def test_an_option_over_a_limit_is_recommended_only_when_nothing_that_pays_fits(drawn):
    decision = quick_decision(drawn)
    best = decision.recommended
    if not best.eligible and not best.hard_excluded:
        assert decision.verdict in ("outside_constraints", "do_not_build")
        assert not any(s.eligible and s.net_value > 0 for s in decision.ranked)
    for item in decision.ranked:
        if item.shortfall.fits and not item.hard_excluded:
            assert item.eligible
