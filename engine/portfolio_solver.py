"""Which use cases to fund, and in which quarter each starts: a small mixed-integer programme.

The solver sees only plain figures per use case (``Candidate``) and the programme's
limits (``Limits``), so it can be tested on its own against a brute-force search.

Variables: ``x[i, s] = 1`` when use case ``i`` is funded and starts in quarter ``s``;
per shared-infrastructure group ``g`` and member ``i``, ``h[i, g] = 1`` when ``i``
hosts the group's shared database or deployment. A member's saving is what it
frees by joining another member's; the host pays in full and frees nothing, so a
group of funded members saves the sum of their savings less the host's, and the
best host is the member that would free least (the largest user). Exactly one
funded member hosts each group with any funded member, so the programme is linear
and HiGHS solves it exactly (``mip_rel_gap`` 0).

Maximised: risk-adjusted net value (less what a later start forgoes) plus what
sharing saves over ``Limits.share_months``. Kept within: the upfront budget, the
monthly budget once everything funded runs, and each role's person-weeks in every
quarter. Use cases marked must-do are funded, or the programme is infeasible and
``explain_infeasible`` says why.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

# Smaller than any amount of money that matters, so it only decides between plans worth the same:
# earlier starts, then higher-priority use cases, win such ties.
TIE = 1e-3
NO_PRIORITY = 100
TIME_LIMIT_SECONDS = 30.0
MIP_GAP = 0.0


@dataclass(frozen=True)
class Candidate:
    """One use case as the solver sees it: its recommended strategy's figures."""

    id: str
    upfront: float
    monthly: float
    net_value: float
    delay_cost: float = 0.0
    load: tuple[Mapping[str, float], ...] = ()
    must_do: bool = False
    priority: int | None = None
    shares: Mapping[str, float] = field(default_factory=dict)

    def value_at(self, start: int) -> float:
        """Net value when the work starts ``start`` quarters after the programme does."""
        return self.net_value - start * self.delay_cost

    def tie(self, start: int) -> float:
        return TIE * ((NO_PRIORITY - (self.priority or NO_PRIORITY)) - start)


@dataclass(frozen=True)
class Limits:
    upfront: float
    monthly: float
    people: Mapping[str, float]
    quarters: int = 4
    share_months: Mapping[str, float] = field(default_factory=dict)

    def horizon(self, candidates: Sequence[Candidate]) -> int:
        """Quarters in which work can still be going on: the last start plus the longest build."""
        return self.quarters + max((len(c.load) for c in candidates), default=1)


@dataclass(frozen=True)
class Figures:
    """What a plan costs and returns, and whether it keeps within the limits."""

    upfront: float
    monthly: float
    net_value: float
    shared_monthly: dict[str, float]
    load: list[dict[str, float]]
    breaches: list[str]
    objective: float

    @property
    def feasible(self) -> bool:
        return not self.breaches


@dataclass(frozen=True)
class Solution:
    status: Literal["optimal", "infeasible", "time_limit"]
    starts: dict[str, int]
    reason: str | None = None


def sharing_savings(funded: Sequence[Candidate]) -> dict[str, float]:
    """Monthly saving of each shared-infrastructure group: members' savings less the host's,
    the host being the member that would free least by joining another."""
    groups: dict[str, list[float]] = {}
    for candidate in funded:
        for group, saving in candidate.shares.items():
            groups.setdefault(group, []).append(saving)
    return {group: sum(values) - min(values) for group, values in sorted(groups.items())}


def evaluate(starts: Mapping[str, int], candidates: Sequence[Candidate], limits: Limits,
             tolerance: float = 1e-6) -> Figures:
    """The figures of one plan (funded id -> start quarter), worked out directly, not by the solver."""
    by_id = {c.id: c for c in candidates}
    funded = [by_id[i] for i in starts]
    shared = sharing_savings(funded)
    upfront = sum(c.upfront for c in funded)
    monthly = sum(c.monthly for c in funded) - sum(shared.values())
    value = sum(c.value_at(starts[c.id]) for c in funded)
    value += sum(saving * limits.share_months.get(group, 0.0) for group, saving in shared.items())
    quarters = limits.horizon(candidates)
    load = [dict.fromkeys(limits.people, 0.0) for _ in range(quarters)]
    for c in funded:
        for offset, need in enumerate(c.load):
            for role, weeks in need.items():
                load[starts[c.id] + offset][role] = load[starts[c.id] + offset].get(role, 0.0) + weeks
    breaches = []
    if upfront > limits.upfront * (1 + tolerance) + tolerance:
        breaches.append("upfront budget")
    if monthly > limits.monthly * (1 + tolerance) + tolerance:
        breaches.append("monthly budget")
    for t, need in enumerate(load):
        for role, weeks in need.items():
            if weeks > limits.people.get(role, 0.0) * (1 + tolerance) + tolerance:
                breaches.append(f"{role} in quarter {t + 1}")
    breaches += [f"{c.id} starts after quarter {limits.quarters}" for c in funded
                 if not 0 <= starts[c.id] < limits.quarters]
    breaches += [f"{c.id} is must-do but not funded" for c in candidates if c.must_do and c.id not in starts]
    objective = value + sum(c.tie(starts[c.id]) for c in funded)
    return Figures(upfront=upfront, monthly=monthly, net_value=value, shared_monthly=shared, load=load,
                   breaches=breaches, objective=objective)


