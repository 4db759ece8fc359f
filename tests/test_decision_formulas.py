"""The cost-line formula language: safe to load, the same in numpy, and exportable one for one."""

import numpy as np
import pytest

from tests.conftest import EXAMPLES
from tunewise.engine.answers import load_answer_path, require
from tunewise.engine.assumptions import load_catalogue
from tunewise.engine.cost_model import quantities
from tunewise.engine.costs import values_in
from tunewise.engine.formulas import FormulaError, compile_formula, parse


@pytest.mark.parametrize("text", ["__import__('os')", "a.b", "x[0]", "lambda: 1", "'text'",
                                  "open('f')", "a if b else c", "a and b", "min", "f(1)",
                                  "1 < 2 < 3", "True"])
def test_anything_outside_the_grammar_is_refused(text):
    with pytest.raises(FormulaError):
        parse(text)


def test_scalars_and_draws_give_the_same_numbers():
    run = compile_formula(parse("if_(a > 1, min(a, b) ** 2, -floor(b) / 2) + ceil(a) * max(a, b, 0)"))
    a, b = np.array([0.5, 2.0, 3.0]), np.array([1.5, 1.0, 4.2])
    vector = run({"a": a, "b": b})
    scalar = [run({"a": float(x), "b": float(y)}) for x, y in zip(a, b, strict=True)]
    assert np.allclose(vector, scalar)


@pytest.mark.parametrize("stem", ["support-tickets", "massive-corpus", "small-faq"])
def test_exported_quantities_recompute_every_total(stem):
    answer_file = require(load_answer_path(EXAMPLES / f"{stem}.yaml"))
    catalogue = load_catalogue()
    sources = {"prompt": "closed_api", "rag": "closed_api", "peft": "open_weights",
               "full_fine_tune": "open_weights", "from_scratch": "open_weights", "hybrid": "closed_api"}
    found = quantities(values_in(catalogue, "USD"), answer_file.answers, sources, {})
    names: dict[str, float] = {}
    for quantity in found:
        if quantity.formula is None:
            names[quantity.name] = quantity.value
            continue
        names[quantity.name] = compile_formula(parse(quantity.formula))(names)
        assert names[quantity.name] == pytest.approx(quantity.value, rel=1e-9, abs=1e-9), quantity.name
    assert {f"horizon_total_{s}" for s in sources} <= set(names)
