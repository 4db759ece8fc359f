"""Is an answer file, with its assumption overrides, something the engine can compute?

Every override is range-checked on its own, yet some values still break the arithmetic:
a GPU throughput of 0 divides by zero, a price of 1e308 overflows to infinity. Rather than
list those cases key by key (the cost model changes), the whole assessment is computed and
every figure checked; when it fails, each override is tried alone to find the culprit.
`validate` and `report` both come through here, so whatever validate accepts, report can
compute.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from tunewise.engine.answers import AnswerFile
from tunewise.engine.assess import assess
from tunewise.engine.assessment import Assessment


class Uncomputable(Exception):
    """Overrides make the assessment fail or leave a figure that is not a finite number."""

    def __init__(self, reason: str, culprits: tuple[str, ...], together: bool):
        self.reason, self.culprits, self.together = reason, culprits, together
        super().__init__(f"{', '.join(culprits)}: {reason}")


def first_non_finite(data: Any, path: str = "") -> str | None:
    """The path of the first float that is NaN or infinite in nested dicts and lists."""
    if isinstance(data, float):
        return None if math.isfinite(data) else (path or "(value)")
    if isinstance(data, Mapping):
        for key, value in data.items():
            found = first_non_finite(value, f"{path}.{key}" if path else str(key))
            if found:
                return found
    elif isinstance(data, list | tuple):
        for index, value in enumerate(data):
            found = first_non_finite(value, f"{path}[{index}]")
            if found:
                return found
    return None


def _attempt(answer_file: AnswerFile, overrides: Mapping[str, float],
             with_sensitivity: bool) -> tuple[Assessment | None, str | None, BaseException | None]:
    try:
        assessment = assess(answer_file, extra_overrides=overrides, with_sensitivity=with_sensitivity)
    except (ArithmeticError, ValueError) as exc:
        what = "a division by zero" if isinstance(exc, ZeroDivisionError) else \
            f"{type(exc).__name__}: {' '.join(str(exc).split())}"[:120]
        return None, f"the assessment cannot be computed with it ({what})", exc
    where = first_non_finite(assessment.model_dump())
    if where:
        return None, f"it makes a figure infinite or undefined ({where})", None
    return assessment, None, None


def assess_checked(answer_file: AnswerFile, extra_overrides: Mapping[str, float] | None = None,
                   with_sensitivity: bool = True) -> Assessment:
    """`assess`, refusing overrides that break the arithmetic (raises Uncomputable)."""
    extra = dict(extra_overrides or {})
    assessment, reason, error = _attempt(answer_file, extra, with_sensitivity)
    if assessment is not None:
        return assessment
    keys = sorted(set(extra) | set(answer_file.assumptions))
    if not keys:        # nothing overridden: the engine itself failed, which is a bug to report
        if error is not None:
            raise error
        raise ValueError(reason)
    # The sensitivity runs are most of the cost; leave them out of the search when the
    # failure shows without them.
    if with_sensitivity and _attempt(answer_file, extra, False)[0] is None:
        with_sensitivity = False
    culprits: list[str] = []
    for key in keys:
        alone = answer_file.model_copy(update={"assumptions": {
            k: v for k, v in answer_file.assumptions.items() if k == key}})
        result, alone_reason, _ = _attempt(alone, {k: v for k, v in extra.items() if k == key},
                                           with_sensitivity)
        if result is None:
            culprits.append(key)
            reason = alone_reason if len(culprits) == 1 else reason
    if culprits:
        raise Uncomputable(reason or "", tuple(culprits), together=False)
    raise Uncomputable(reason or "", tuple(keys), together=True)
