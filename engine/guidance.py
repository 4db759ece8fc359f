"""Advice attached to a recommendation: knowledge split, roadmap phases and risks."""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator

from tunewise.engine.conditions import check, holds
from tunewise.engine.questions import load_bank, load_data_yaml
from tunewise.engine.rules import STRATEGY_IDS

EXTRA_KEYS = {"strategy", "model_source"}


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Split(_Frozen):
    fine_tune: tuple[str, ...] = ()
    retrieve: tuple[str, ...] = ()


class ConditionalSplit(Split):
    when: dict[str, Any]


class PhaseTemplate(_Frozen):
    name: str
    share: float
    detail: str


class Risk(_Frozen):
    when: dict[str, Any]
    text: str


class Guidance(_Frozen):
    version: int
    knowledge_split: dict[str, Split]
    extras: tuple[ConditionalSplit, ...]
    roadmap: dict[str, tuple[PhaseTemplate, ...]]
    risks: tuple[Risk, ...]

    @model_validator(mode="after")
    def _valid(self) -> Guidance:
        known = set(load_bank().ids) | EXTRA_KEYS
        for when in [x.when for x in self.extras] + [x.when for x in self.risks]:
            check(when, known, "guidance")
        if set(self.roadmap) != set(STRATEGY_IDS):
            raise ValueError("guidance roadmap needs phases for every strategy")
        for strategy, phases in self.roadmap.items():
            if abs(sum(p.share for p in phases) - 1.0) > 1e-6:
                raise ValueError(f"roadmap shares for {strategy!r} must add up to 1")
        if "default" not in self.knowledge_split:
            raise ValueError("knowledge_split needs a 'default' entry")
        return self

    def split(self, answers: dict[str, Any]) -> tuple[list[str], list[str]]:
        base = self.knowledge_split.get(answers.get("domain", ""), self.knowledge_split["default"])
        fine_tune, retrieve = list(base.fine_tune), list(base.retrieve)
        for extra in self.extras:
            if holds(extra.when, answers):
                fine_tune += extra.fine_tune
                retrieve += extra.retrieve
        return fine_tune, retrieve

    def risks_for(self, context: dict[str, Any]) -> list[str]:
        return [risk.text for risk in self.risks if holds(risk.when, context)]


@cache
def load_guidance() -> Guidance:
    return Guidance.model_validate(load_data_yaml("guidance.yaml"))
