"""A small, safe formula language for the cost lines in engine/data/cost_lines.yaml.

A formula is a Python expression parsed with :mod:`ast` and checked against a
whitelist when the data is loaded; its text is never passed to ``eval`` or ``exec``
(only code this module writes from a checked tree is compiled, see `compile_formula`).
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
numpy arrays of Monte Carlo draws; the same compiled formula serves both, with
the numbers the helpers below give for each.
"""

from __future__ import annotations

import ast
import math
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


def _scalar(*values: Value) -> bool:
    for value in values:  # noqa: SIM110 - a loop, not all(...): this runs on every operation
        if not isinstance(value, float | int):
            return False
    return True


def _div(a: Value, b: Value) -> Value:
    if _scalar(a, b):   # floats, ints and their subclasses (bool, numpy scalars)
        if b == 0:
            return 0.0 if a == 0 else math.copysign(math.inf, a)
        return a / b
    if type(b) is float and b != 0 and b - b == 0:
        # A finite, non-zero number: no division by zero and no inf/inf, so nothing to silence
        # (entering np.errstate costs more than the division of a column of draws).
        result = np.divide(a, b)
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            result = np.divide(a, b)
    # 0/0 is 0; x/0 stays infinite (what nan_to_num(nan=0, posinf=inf, neginf=-inf) gives).
    if result.ndim == 0:
        return np.float64(0.0) if np.isnan(result) else result
    # (one sum finds whether there is any NaN to clear: cheaper than marking each, and rare; the
    # sum is a numpy float, which math.isnan reads without making another numpy object)
    if math.isnan(np.add.reduce(result, axis=None)):
        np.copyto(result, 0.0, where=np.isnan(result))
    return result


def _pow(a: Value, b: Value) -> Value:
    return a ** b if _scalar(a, b) else np.power(a, b)


_CMP: dict[type, Callable[[Value, Value], Any]] = {
    ast.Lt: lambda a, b: a < b, ast.LtE: lambda a, b: a <= b, ast.Gt: lambda a, b: a > b,
    ast.GtE: lambda a, b: a >= b, ast.Eq: lambda a, b: a == b, ast.NotEq: lambda a, b: a != b,
}


def _extreme(pick: Callable[..., Value], pairwise: np.ufunc) -> Callable[..., Value]:
    """min or max: Python's of plain numbers, else pairwise from the left over columns, which
    is what ``pairwise.reduce`` over the broadcast arguments gives without stacking them first."""
    def extreme(*values: Value) -> Value:
        if _scalar(*values):
            return pick(values)
        if len(values) < 2:
            return pairwise.reduce(np.broadcast_arrays(*values))
        found = pairwise(values[0], values[1])
        for value in values[2:]:
            found = pairwise(found, value)
        return found
    return extreme


_min = _extreme(min, np.minimum)
_max = _extreme(max, np.maximum)


def _ceil(a: Value) -> Value:
    return float(math.ceil(a)) if _scalar(a) else np.ceil(a)


def _floor(a: Value) -> Value:
    return float(math.floor(a)) if _scalar(a) else np.floor(a)


def _number(node: ast.Constant) -> float:
    assert isinstance(node.value, int | float)  # checked by parse()
    return float(node.value)


def _compare(test: Callable[[Value, Value], Any]) -> Callable[[Value, Value], Value]:
    def compare(a: Value, b: Value) -> Value:
        return float(test(a, b)) if _scalar(a, b) else np.asarray(test(a, b), dtype=float)
    return compare


def _where(condition: Value, then: Value, other: Value) -> Value:
    return np.where(np.asarray(condition) != 0, then, other)


_COMPARE_TEXT = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!="}
_ARITHMETIC_TEXT = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*"}
# What generated code may call: these helpers and nothing else (its builtins are emptied).
_HELPERS: dict[str, Any] = {
    "_float": float, "_type": type, "_scalar": _scalar, "_div": _div, "_pow": _pow, "_where": _where,
    "_min": _min, "_max": _max, "_ceil": _ceil, "_floor": _floor, "_min_of": min, "_max_of": max,
    "_math_ceil": math.ceil, "_math_floor": math.floor,
    **{f"_compare_{type_.__name__}": _compare(test) for type_, test in _CMP.items()},
}


def compile_formula(tree: ast.Expression) -> Compiled:
    """A function of a names-to-values mapping that computes the formula.

    The checked tree is written out as the body of one Python function and compiled,
    which costs one call per evaluation instead of one per operation. The source is ours
    alone: every identifier in it is generated here (`_t3`, `_k0`), the names and numbers
    of the formula are bound to those identifiers as values, never spliced into the text,
    and the function sees no builtins. Each operation does exactly what the helpers above
    do (the same numbers for floats and for numpy arrays): plain floats take an inline
    path, anything else the helper itself.
    """
    _check(tree.body, "formula")   # again: only the whitelisted grammar reaches the writer
    return _Writer().function(tree.body)


