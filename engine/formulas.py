"""A small, safe formula language for the cost lines in engine/data/cost_lines.yaml.

A formula is a Python expression parsed with :mod:`ast` and checked against a
whitelist when the data is loaded; nothing is ever passed to ``eval``.
Allowed, and how each maps onto a spreadsheet formula one for one:

==========================  ==========================  =========================
formula                     meaning                     spreadsheet
==========================  ==========================  =========================
``12``, ``0.5``, ``1e6``    a number                    the same number
``name``                    a named quantity            a cell reference
``a + b``, ``a - b``        sum, difference             ``a+b``, ``a-b``
``a * b``, ``a / b``        product, quotient           ``a*b``, ``a/b``
``a ** b``                  power                       ``a^b``
``-a``                      negation                    ``-a``
``a < b`` (also <= > >=     1 when true, else 0         ``(a<b)`` (``=``, ``<>``
``==`` ``!=``)                                          for ``==``, ``!=``)
``min(a, b, ...)``          smallest                    ``MIN(a,b,...)``
``max(a, b, ...)``          largest                     ``MAX(a,b,...)``
``ceil(a)``                 round up to a whole number  ``CEILING(a,1)``
``floor(a)``                round down                  ``FLOOR(a,1)``
``if_(c, a, b)``            a when c is not 0, else b   ``IF(c,a,b)``
==========================  ==========================  =========================

Names are catalogue keys (engine/data/assumptions.yaml), numeric and yes/no
answers by question id (yes = 1, no = 0), and the quantities and lines defined
earlier in cost_lines.yaml. :func:`parse` returns the checked ``ast.Expression``
(the tree the spreadsheet writer translates); :func:`compile_formula` turns it
into a function of a mapping of names to values. Values may be floats or
numpy arrays of Monte Carlo draws; the same compiled formula serves both.
"""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

FUNCTIONS = {"min": 1, "max": 1, "ceil": 1, "floor": 1, "if_": 3}
_BINARY = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow)
_COMPARE = (ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.Eq, ast.NotEq)

Value = Any  # float | numpy.ndarray
Compiled = Callable[[Mapping[str, Value]], Value]


class FormulaError(ValueError):
    """A formula outside the whitelisted grammar, or naming something unknown."""


def parse(text: str, where: str = "formula") -> ast.Expression:
    """Parse and check one formula; raise FormulaError naming ``where`` if it is not allowed."""
    try:
        tree = ast.parse(str(text).strip(), mode="eval")
    except SyntaxError as error:
        raise FormulaError(f"{where}: not a formula ({error.msg}): {text!r}") from None
    _check(tree.body, where)
    return tree


def _check(node: ast.AST, where: str) -> None:
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, int | float):
            raise FormulaError(f"{where}: only numbers may appear as constants, not {node.value!r}")
    elif isinstance(node, ast.Name):
        if node.id in FUNCTIONS:
            raise FormulaError(f"{where}: {node.id} is a function; call it")
    elif isinstance(node, ast.BinOp):
        if not isinstance(node.op, _BINARY):
            raise FormulaError(f"{where}: operator {type(node.op).__name__} is not allowed")
        _check(node.left, where)
        _check(node.right, where)
    elif isinstance(node, ast.UnaryOp):
        if not isinstance(node.op, ast.USub | ast.UAdd):
            raise FormulaError(f"{where}: operator {type(node.op).__name__} is not allowed")
        _check(node.operand, where)
    elif isinstance(node, ast.Compare):
        if len(node.ops) != 1 or not isinstance(node.ops[0], _COMPARE):
            raise FormulaError(f"{where}: compare two values at a time with < <= > >= == !=")
        _check(node.left, where)
        _check(node.comparators[0], where)
    elif isinstance(node, ast.Call):
        name = node.func.id if isinstance(node.func, ast.Name) else None
        if name not in FUNCTIONS or node.keywords:
            raise FormulaError(f"{where}: only {', '.join(FUNCTIONS)} may be called")
        count = len(node.args)
        if (name == "if_" and count != 3) or (name in ("ceil", "floor") and count != 1) or count < 1:
            raise FormulaError(f"{where}: wrong number of arguments to {name}")
        for arg in node.args:
            _check(arg, where)
    else:
        raise FormulaError(f"{where}: {type(node).__name__} is not allowed in a formula")


def names_in(tree: ast.AST) -> list[str]:
    """The quantity names a formula reads, in order of first appearance."""
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id not in FUNCTIONS and node.id not in found:
            found.append(node.id)
    return found


_SCALARS = (float, int, np.float64)


def _scalar(*values: Value) -> bool:
    for value in values:  # noqa: SIM110 - a loop, not all(...): this runs on every operation
        if not isinstance(value, float | int):
            return False
    return True


