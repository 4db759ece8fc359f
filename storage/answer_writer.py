"""Writing answer files (autosaves and exports) that scripted mode reads back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from tunewise.engine.answers import ANSWER_FILE_VERSION
from tunewise.engine.questions import load_bank
from tunewise.storage.atomic import write_text


def answer_document(client: dict[str, Any], answers: dict[str, Any], currency: str = "USD",
                    assumptions: dict[str, float] | None = None,
                    notes: dict[str, str] | None = None) -> dict[str, Any]:
    """The mapping of an answer file, answers in question-bank order."""
    order = {qid: i for i, qid in enumerate(load_bank().ids)}
    # A date stays a date object so YAML writes it bare (2026-11-02), which the reader
    # takes as a date; an ISO string would be quoted and refused.
    clean_client = {k: (_as_date(v) if k == "date" else v)
                    for k, v in client.items() if v not in (None, "")}
    document: dict[str, Any] = {"version": ANSWER_FILE_VERSION, "client": clean_client,
                                "currency": currency,
                                "answers": dict(sorted(answers.items(),
                                                       key=lambda kv: order.get(kv[0], 999)))}
    if assumptions:
        document["assumptions"] = dict(assumptions)
    kept = {k: v.strip() for k, v in (notes or {}).items() if v and v.strip()}
    if kept:
        # The consultant's note per answer, in question order (shown in the report).
        document["notes"] = dict(sorted(kept.items(), key=lambda kv: order.get(kv[0], 999)))
    return document


def _as_date(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def dump_answers(client: dict[str, Any], answers: dict[str, Any], currency: str = "USD",
                 assumptions: dict[str, float] | None = None,
                 notes: dict[str, str] | None = None) -> str:
    document = answer_document(client, answers, currency, assumptions, notes)
    return "# tunewise answer file\n" + yaml.safe_dump(document, sort_keys=False,
                                                        allow_unicode=True)


def save_answers(path: str | Path, client: dict[str, Any], answers: dict[str, Any],
                 currency: str = "USD", assumptions: dict[str, float] | None = None,
                 notes: dict[str, str] | None = None) -> Path:
    """Atomically write an answer file; the previous version survives any failure."""
    return write_text(path, dump_answers(client, answers, currency, assumptions, notes))