class _Writer:
    """Writes one checked formula as Python statements, one temporary per intermediate value."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.depth = 1
        self.namespace: dict[str, Any] = {"__builtins__": {}, **_HELPERS}
        self.count = 0
        self.numbers: set[str] = set()   # identifiers bound to a float constant

    def function(self, node: ast.AST) -> Compiled:
        result = self.expression(node)
        source = "\n".join(["def formula(env):", *self.lines, f"    return {result}", ""])
        exec(compile(source, "<formula>", "exec"), self.namespace)  # noqa: S102 - generated, see above
        compiled: Compiled = self.namespace["formula"]
        return compiled

    def bind(self, value: Any, prefix: str) -> str:
        """A new identifier standing for ``value`` in the generated function's namespace."""
        self.count += 1
        identifier = f"{prefix}{self.count}"
        self.namespace[identifier] = value
        return identifier

    def temporary(self, expression: str) -> str:
        self.count += 1
        identifier = f"_t{self.count}"
        self.emit(f"{identifier} = {expression}")
        return identifier

    def emit(self, line: str) -> None:
        self.lines.append("    " * self.depth + line)

    def expression(self, node: ast.AST) -> str:  # noqa: C901 - one case per node type
        """Python text computing ``node``, after emitting the statements it needs."""
        if isinstance(node, ast.Constant):
            identifier = self.bind(_number(node), "_k")
            self.numbers.add(identifier)
            return identifier
        if isinstance(node, ast.Name):
            return f"env[{self.bind(node.id, '_n')}]"
        if isinstance(node, ast.UnaryOp):
            inner = self.expression(node.operand)
            return inner if isinstance(node.op, ast.UAdd) else f"(-{inner})"
        if isinstance(node, ast.BinOp):
            return self.binary(node)
        if isinstance(node, ast.Compare):
            a, b = self.operands([node.left, node.comparators[0]])
            kind = type(node.ops[0])
            return self.temporary(f"(1.0 if {a} {_COMPARE_TEXT[kind]} {b} else 0.0) if {self.floats(a, b)} "
                                  f"else _compare_{kind.__name__}({a}, {b})")
        assert isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
        name = node.func.id
        if name == "if_":
            return self.choose(*node.args)
        values = self.operands(node.args)
        listed = ", ".join(values)
        if name not in ("min", "max"):
            inline = f"_float(_math_{name}({listed}))"
        else:   # min and max of one number is that number
            inline = f"_{name}_of({listed})" if len(values) > 1 else values[0]
        return self.temporary(f"{inline} if {self.floats(*values)} else _{name}({listed})")

    def binary(self, node: ast.BinOp) -> str:
        kind = type(node.op)
        if kind in _ARITHMETIC_TEXT:
            left = self.expression(node.left)
            return f"({left} {_ARITHMETIC_TEXT[kind]} {self.expression(node.right)})"
        a, b = self.operands([node.left, node.right])
        if kind is ast.Pow:
            return self.temporary(f"_pow({a}, {b})")
        nonzero = b if b not in self.numbers else "True" if self.namespace[b] != 0 else "False"
        return self.temporary(f"{a} / {b} if {self.floats(a, b)} and {nonzero} else _div({a}, {b})")

    def operands(self, nodes: list[ast.expr]) -> list[str]:
        """Each operand computed once, in order: a temporary unless it is one already."""
        found = []
        for node in nodes:
            value = self.expression(node)
            found.append(value if value.isidentifier() else self.temporary(value))
        return found

    def floats(self, *identifiers: str) -> str:
        """A test that every one of ``identifiers`` is a plain float (constants are)."""
        return " and ".join([f"_type({x}) is _float" for x in identifiers if x not in self.numbers]
                            or ["True"])

    def choose(self, condition: ast.expr, then: ast.expr, other: ast.expr) -> str:
        """if_: a plain number picks one branch and computes only it; a column of draws
        computes both and picks per draw."""
        c, = self.operands([condition])
        one = self.temporary(f"_type({c}) is _float or _scalar({c})")
        picked = []
        for branch, test in ((then, f"not {one} or {c}"), (other, f"not {one} or not {c}")):
            self.emit(f"if {test}:")
            self.depth += 1
            value = self.expression(branch)
            self.count += 1
            picked.append(f"_t{self.count}")
            self.emit(f"{picked[-1]} = {value}")
            self.depth -= 1
        then_value, other_value = picked
        return self.temporary(f"({then_value} if {c} else {other_value}) if {one} "
                              f"else _where({c}, {then_value}, {other_value})")
