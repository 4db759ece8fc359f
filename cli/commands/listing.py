"""`tunewise questions`, `schema` and `assumptions`: print what the engine knows."""

from __future__ import annotations

import json
import textwrap

from tunewise.engine.assumptions import load_catalogue
from tunewise.engine.questions import load_bank


def run_questions() -> int:
    bank = load_bank()
    for section in bank.sections:
        print(f"\n{section.title.upper()}\n  {section.intro}")
        for question in bank.in_section(section.id):
            when = ""
            if question.when:
                when = " [asked when " + ", ".join(
                    f"{k} = {json.dumps(v)}" for k, v in question.when.items()) + "]"
            print(f"\n  {question.id} ({question.type}){when}\n    {question.prompt}")
            for line in textwrap.wrap("Why it matters: " + question.help, 76):
                print(f"    {line}")
            for choice in question.choices:
                print(f"      - {choice.value}: {choice.explain}")
            if question.type in ("integer", "money"):
                print(f"      allowed: {question.allowed()}")
    return 0


def run_schema() -> int:
    from tunewise.engine.schema import answer_file_schema
    print(json.dumps(answer_file_schema(), indent=2, ensure_ascii=False))
    return 0


def run_assumptions() -> int:
    catalogue = load_catalogue()
    for key, entry in catalogue.entries.items():
        print(f"{key} = {entry.value:g} {entry.unit}  (range {entry.low:g}-{entry.high:g}; "
              f"{entry.kind}, {entry.as_of})")
        print(f"    {entry.label}. Source: {entry.source}")
    return 0
