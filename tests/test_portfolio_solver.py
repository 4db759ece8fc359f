"""The portfolio solver against a brute-force search, and the limits it must keep."""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tunewise.engine.portfolio_solver import Candidate, Limits, evaluate, solve

ROLES = ("ml_experts", "engineers")


def brute_force(candidates, limits):
    """The best plan by trying every assignment of each use case to 'not funded' or a start quarter."""
    best, best_plan = None, None
    options = [None, *range(limits.quarters)]
    for choice in itertools.product(options, repeat=len(candidates)):
        starts = {c.id: s for c, s in zip(candidates, choice, strict=True) if s is not None}
        figures = evaluate(starts, candidates, limits)
        if figures.feasible and (best is None or figures.objective > best.objective + 1e-9):
            best, best_plan = figures, starts
    return best, best_plan


def random_candidate(rng: random.Random, index: int, must_do_rate: float = 0.04,
                     groups=("vector_db_managed", "gpu_serving")) -> Candidate:
    quarters = rng.randint(1, 3)
    load = tuple({role: round(rng.uniform(0, 8), 1) for role in ROLES if rng.random() < 0.6}
                 for _ in range(quarters))
    shares = {g: round(rng.uniform(100, 3000), 2) for g in groups if rng.random() < 0.35}
    return Candidate(id=f"uc{index:02d}", upfront=round(rng.uniform(10_000, 400_000), 2),
                     monthly=round(rng.uniform(500, 20_000), 2) + sum(shares.values()),
                     net_value=round(rng.uniform(-50_000, 900_000), 2),
                     delay_cost=round(rng.uniform(0, 40_000), 2), load=load,
                     must_do=rng.random() < must_do_rate, priority=rng.choice([None, 1, 2, 3]), shares=shares)


def random_limits(rng: random.Random, quarters: int) -> Limits:
    return Limits(upfront=rng.uniform(200_000, 1_500_000), monthly=rng.uniform(5_000, 60_000),
                  people={"ml_experts": rng.uniform(4, 30), "engineers": rng.uniform(8, 40)},
                  quarters=quarters, share_months={"vector_db_managed": 30.0, "gpu_serving": 28.0})


@pytest.mark.parametrize("seed", range(8))
def test_solver_equals_brute_force_on_twelve_use_cases(seed):
    rng = random.Random(seed)
    candidates = [random_candidate(rng, i) for i in range(12)]
    limits = random_limits(rng, quarters=1)
    solution = solve(candidates, limits)
    best, _ = brute_force(candidates, limits)
    if best is None:
        assert solution.status == "infeasible" and solution.reason
        return
    assert solution.status == "optimal"
    figures = evaluate(solution.starts, candidates, limits)
    assert figures.feasible
    assert figures.net_value == pytest.approx(best.net_value, rel=1e-9, abs=0.01)


@pytest.mark.parametrize("seed", range(12))
def test_solver_equals_brute_force_with_start_quarters(seed):
    rng = random.Random(100 + seed)
    candidates = [random_candidate(rng, i) for i in range(rng.randint(1, 7))]
    limits = random_limits(rng, quarters=3)
    solution = solve(candidates, limits)
    best, plan = brute_force(candidates, limits)
    if best is None:
        assert solution.status == "infeasible" and solution.reason
        return
    figures = evaluate(solution.starts, candidates, limits)
    assert figures.feasible
    assert figures.net_value == pytest.approx(best.net_value, rel=1e-9, abs=0.01)
    assert set(solution.starts) == set(plan) or figures.objective == pytest.approx(best.objective, abs=0.01)


seeds = st.integers(min_value=0, max_value=10_000)


@settings(max_examples=40, deadline=None)
@given(seeds)
def test_funded_set_never_exceeds_a_budget_or_people_limit(seed):
    rng = random.Random(seed)
    candidates = [random_candidate(rng, i) for i in range(rng.randint(1, 20))]
    limits = random_limits(rng, quarters=4)
    solution = solve(candidates, limits)
    figures = evaluate(solution.starts, candidates, limits)
    assert figures.upfront <= limits.upfront + 1e-6
    assert figures.monthly <= limits.monthly + 1e-6
    for quarter in figures.load:
        for role, weeks in quarter.items():
            assert weeks <= limits.people[role] + 1e-6
    if solution.status == "optimal":
        assert figures.feasible, figures.breaches


@settings(max_examples=40, deadline=None)
@given(seeds)
def test_must_do_is_funded_or_the_portfolio_is_infeasible_with_a_reason(seed):
    rng = random.Random(seed)
    candidates = [random_candidate(rng, i, must_do_rate=0.4) for i in range(rng.randint(1, 6))]
    limits = random_limits(rng, quarters=2)
    solution = solve(candidates, limits)
    must = {c.id for c in candidates if c.must_do}
    if solution.status == "optimal":
        assert must <= set(solution.starts)
    else:
        assert solution.status == "infeasible" and solution.reason
        assert brute_force(candidates, limits)[0] is None