def _quiet_highs():
    """A HiGHS instance with its output off. The library prints a banner on the first instance
    of a process, straight to file descriptor 1; that would land in the middle of our output."""
    import highspy  # type: ignore[import-untyped]

    sys.stdout.flush()
    saved, null = os.dup(1), os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    try:
        highs = highspy.Highs()
        highs.setOptionValue("output_flag", False)
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(null)
    return highspy, highs


class _Model:
    """The programme as sparse rows, before it is handed to HiGHS."""

    def __init__(self, candidates: Sequence[Candidate], limits: Limits):
        self.candidates, self.limits = candidates, limits
        self.x = {(i, s): i * limits.quarters + s
                  for i in range(len(candidates)) for s in range(limits.quarters)}
        self.groups = sorted({g for c in candidates for g in c.shares})
        members = [(i, g) for g in self.groups for i, c in enumerate(candidates) if g in c.shares]
        base = len(self.x)
        self.h = {key: base + k for k, key in enumerate(members)}
        self.cost = [0.0] * (base + len(members))
        self.rows: list[tuple[dict[int, float], float, float]] = []
        self._objective()
        self._rows()

    def _objective(self) -> None:
        months = self.limits.share_months
        for (i, s), column in self.x.items():
            c = self.candidates[i]
            sharing = sum(saving * months.get(g, 0.0) for g, saving in c.shares.items())
            self.cost[column] = c.value_at(s) + c.tie(s) + sharing
        for (i, g), column in self.h.items():
            self.cost[column] = -months.get(g, 0.0) * self.candidates[i].shares[g]

    def _rows(self) -> None:
        inf = float("inf")
        quarters = self.limits.quarters
        for i, c in enumerate(self.candidates):
            row = {self.x[i, s]: 1.0 for s in range(quarters)}
            self.rows.append((row, 1.0 if c.must_do else 0.0, 1.0))
        self.rows.append(({col: self.candidates[i].upfront for (i, _), col in self.x.items()},
                          -inf, self.limits.upfront))
        monthly = {col: self.candidates[i].monthly - sum(self.candidates[i].shares.values())
                   for (i, _), col in self.x.items()}
        monthly |= {col: self.candidates[i].shares[g] for (i, g), col in self.h.items()}
        self.rows.append((monthly, -inf, self.limits.monthly))
        for g in self.groups:
            hosts = {col: 1.0 for (_, group), col in self.h.items() if group == g}
            self.rows.append((hosts, -inf, 1.0))  # one host at most
            for (j, group), col in self.h.items():
                if group != g:
                    continue
                funded = {self.x[j, s]: 1.0 for s in range(quarters)}
                self.rows.append(({col: 1.0} | {k: -1.0 for k in funded}, -inf, 0.0))  # a host is funded
                self.rows.append((hosts | {k: -1.0 for k in funded}, 0.0, inf))  # a funded member has one
        for role, capacity in sorted(self.limits.people.items()):
            for t in range(self.limits.horizon(self.candidates)):
                row = {}
                for (i, s), col in self.x.items():
                    load = self.candidates[i].load
                    if 0 <= t - s < len(load) and load[t - s].get(role, 0.0) > 0:
                        row[col] = load[t - s][role]
                if row:
                    self.rows.append((row, -inf, capacity))

    def solve(self, hint: Mapping[str, int] | None = None) -> Solution:
        import numpy as np

        highspy, highs = _quiet_highs()
        highs.setOptionValue("mip_rel_gap", MIP_GAP)
        highs.setOptionValue("time_limit", TIME_LIMIT_SECONDS)
        highs.setOptionValue("random_seed", 0)
        # These programmes have tens of rows: presolve costs more than it saves (measured: about half
        # the solve time on a 30-use-case portfolio).
        highs.setOptionValue("presolve", "off")
        n = len(self.cost)
        highs.addVars(n, np.zeros(n), np.ones(n))
        if n:
            highs.changeColsIntegrality(n, np.arange(n, dtype=np.int32),
                                        np.array([highspy.HighsVarType.kInteger] * n))
        highs.changeColsCost(n, np.arange(n, dtype=np.int32), np.array(self.cost))
        highs.changeObjectiveSense(highspy.ObjSense.kMaximize)
        starts: list[int] = []
        indices: list[int] = []
        values: list[float] = []
        lower: list[float] = []
        upper_rows: list[float] = []
        for row, low, high in self.rows:
            starts.append(len(indices))
            for column, value in sorted(row.items()):
                indices.append(column)
                values.append(value)
            lower.append(low)
            upper_rows.append(high)
        highs.addRows(len(self.rows), np.array(lower), np.array(upper_rows), len(indices),
                      np.array(starts, dtype=np.int32), np.array(indices, dtype=np.int32), np.array(values))
        if hint:
            self._start_from(highs, hint)
        highs.run()
        status = highs.getModelStatus()
        if status == highspy.HighsModelStatus.kInfeasible:
            return Solution(status="infeasible", starts={})
        chosen = highs.getSolution().col_value
        plan = {self.candidates[i].id: s for (i, s), col in self.x.items() if chosen[col] > 0.5}
        if status == highspy.HighsModelStatus.kOptimal:
            return Solution(status="optimal", starts=plan)
        if plan or not any(c.must_do for c in self.candidates):
            return Solution(status="time_limit", starts=plan,
                            reason=f"the solver stopped after {TIME_LIMIT_SECONDS:g} s with the best plan "
                                   f"found so far ({highs.modelStatusToString(status)})")
        return Solution(status="infeasible", starts={}, reason=highs.modelStatusToString(status))


    def _start_from(self, highs, hint: Mapping[str, int]) -> None:
        """Hand HiGHS a known feasible plan (e.g. the plan at a smaller budget) to start from."""
        import numpy as np

        index = {c.id: i for i, c in enumerate(self.candidates)}
        values = [0.0] * len(self.cost)
        for use_case, start in hint.items():
            if use_case in index and 0 <= start < self.limits.quarters:
                values[self.x[index[use_case], start]] = 1.0
        for g in self.groups:
            members = [(c.shares[g], c.id, i) for i, c in enumerate(self.candidates)
                       if c.id in hint and g in c.shares]
            if members:
                values[self.h[min(members)[2], g]] = 1.0
        highs.setSolution(len(values), np.arange(len(values), dtype=np.int32), np.array(values))