def _div(a: Value, b: Value) -> Value:
    if type(a) in _SCALARS and type(b) in _SCALARS:
        if b == 0:
            return 0.0 if a == 0 else math.copysign(math.inf, a)
        return a / b
    if _scalar(a, b):   # other float or int subclasses (bool, numpy scalars): as above
        if b == 0:
            return 0.0 if a == 0 else math.copysign(math.inf, a)
        return a / b
    with np.errstate(divide="ignore", invalid="ignore"):
        result = np.divide(a, b)
    # 0/0 is 0; x/0 stays infinite (what nan_to_num(nan=0, posinf=inf, neginf=-inf) gives).
    if result.ndim == 0:
        return np.float64(0.0) if np.isnan(result) else result
    np.copyto(result, 0.0, where=np.isnan(result))
    return result


def _pow(a: Value, b: Value) -> Value:
    return a ** b if _scalar(a, b) else np.power(a, b)


_BIN: dict[type, Callable[[Value, Value], Value]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: _div, ast.Pow: _pow,
}
_CMP: dict[type, Callable[[Value, Value], Any]] = {
    ast.Lt: lambda a, b: a < b, ast.LtE: lambda a, b: a <= b, ast.Gt: lambda a, b: a > b,
    ast.GtE: lambda a, b: a >= b, ast.Eq: lambda a, b: a == b, ast.NotEq: lambda a, b: a != b,
}


def _min(*values: Value) -> Value:
    if _scalar(*values):
        return min(values)
    return np.minimum.reduce(np.broadcast_arrays(*values))


def _max(*values: Value) -> Value:
    if _scalar(*values):
        return max(values)
    return np.maximum.reduce(np.broadcast_arrays(*values))


def _ceil(a: Value) -> Value:
    return float(math.ceil(a)) if _scalar(a) else np.ceil(a)


def _floor(a: Value) -> Value:
    return float(math.floor(a)) if _scalar(a) else np.floor(a)


def _number(node: ast.Constant) -> float:
    assert isinstance(node.value, int | float)  # checked by parse()
    return float(node.value)


def _binary(node: ast.BinOp) -> Compiled:
    """A binary operation; names and constants as operands are read directly (the common case),
    which saves a call per operand on every evaluation."""
    op = _BIN[type(node.op)]
    left, right = node.left, node.right
    if isinstance(left, ast.Name) and isinstance(right, ast.Name):
        a_name, b_name = left.id, right.id
        return lambda env: op(env[a_name], env[b_name])
    if isinstance(left, ast.Name) and isinstance(right, ast.Constant):
        a_name, b_value = left.id, _number(right)
        return lambda env: op(env[a_name], b_value)
    if isinstance(left, ast.Constant) and isinstance(right, ast.Name):
        a_value, b_name = _number(left), right.id
        return lambda env: op(a_value, env[b_name])
    if isinstance(right, ast.Name):
        run_a, b_name = _compile(left), right.id
        return lambda env: op(run_a(env), env[b_name])
    if isinstance(left, ast.Name):
        a_name, run_b = left.id, _compile(right)
        return lambda env: op(env[a_name], run_b(env))
    run_left, run_right = _compile(left), _compile(right)
    return lambda env: op(run_left(env), run_right(env))


def compile_formula(tree: ast.Expression) -> Compiled:
    """A function of a names-to-values mapping that computes the formula."""
    return _compile(tree.body)


def _compile(node: ast.AST) -> Compiled:  # noqa: C901 - one case per node type
    if isinstance(node, ast.Constant):
        assert isinstance(node.value, int | float)  # checked by parse()
        constant = float(node.value)
        return lambda env: constant
    if isinstance(node, ast.Name):
        name = node.id
        return lambda env: env[name]
    if isinstance(node, ast.UnaryOp):
        inner = _compile(node.operand)
        if isinstance(node.op, ast.UAdd):
            return inner
        return lambda env: -inner(env)
    if isinstance(node, ast.BinOp):
        return _binary(node)
    if isinstance(node, ast.Compare):
        left, right = _compile(node.left), _compile(node.comparators[0])
        test = _CMP[type(node.ops[0])]

        def compare(env: Mapping[str, Value]) -> Value:
            a, b = left(env), right(env)
            return float(test(a, b)) if _scalar(a, b) else np.asarray(test(a, b), dtype=float)
        return compare
    assert isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    args = [_compile(arg) for arg in node.args]
    name = node.func.id
    if name == "if_":
        cond, then, other = args

        def choose(env: Mapping[str, Value]) -> Value:
            c = cond(env)
            if _scalar(c):
                return then(env) if c else other(env)
            return np.where(np.asarray(c) != 0, then(env), other(env))
        return choose
    function = {"min": _min, "max": _max, "ceil": _ceil, "floor": _floor}[name]
    return lambda env: function(*(arg(env) for arg in args))
