"""Templates get plain data only (issue 14, item 1): dicts, lists, strings, numbers, booleans, None.

A template is untrusted (``--templates``). Any object with methods it can reach (a pydantic
model, a view class, a lambda) is a way out of the sandbox, so the context is walked here and
must hold nothing else, for every example and both output modes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tunewise.engine.answers import load_answer_path, require
from tunewise.engine.assess import assess
from tunewise.report.brand import DEFAULT_BRAND
from tunewise.report.render import _context

ROOT = Path(__file__).resolve().parent.parent
PLAIN = (str, int, float, bool, type(None))


def non_plain(value, path="context"):
    """Paths to every value in a tree that is not plain data (exact types: no subclasses)."""
    if type(value) is dict:
        found = []
        for key, item in value.items():
            if type(key) is not str:
                found.append(f"{path}[{key!r}] (key of type {type(key).__name__})")
            found += non_plain(item, f"{path}.{key}")
        return found
    if type(value) is list:
        return [p for index, item in enumerate(value) for p in non_plain(item, f"{path}[{index}]")]
    if type(value) in PLAIN:
        return []
    return [f"{path} ({type(value).__name__})"]


def test_the_walker_catches_models_lambdas_and_tuples():
    assessment = assess(require(load_answer_path(ROOT / "examples" / "small-faq.yaml")))
    tree = {"ok": [1, "a", None, {"b": 2.0}], "model": assessment, "f": lambda: 1, "t": (1,)}
    assert sorted(non_plain(tree)) == [
        "context.f (function)",
        "context.model (Assessment)",
        "context.t (tuple)",
    ]


@pytest.mark.parametrize("stem", sorted(p.stem for p in (ROOT / "examples").glob("*.yaml")))
@pytest.mark.parametrize("mode", ["html", "pdf"])
def test_templates_receive_plain_data_only(stem, mode):
    assessment = assess(require(load_answer_path(ROOT / "examples" / f"{stem}.yaml")))
    for detail in ("brief", "full"):
        context = _context(assessment, DEFAULT_BRAND, None, mode, "a4" if mode == "pdf" else None, detail)
        assert non_plain(context) == []
