"""The rule book: strategies, gates (exclusions), priced effects and model-source limits, from YAML."""

from __future__ import annotations

from functools import cache, cached_property
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from tunewise.engine.assessment import SourceId, StrategyId
from tunewise.engine.conditions import check, questions_named
from tunewise.engine.questions import load_bank, load_data_yaml

STRATEGY_IDS: tuple[StrategyId, ...] = ("prompt", "rag", "peft", "full_fine_tune", "from_scratch",
                                         "hybrid")
SOURCE_IDS: tuple[SourceId, ...] = ("closed_api", "open_weights")
Source = SourceId


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Strategy(_Frozen):
    id: StrategyId
    label: str
    short: str
    sources: tuple[Source, ...]


class _Conditional(_Frozen):
    id: str
    question: str
    when: dict[str, Any]
    reason: str

    @property
    def reads(self) -> list[str]:
        names = questions_named(self.when)
        return names if self.question in names else [self.question, *names]


GateId = Literal["data", "knowledge_size", "realtime_data", "citations", "team", "privacy",
                 "budget_upfront", "budget_monthly", "deadline"]


class Exclusion(_Conditional):
    """A gate: when its condition holds, the strategies it names cannot be recommended."""

    gate: GateId
    excludes: tuple[str, ...]


class PricedEffect(_Conditional):
    """When its condition holds, ``switch`` is 1 for the cost model; the strategies it changes."""

    switch: str
    strategies: tuple[StrategyId, ...]


class SourceRule(_Conditional):
    """Where the model may run: ``require`` a source when ``when`` holds, unless ``unless`` does."""

    require: Source
    unless: dict[str, Any] = Field(default_factory=dict)


class RuleBook(_Frozen):
    version: int
    strategies: tuple[Strategy, ...]
    exclusions: tuple[Exclusion, ...]
    priced_effects: tuple[PricedEffect, ...]
    source_rules: tuple[SourceRule, ...]

    @model_validator(mode="after")
    def _references(self) -> RuleBook:
        if tuple(s.id for s in self.strategies) != STRATEGY_IDS:
            raise ValueError(f"strategies must be exactly {STRATEGY_IDS} in that order")
        known = set(load_bank().ids)
        ids: set[str] = set()
        for item in (*self.exclusions, *self.priced_effects, *self.source_rules):
            where = f"rule {item.id!r}"
            if item.id in ids:
                raise ValueError(f"{where} is defined twice")
            ids.add(item.id)
            if item.question not in known:
                raise ValueError(f"{where} names unknown question {item.question!r}")
            check(item.when, known, where)
            if isinstance(item, SourceRule):
                check(item.unless, known, where)
            targets = getattr(item, "excludes", ()) or getattr(item, "strategies", ())
            unknown = set(targets) - set(STRATEGY_IDS)
            if unknown:
                raise ValueError(f"{where} names unknown strategies {sorted(unknown)}")
        return self

    def strategy(self, strategy_id: str) -> Strategy:
        return next(s for s in self.strategies if s.id == strategy_id)

    @cached_property
    def rule_questions(self) -> tuple[str, ...]:
        """Every question a gate, priced effect or source rule reads, sorted: answers that agree
        on these get the same rule stage."""
        conditions = [rule.when for rule in (*self.source_rules, *self.exclusions, *self.priced_effects)]
        conditions += [rule.unless for rule in self.source_rules]
        return tuple(sorted({q for condition in conditions for q in questions_named(condition)}))

    @property
    def switches(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(effect.switch for effect in self.priced_effects))


@cache
def load_rules() -> RuleBook:
    return RuleBook.model_validate(load_data_yaml("rules.yaml"))