@settings(max_examples=30, deadline=None)
@given(seeds, st.floats(min_value=1_000, max_value=500_000), st.floats(min_value=0, max_value=20_000))
def test_more_budget_never_funds_less_net_value(seed, more_upfront, more_monthly):
    rng = random.Random(seed)
    candidates = [random_candidate(rng, i, must_do_rate=0) for i in range(rng.randint(1, 15))]
    limits = random_limits(rng, quarters=3)
    richer = Limits(upfront=limits.upfront + more_upfront, monthly=limits.monthly + more_monthly,
                    people=limits.people, quarters=limits.quarters, share_months=limits.share_months)
    before = evaluate(solve(candidates, limits).starts, candidates, limits)
    after = evaluate(solve(candidates, richer).starts, candidates, richer)
    assert after.net_value >= before.net_value - 1.0   # ties are broken by fractions of a cent


@settings(max_examples=30, deadline=None)
@given(seeds, st.sampled_from(("upfront", "monthly")), st.floats(min_value=0.05, max_value=3.0))
def test_the_plan_without_a_budget_limit_is_best_at_every_budget_it_fits(seed, field, share):
    """What the budget steps of a portfolio rely on to skip solving again."""
    rng = random.Random(seed)
    candidates = [random_candidate(rng, i, must_do_rate=0) for i in range(rng.randint(1, 12))]
    limits = random_limits(rng, quarters=2)

    def with_budget(amount):
        return Limits(upfront=amount if field == "upfront" else limits.upfront,
                      monthly=amount if field == "monthly" else limits.monthly,
                      people=limits.people, quarters=limits.quarters, share_months=limits.share_months)

    unbounded = solve(candidates, with_budget(1e15)).starts
    spent = getattr(evaluate(unbounded, candidates, with_budget(1e15)), field)
    budget = with_budget(spent * (1 + share))
    best = evaluate(solve(candidates, budget).starts, candidates, budget)
    reused = evaluate(unbounded, candidates, budget)
    assert reused.feasible
    assert reused.objective >= best.objective - 1e-6


def test_infeasible_must_do_names_the_budget_it_breaks():
    big = Candidate(id="triage", upfront=500_000, monthly=1_000, net_value=900_000, must_do=True)
    small = Candidate(id="faq", upfront=50_000, monthly=500, net_value=80_000, must_do=True)
    limits = Limits(upfront=400_000, monthly=10_000, people={"ml_experts": 10, "engineers": 10})
    solution = solve([big, small], limits)
    assert solution.status == "infeasible"
    assert "triage, faq" in solution.reason and "upfront budget is 400,000" in solution.reason


def test_infeasible_must_do_names_the_role_it_lacks():
    heavy = Candidate(id="tuning", upfront=10_000, monthly=100, net_value=50_000, must_do=True,
                      load=({"ml_experts": 14.0},))
    limits = Limits(upfront=400_000, monthly=10_000, people={"ml_experts": 12, "engineers": 40})
    solution = solve([heavy], limits)
    assert solution.status == "infeasible"
    assert solution.reason == ("tuning alone needs 14.0 ml experts person-weeks in one quarter; "
                               "12.0 are available")


def test_people_limit_pushes_a_start_to_a_later_quarter():
    # Only one can be built at a time; the one that loses more by waiting goes first.
    first = Candidate(id="a", upfront=1, monthly=1, net_value=100_000, delay_cost=2_000,
                      load=({"engineers": 10.0},))
    second = Candidate(id="b", upfront=1, monthly=1, net_value=90_000, delay_cost=1_000,
                       load=({"engineers": 10.0},))
    limits = Limits(upfront=10, monthly=10, people={"ml_experts": 0, "engineers": 12}, quarters=2)
    solution = solve([first, second], limits)
    assert solution.starts == {"a": 0, "b": 1}


def test_shared_infrastructure_is_priced_once():
    members = [Candidate(id=f"rag{i}", upfront=1_000, monthly=600, net_value=10_000,
                         shares={"vector_db_selfhosted": 300.0}) for i in range(3)]
    limits = Limits(upfront=10_000, monthly=1_300, people={}, share_months={"vector_db_selfhosted": 24})
    # Alone they would cost 1,800 a month; sharing one database saves two members' 300.
    solution = solve(members, limits)
    figures = evaluate(solution.starts, members, limits)
    assert len(solution.starts) == 3
    assert figures.monthly == pytest.approx(1_200)
    assert figures.shared_monthly == {"vector_db_selfhosted": 600.0}
    assert figures.net_value == pytest.approx(30_000 + 600 * 24)


def test_the_largest_user_hosts_so_a_member_that_frees_nothing_still_shares():
    # A managed index already above the provider's minimum frees nothing by joining another
    # (its share is 0), but it can host: the small one then drops its own minimum fee.
    big = Candidate(id="big", upfront=1_000, monthly=2_000, net_value=50_000,
                    shares={"vector_db_managed": 0.0})
    small = Candidate(id="small", upfront=1_000, monthly=100, net_value=5_000,
                      shares={"vector_db_managed": 47.0})
    limits = Limits(upfront=10_000, monthly=2_053, people={}, share_months={"vector_db_managed": 12})
    solution = solve([big, small], limits)
    figures = evaluate(solution.starts, [big, small], limits)
    assert set(solution.starts) == {"big", "small"}, "only sharing makes both fit the monthly budget"
    assert figures.shared_monthly == {"vector_db_managed": 47.0}
    assert figures.net_value == pytest.approx(55_000 + 47 * 12)