def _plain(amount: float) -> str:
    return f"{amount:,.0f}"


def solve(candidates: Sequence[Candidate], limits: Limits, money: Callable[[float], str] = _plain,
          hint: Mapping[str, int] | None = None, name: Callable[[str], str] = str) -> Solution:
    """The funded set and start quarters with the most net value within the limits.

    ``hint``, a plan known to keep within these limits, only speeds the search up.
    """
    if not candidates:
        return Solution(status="optimal", starts={})
    solution = _Model(candidates, limits).solve(hint)
    if solution.status == "infeasible":
        return Solution(status="infeasible", starts={},
                        reason=explain_infeasible(candidates, limits, money, name))
    return solution


def explain_infeasible(candidates: Sequence[Candidate], limits: Limits,
                       money: Callable[[float], str] = _plain,
                       name: Callable[[str], str] = str) -> str:
    """Why the must-do use cases cannot all be funded, in one sentence."""
    must = [c for c in candidates if c.must_do]
    names = ", ".join(name(c.id) for c in must)
    upfront = sum(c.upfront for c in must)
    if upfront > limits.upfront:
        return (f"the must-do use cases ({names}) need {money(upfront)} upfront together; "
                f"the upfront budget is {money(limits.upfront)}")
    monthly = sum(c.monthly for c in must) - sum(sharing_savings(must).values())
    if monthly > limits.monthly:
        return (f"the must-do use cases ({names}) cost {money(monthly)} a month together; "
                f"the monthly budget is {money(limits.monthly)}")
    for c in must:
        for need in c.load:
            for role, weeks in sorted(need.items()):
                if weeks > limits.people.get(role, 0.0):
                    return (f"{name(c.id)} alone needs {weeks:,.1f} {role.replace('_', ' ')} person-weeks "
                            f"in one quarter; {limits.people.get(role, 0.0):,.1f} are available")
    return (f"the must-do use cases ({names}) cannot all be scheduled within the people available "
            f"when starts are limited to the first {limits.quarters} quarters")
