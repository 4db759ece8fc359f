"""The question bank: models for questions and sections, loaded from YAML."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from tunewise.engine.conditions import check, holds

QuestionType = Literal["bool", "choice", "integer", "money", "text"]


class Choice(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    value: str
    label: str
    explain: str


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    title: str
    intro: str


class Question(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    section: str
    prompt: str
    help: str
    type: QuestionType
    choices: tuple[Choice, ...] = ()
    default: Any = None
    required: bool = True
    min: float | None = None
    max: float | None = None
    unit: str | None = None
    when: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Question:
        if self.type == "choice" and not self.choices:
            raise ValueError(f"question {self.id!r} is a choice with no choices")
        if self.type != "choice" and self.choices:
            raise ValueError(f"question {self.id!r} has choices but is of type {self.type}")
        if self.type == "choice" and self.default is not None:
            if self.default not in self.values:
                raise ValueError(f"question {self.id!r}: default {self.default!r} is not a choice")
        sentences = [s for s in self.help.replace("?", ".").split(".") if s.strip()]
        if not 2 <= len(sentences) <= 5:
            raise ValueError(f"question {self.id!r}: help should be 2-5 sentences")
        return self

    @property
    def values(self) -> list[str]:
        return [c.value for c in self.choices]

    def choice(self, value: str) -> Choice | None:
        return next((c for c in self.choices if c.value == value), None)

    def applies(self, answers: dict[str, Any]) -> bool:
        return holds(self.when, answers)

    def allowed(self) -> str:
        """A short description of the values this question accepts."""
        if self.type == "choice":
            return " | ".join(self.values)
        if self.type == "bool":
            return "true | false"
        if self.type in ("integer", "money"):
            low = _fmt(self.min) if self.min is not None else "-inf"
            high = _fmt(self.max) if self.max is not None else "inf"
            kind = "a whole number" if self.type == "integer" else "an amount"
            return f"{kind} from {low} to {high}"
        return "text"


def _fmt(number: float) -> str:
    return f"{int(number):,}".replace(",", "_") if float(number).is_integer() else str(number)


class QuestionBank(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    version: int
    sections: tuple[Section, ...]
    questions: tuple[Question, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _references(self) -> QuestionBank:
        section_ids = {s.id for s in self.sections}
        ids = [q.id for q in self.questions]
        if len(ids) != len(set(ids)):
            raise ValueError("question ids must be unique")
        for q in self.questions:
            if q.section not in section_ids:
                raise ValueError(f"question {q.id!r} names unknown section {q.section!r}")
            check(q.when, set(ids), f"question {q.id!r}")
        return self

    @property
    def ids(self) -> list[str]:
        return [q.id for q in self.questions]

    def get(self, question_id: str) -> Question:
        return self.by_id[question_id]

    @property
    def by_id(self) -> dict[str, Question]:
        return {q.id: q for q in self.questions}

    def in_section(self, section_id: str) -> list[Question]:
        return [q for q in self.questions if q.section == section_id]

    def applicable(self, answers: dict[str, Any]) -> list[Question]:
        """Questions that apply given the answers so far (defaults fill gaps for `when`)."""
        effective = self.defaults() | {k: v for k, v in answers.items() if v is not None}
        return [q for q in self.questions if q.applies(effective)]

    def defaults(self) -> dict[str, Any]:
        return {q.id: q.default for q in self.questions if q.default is not None}


def load_data_yaml(name: str) -> Any:
    """Read one of the engine's own YAML data files."""
    text = resources.files("tunewise.engine.data").joinpath(name).read_text(encoding="utf-8")
    # The engine's own files need no line numbers, so the C loader (when built) reads them fastest.
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506


@cache
def load_bank() -> QuestionBank:
    return QuestionBank.model_validate(load_data_yaml("questions.yaml"))
