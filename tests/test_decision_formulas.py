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


def _interpret(node, env):
    """The formula language read directly, one helper per operation: what a compiled formula must do."""
    import ast
    import operator

    from tunewise.engine import formulas as f

    if isinstance(node, ast.Expression):
        return _interpret(node.body, env)
    if isinstance(node, ast.Constant):
        return float(node.value)
    if isinstance(node, ast.Name):
        return env[node.id]
    if isinstance(node, ast.UnaryOp):
        inner = _interpret(node.operand, env)
        return inner if isinstance(node.op, ast.UAdd) else -inner
    if isinstance(node, ast.BinOp):
        op = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: f._div,
              ast.Pow: f._pow}[type(node.op)]
        return op(_interpret(node.left, env), _interpret(node.right, env))
    if isinstance(node, ast.Compare):
        return f._compare(f._CMP[type(node.ops[0])])(_interpret(node.left, env),
                                                     _interpret(node.comparators[0], env))
    if node.func.id == "if_":
        condition = _interpret(node.args[0], env)
        if f._scalar(condition):
            return _interpret(node.args[1] if condition else node.args[2], env)
        return f._where(condition, _interpret(node.args[1], env), _interpret(node.args[2], env))
    function = {"min": f._min, "max": f._max, "ceil": f._ceil, "floor": f._floor}[node.func.id]
    return function(*[_interpret(arg, env) for arg in node.args])


FORMULAS = [
    "a / b + b / a - c / 0", "0 / c + a / (b - b)", "min(a, b) - max(c, a, 0) + min(a)", "ceil(a) * floor(b)",
    "if_(a > b, c, a) + if_(c, if_(b <= 0, 1, a / c), 2)", "(a == b) + (a != c) + (b >= c) + (c < 0)",
    "-a ** 2 + b ** 0.5", "+a - -b * c", "if_(0, a, b) + if_(1, a, b)",
]
NUMBERS = [0.0, -0.0, 2.5, -3.0, 7.0, 1e308]
COLUMNS = [np.array([0.0, -0.0, 2.5, -3.0, 7.0]), np.array([0.0, 2.0, -1.5, 4.0, 1e308])]


@pytest.mark.parametrize("text", FORMULAS)
def test_a_compiled_formula_gives_what_reading_it_directly_gives(text):
    """Exactly, with the same type, for floats, ints, numpy scalars, columns and mixtures."""
    import itertools
    import warnings

    tree = parse(text)
    run = compile_formula(tree)
    kinds = [*NUMBERS, 3, np.float64(-2.0), np.array(1.5), *COLUMNS]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for a, b, c in itertools.product(kinds, repeat=3):
            env = {"a": a, "b": b, "c": c}
            try:
                expected = _interpret(tree, env)
            except OverflowError:   # a float power out of range, as Python has it
                with pytest.raises(OverflowError):
                    run(env)
                continue
            found = run(env)
            assert type(found) is type(expected), env
            assert np.array_equal(found, expected, equal_nan=True), env
            if not np.iscomplexobj(found):   # a negative number to the power 0.5, as Python has it
                assert np.array_equal(np.signbit(found), np.signbit(expected)), env


def test_a_formula_names_data_never_code():
    """Names are looked up in the mapping, whatever they are called; the compiled code has no builtins."""
    run = compile_formula(parse("__import__ + _div * env - _float + formula"))
    assert run({"__import__": 1.0, "_div": 2.0, "env": 3.0, "_float": 4.0, "formula": 5.0}) == 8.0
    with pytest.raises(KeyError):
        run({})


def test_a_tree_built_outside_the_parser_is_checked_before_it_is_compiled():
    import ast

    tree = ast.Expression(ast.Call(ast.Name("open", ast.Load()), [ast.Constant("f")], []))
    with pytest.raises(FormulaError):
        compile_formula(tree)
