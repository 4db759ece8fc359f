"""Verdict words shared by the live advisor and Results: what fits, and what is missing.

A strategy that is over budget or past the deadline is never called the best fit; the
consultant sees what it would need instead ("RAG needs +€423 a month").
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from tunewise.engine.money import fmt

VERDICT_WORDS = {
    "build": "Build",
    "do_not_build": "Do not build",
    "outside_constraints": "Nothing fits the budget and deadline",
}


@dataclass(frozen=True)
class Shortfall:
    """How far one strategy is from the client's limits (0 where it fits)."""

    upfront: float = 0.0
    monthly: float = 0.0
    weeks: float = 0.0

    @property
    def fits(self) -> bool:
        return self.upfront <= 0 and self.monthly <= 0 and self.weeks <= 0


def shortfall_of(upfront: float, monthly: float, weeks: float,
                 answers: dict[str, Any]) -> Shortfall:
    def gap(cost: float, limit: Any) -> float:
        if limit is None or not isinstance(limit, (int, float)) or math.isinf(limit):
            return 0.0
        return max(0.0, cost - limit)

    return Shortfall(gap(upfront, answers.get("budget_upfront")),
                     gap(monthly, answers.get("budget_monthly")),
                     gap(weeks, answers.get("timeline_weeks")))


def from_engine(raw: Any) -> Shortfall | None:
    """The engine's own ``shortfall`` (a mapping or model), when it provides one."""
    if raw is None:
        return None
    get = raw.get if isinstance(raw, dict) else lambda key, default=0: getattr(raw, key, default)
    return Shortfall(float(get("upfront", 0) or 0), float(get("monthly", 0) or 0),
                     float(get("weeks", 0) or 0))


def needs_text(label: str, shortfall: Shortfall, currency: str) -> str:
    """"RAG needs +€423 a month and 4 more weeks"; empty when it fits."""
    parts = []
    if shortfall.upfront > 0:
        parts.append(f"+{fmt(math.ceil(shortfall.upfront), currency, 0)} upfront")
    if shortfall.monthly > 0:
        parts.append(f"+{fmt(math.ceil(shortfall.monthly), currency, 0)} a month")
    if shortfall.weeks > 0:
        weeks = math.ceil(shortfall.weeks)
        parts.append(f"{weeks} more week{'s' if weeks != 1 else ''}")
    if not parts:
        return ""
    joined = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"{label} needs {joined}"


def limits_missed(shortfall: Shortfall) -> str:
    """"the budget", "the deadline" or "the budget and deadline"."""
    money = shortfall.upfront > 0 or shortfall.monthly > 0
    if money and shortfall.weeks > 0:
        return "the budget and deadline"
    return "the deadline" if shortfall.weeks > 0 else "the budget"
