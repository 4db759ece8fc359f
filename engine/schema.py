"""A JSON Schema for answer files, generated from the question bank."""

from __future__ import annotations

from typing import Any

from tunewise.engine.assumptions import load_catalogue
from tunewise.engine.questions import Question, load_bank

SCHEMA_ID = "https://tunewise.dev/schema/answers-1.json"


def _question_schema(question: Question) -> dict[str, Any]:
    schema: dict[str, Any] = {"title": question.prompt, "description": question.help}
    if question.type == "bool":
        schema["type"] = "boolean"
    elif question.type == "choice":
        schema["enum"] = question.values
        schema["description"] += "\n\n" + "\n".join(
            f"- {c.value}: {c.explain}" for c in question.choices)
    elif question.type in ("integer", "money"):
        schema["type"] = "integer" if question.type == "integer" else "number"
        if question.min is not None:
            schema["minimum"] = question.min
        if question.max is not None:
            schema["maximum"] = question.max
    else:
        schema["type"] = "string"
    if question.default is not None:
        schema["default"] = question.default
    return schema


def answer_file_schema() -> dict[str, Any]:
    bank, catalogue = load_bank(), load_catalogue()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "tunewise answer file",
        "type": "object",
        "additionalProperties": False,
        "required": ["version", "client", "answers"],
        "properties": {
            "version": {"const": 1},
            "client": {
                "type": "object", "additionalProperties": False,
                "required": ["name", "project"],
                "properties": {
                    "name": {"type": "string", "minLength": 1, "maxLength": 200},
                    "project": {"type": "string", "minLength": 1, "maxLength": 200},
                    "consultant": {"type": "string", "maxLength": 200},
                    "date": {"type": "string", "format": "date"},
                },
            },
            "currency": {"enum": catalogue.currencies, "default": "USD"},
            "answers": {
                "type": "object", "additionalProperties": False,
                "properties": {q.id: _question_schema(q) for q in bank.questions},
            },
            "assumptions": {
                "type": "object", "additionalProperties": False,
                "properties": {
                    key: {"type": "number", "minimum": entry.min,
                          "description": f"{entry.label} ({entry.unit}); default {entry.value:g}"
                                         f"; source: {entry.source}"}
                    for key, entry in catalogue.entries.items()},
            },
        },
    }
