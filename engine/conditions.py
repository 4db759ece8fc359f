"""A small condition language shared by question `when:` clauses and rules.

A condition is a mapping from a question id to either a literal (equality) or a
mapping of operators: ``in``, ``not_in``, ``gte``, ``gt``, ``lte``, ``lt``, ``ne``.
All entries of a mapping must hold. ``any:`` takes a list of conditions of
which one must hold; ``all:`` a list of which every one must.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

OPERATORS = {"in", "not_in", "gte", "gt", "lte", "lt", "ne", "eq"}
COMBINATORS = {"any", "all"}


class ConditionError(ValueError):
    """A condition that cannot be evaluated (an unknown operator or question)."""


def _test(op: str, actual: Any, expected: Any) -> bool:
    if actual is None:
        return False
    match op:
        case "eq":
            return actual == expected
        case "ne":
            return actual != expected
        case "in":
            return actual in expected
        case "not_in":
            return actual not in expected
        case "gte":
            return actual >= expected
        case "gt":
            return actual > expected
        case "lte":
            return actual <= expected
        case "lt":
            return actual < expected
    raise ConditionError(f"unknown operator {op!r}")


def holds(condition: Mapping[str, Any] | None, answers: Mapping[str, Any]) -> bool:
    """True when every clause of ``condition`` holds for ``answers``."""
    if not condition:
        return True
    for key, expected in condition.items():
        if key == "any":
            if not any(holds(c, answers) for c in expected):
                return False
        elif key == "all":
            if not all(holds(c, answers) for c in expected):
                return False
        elif isinstance(expected, Mapping):
            actual = answers.get(key)
            if not all(_test(op, actual, value) for op, value in expected.items()):
                return False
        elif answers.get(key) != expected:
            return False
    return True


def questions_named(condition: Mapping[str, Any] | None) -> list[str]:
    """The question ids a condition reads, in the order they appear."""
    names: list[str] = []
    for key, expected in (condition or {}).items():
        if key in COMBINATORS:
            for sub in expected:
                names.extend(n for n in questions_named(sub) if n not in names)
        elif key not in names:
            names.append(key)
    return names


def check(condition: Mapping[str, Any] | None, known: set[str], where: str) -> None:
    """Raise ConditionError when a condition names an unknown question or operator."""
    for key, expected in (condition or {}).items():
        if key in COMBINATORS:
            if not isinstance(expected, list):
                raise ConditionError(f"{where}: '{key}' takes a list of conditions")
            for sub in expected:
                check(sub, known, where)
            continue
        if key not in known:
            raise ConditionError(f"{where}: condition names unknown question {key!r}")
        if isinstance(expected, Mapping):
            bad = set(expected) - OPERATORS
            if bad:
                raise ConditionError(f"{where}: unknown operator(s) {sorted(bad)} on {key!r}")
