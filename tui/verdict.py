"""Verdict words shared by the live advisor and Results: what fits, and what is missing.

A strategy that is over budget or past the deadline is never called the best fit; the
consultant sees what it would need instead ("RAG needs +€423 a month").
"""

from __future__ import annotations

import math
from typing import Protocol

from tunewise.engine.money import fmt

VERDICT_WORDS = {
    "build": "Build",
    "do_not_build": "Do not build",
    "outside_constraints": "Nothing fits the budget and deadline",
}


class Gap(Protocol):
    """What a strategy needs beyond the limits (the engine's ``shortfall``)."""

    upfront: float
    monthly: float
    weeks: float


def needs_text(label: str, shortfall: Gap, currency: str) -> str:
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


def limits_missed(shortfall: Gap) -> str:
    """"the budget", "the deadline" or "the budget and deadline"."""
    money = shortfall.upfront > 0 or shortfall.monthly > 0
    if money and shortfall.weeks > 0:
        return "the budget and deadline"
    return "the deadline" if shortfall.weeks > 0 else "the budget"
