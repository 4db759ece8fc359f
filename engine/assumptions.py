"""The assumptions catalogue: dated, sourced figures, and user overrides of them."""

from __future__ import annotations

from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from tunewise.engine.memo import remembered
from tunewise.engine.questions import load_data_yaml

Kind = Literal["vendor", "paper", "talk", "secondary", "estimate", "policy"]


class Assumption(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    key: str
    value: float
    low: float
    high: float
    unit: str
    label: str
    source: str
    as_of: str = Field(pattern=r"^\d{4}-\d{2}$")
    kind: Kind
    note: str | None = None
    min: float = 0.0
    max: float | None = None
    overridden: bool = False

    @model_validator(mode="after")
    def _ordered(self) -> Assumption:
        if not self.low <= self.value <= self.high:
            raise ValueError(f"assumption {self.key!r}: value must lie between low and high")
        if self.unit.startswith("share") and self.high > 1:
            raise ValueError(f"assumption {self.key!r}: a share cannot exceed 1")
        return self

    @property
    def upper_bound(self) -> float | None:
        if self.max is not None:
            return self.max
        return 1.0 if self.unit.startswith("share") else None


# Catalogues with overrides, by the catalogue overridden and the overrides (`Catalogue.with_overrides`).
_OVERRIDDEN: dict[tuple[int, frozenset[tuple[str, Any]]], tuple[Catalogue, Catalogue]] = {}


class Catalogue(BaseModel):
    """All assumptions, by key. `value(key)` is what the cost model reads."""

    model_config = ConfigDict(frozen=True)
    entries: dict[str, Assumption]

    def value(self, key: str) -> float:
        return self.entries[key].value

    def __getitem__(self, key: str) -> float:
        return self.entries[key].value

    def with_overrides(self, overrides: dict[str, float]) -> Catalogue:
        """A copy with some values replaced; ranges widen to include the new value. The last few
        are kept, so that assessments with the same overrides share one catalogue (and what is
        worked out from it: the Monte Carlo's draws, the list of assumptions)."""
        if not overrides:
            return self
        try:
            key = (id(self), frozenset(overrides.items()))
        except TypeError:  # a value that cannot be a key: make the copy each time
            return self._overridden(overrides)
        return remembered(_OVERRIDDEN, key, self, lambda: self._overridden(overrides), limit=64)

    def _overridden(self, overrides: dict[str, float]) -> Catalogue:
        entries = dict(self.entries)
        for key, value in overrides.items():
            old = entries[key]
            entries[key] = old.model_copy(
                update={
                    "value": float(value),
                    "low": min(old.low, float(value)),
                    "high": max(old.high, float(value)),
                    "overridden": True,
                }
            )
        return Catalogue(entries=entries)

    def with_value(self, key: str, value: float) -> Catalogue:
        """A copy with one value changed, for sensitivity runs (not marked overridden)."""
        entries = dict(self.entries)
        entries[key] = entries[key].model_copy(update={"value": value})
        return Catalogue(entries=entries)

    def override_problem(self, key: str, value: object) -> tuple[str, str] | None:
        """(message, allowed) when ``value`` cannot override ``key``; None when it can."""
        entry = self.entries.get(key)
        if entry is None:
            return "unknown assumption", None  # type: ignore[return-value]
        if isinstance(value, bool) or not isinstance(value, int | float):
            return f"must be a number, got {type(value).__name__} {repr(value)[:40]}", _range(entry)
        if isinstance(value, int) and abs(value) > 1e300:
            digits = str(abs(value))
            return f"a number of {len(digits)} digits ({digits[:6]}...) is out of range", _range(entry)
        if value != value or value in (float("inf"), float("-inf")):
            return "must be a finite number", _range(entry)
        upper = entry.upper_bound
        if value < entry.min or (upper is not None and value > upper):
            return f"{value} is out of range", _range(entry)
        return None

    @property
    def currencies(self) -> list[str]:
        return ["USD"] + sorted(k.removeprefix("fx_") for k in self.entries if k.startswith("fx_"))

    def fx(self, currency: str) -> float:
        """Units of ``currency`` per US dollar."""
        return 1.0 if currency == "USD" else self.value(f"fx_{currency}")


def _range(entry: Assumption) -> str:
    upper = entry.upper_bound
    high = f"{upper:g}" if upper is not None else "inf"
    return f"a number from {entry.min:g} to {high} ({entry.unit})"


@cache
def load_catalogue() -> Catalogue:
    raw = load_data_yaml("assumptions.yaml")
    entries = {key: Assumption(key=key, **fields) for key, fields in raw["entries"].items()}
    return Catalogue(entries=entries)
