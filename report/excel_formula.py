"""Spreadsheet formulas from the cost model's whitelisted Python expressions.

The engine keeps each cost line as one expression (numbers, names, + - * / **,
unary minus, comparisons, parentheses, min, max, ceil, floor and
``if_(cond, a, b)``). This module writes the same expression as an Excel
formula over defined names, so the workbook recomputes exactly what the
engine computes and never holds a second copy of the arithmetic.

Two forms exist only on the workbook's side, for formulas it builds from the
engine's data (choice answers and the conditions of the rules): ``a and b`` /
``a or b`` with comparisons against quoted choices (``privacy == 'regulated'``),
and ``pick_(question, table)``, the entry of a lookup table on the row of the
question's answer among its choices (the range named ``choices_<question>``).

Excel's grammar differs from Python's in three places that matter here:
unary minus binds tighter than ``^`` (``-2^2`` is 4), ``^`` groups from the
left, and a chained comparison is not a conjunction. Parentheses are added
wherever the two would read an expression differently.
"""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Callable, Mapping

# Binding strength, weakest first, of the Excel operators we emit.
ADD, MULTIPLY, NEGATE, POWER, ATOM = range(5)

_BINARY = {ast.Add: ("+", ADD), ast.Sub: ("-", ADD), ast.Mult: ("*", MULTIPLY),
           ast.Div: ("/", MULTIPLY), ast.Pow: ("^", POWER)}
_COMPARE = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "=", ast.NotEq: "<>"}
_FUNCTIONS = {"min": "MIN", "max": "MAX"}

# A defined name may not read as a cell reference (A1, XFD1048576, R1C1, R, C).
_A1 = re.compile(r"^[A-Za-z]{1,3}[0-9]+$")
_R1C1 = re.compile(r"^[Rr][0-9]*[Cc]?[0-9]*$|^[Cc][0-9]*$")
_CHOICE = re.compile(r"^[A-Za-z0-9_ ]+$")
_NAME = re.compile(r"^[A-Za-z_\\][A-Za-z0-9_.]*$")


class FormulaError(ValueError):
    """An expression outside the cost model's whitelist."""


def is_valid_name(name: str) -> bool:
    """Whether ``name`` can be an Excel defined name as it stands."""
    if not _NAME.match(name) or len(name) > 255 or name.upper() in ("TRUE", "FALSE"):
        return False
    return not (_A1.match(name) or _R1C1.match(name))


def number(value: float | int | bool) -> str:
    """A constant as Excel reads it: integers plainly, others with an upper-case exponent."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if not math.isfinite(value):
        raise FormulaError(f"{value!r} has no spreadsheet form")
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value)).upper()


def to_excel(expression: str | ast.AST, name: Callable[[str], str] = lambda n: n,
             constants: Mapping[str, float] | None = None) -> str:
    """The Excel formula (with its leading ``=``) for one whitelisted expression.

    ``name`` maps each name in the expression to the spreadsheet reference
    that holds it, usually a defined name of the same spelling. Names in
    ``constants`` (such as "this strategy retrieves": 1) are written as numbers
    and folded away where they decide a branch or multiply by 0 or 1.
    """
    tree = ast.parse(expression, mode="eval") if isinstance(expression, str) else expression
    if isinstance(tree, ast.Expression):
        tree = tree.body
    return "=" + _Writer(name).emit(fold(tree, constants or {}))[0]


def fold(tree: ast.AST, constants: Mapping[str, float]) -> ast.AST:
    """The expression with ``constants`` substituted and the branches they settle removed."""
    return _Folder(constants).visit(_copy(tree))


def _copy(tree: ast.AST) -> ast.AST:
    return ast.parse(ast.unparse(tree), mode="eval").body


def _constant(node: ast.AST) -> float | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float) \
            and not isinstance(node.value, bool):
        return float(node.value)
    return None


class _Folder(ast.NodeTransformer):
    def __init__(self, constants: Mapping[str, float]):
        self.constants = constants

    def visit_Name(self, node: ast.Name) -> ast.AST:
        if node.id in self.constants:
            return ast.Constant(float(self.constants[node.id]))
        return node

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.func, ast.Name) and node.func.id == "if_" and len(node.args) == 3:
            condition = _constant(node.args[0])
            if condition is not None:
                return node.args[1] if condition else node.args[2]
        return node

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        self.generic_visit(node)
        left, right = _constant(node.left), _constant(node.right)
        if isinstance(node.op, ast.Mult):
            if 0.0 in (left, right):
                return ast.Constant(0.0)
            if left == 1.0:
                return node.right
            if right == 1.0:
                return node.left
        if isinstance(node.op, ast.Add | ast.Sub) and right == 0.0:
            return node.left
        if isinstance(node.op, ast.Add) and left == 0.0:
            return node.right
        if isinstance(node.op, ast.Div) and right == 1.0:
            return node.left
        if left is not None and right is not None and isinstance(node.op, ast.Add | ast.Sub | ast.Mult):
            value = {ast.Add: left + right, ast.Sub: left - right, ast.Mult: left * right}
            return ast.Constant(value[type(node.op)])
        return node


class _Writer:
    def __init__(self, name: Callable[[str], str]):
        self.name = name

    def emit(self, node: ast.AST) -> tuple[str, int]:
        """(text, binding strength of its outermost operator)."""
        method = getattr(self, "_" + type(node).__name__, None)
        if method is None:
            raise FormulaError(f"{type(node).__name__} is not allowed in a cost formula")
        return method(node)

    def wrapped(self, node: ast.AST, at_least: int) -> str:
        text, strength = self.emit(node)
        return text if strength >= at_least else f"({text})"

    def _Constant(self, node: ast.Constant) -> tuple[str, int]:
        if not isinstance(node.value, int | float):
            raise FormulaError(f"constant {node.value!r} is not a number")
        text = number(node.value)
        return text, ATOM if not text.startswith("-") else NEGATE

    def _Name(self, node: ast.Name) -> tuple[str, int]:
        return self.name(node.id), ATOM

    def _UnaryOp(self, node: ast.UnaryOp) -> tuple[str, int]:
        if isinstance(node.op, ast.UAdd):
            return self.emit(node.operand)
        if not isinstance(node.op, ast.USub):
            raise FormulaError("only unary minus is allowed")
        # Excel would read -a^b as (-a)^b, so anything but an atom goes in parentheses.
        return "-" + self.wrapped(node.operand, ATOM), NEGATE

    def _BinOp(self, node: ast.BinOp) -> tuple[str, int]:
        if type(node.op) not in _BINARY:
            raise FormulaError(f"operator {type(node.op).__name__} is not allowed")
        symbol, strength = _BINARY[type(node.op)]
        if strength == POWER:
            # Python's ** groups from the right and outranks unary minus; Excel's does neither.
            return f"{self.wrapped(node.left, ATOM)}^{self.wrapped(node.right, ATOM)}", POWER
        # Left-to-right grouping: the right operand needs strictly stronger binding.
        left = self.wrapped(node.left, strength)
        right = self.wrapped(node.right, strength + 1)
        return f"{left}{symbol}{right}", strength

    def _Compare(self, node: ast.Compare) -> tuple[str, int]:
        """A comparison used as a number is 1 or 0, as in the engine."""
        return f"IF({self.condition(node)},1,0)", ATOM

    def _BoolOp(self, node: ast.BoolOp) -> tuple[str, int]:
        return f"IF({self.condition(node)},1,0)", ATOM

    def condition(self, node: ast.AST) -> str:
        """A test, as IF's first argument takes it: comparisons bare, numbers non-zero is true."""
        if isinstance(node, ast.BoolOp):
            function = "AND" if isinstance(node.op, ast.And) else "OR"
            return f"{function}({','.join(self.condition(v) for v in node.values)})"
        if not isinstance(node, ast.Compare):
            return self.emit(node)[0]
        parts, left = [], node.left
        for op, right in zip(node.ops, node.comparators, strict=True):
            if type(op) not in _COMPARE:
                raise FormulaError(f"comparison {type(op).__name__} is not allowed")
            parts.append(f"{self.operand(left)}{_COMPARE[type(op)]}{self.operand(right)}")
            left = right
        return parts[0] if len(parts) == 1 else f"AND({','.join(parts)})"

    def operand(self, node: ast.AST) -> str:
        """One side of a comparison: an expression, or a choice quoted as text."""
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if not _CHOICE.match(node.value):
                raise FormulaError(f"choice {node.value!r} cannot be quoted in a formula")
            return f'"{node.value}"'
        return self.wrapped(node, ADD)

    def _Call(self, node: ast.Call) -> tuple[str, int]:
        if not isinstance(node.func, ast.Name) or node.keywords:
            raise FormulaError("only plain calls of the whitelisted functions are allowed")
        function, args = node.func.id, [self.emit(a)[0] for a in node.args]
        if function in _FUNCTIONS and args:
            return f"{_FUNCTIONS[function]}({','.join(args)})", ATOM
        if function == "if_" and len(args) == 3:
            return f"IF({self.condition(node.args[0])},{args[1]},{args[2]})", ATOM
        if function == "pick_" and len(node.args) == 2 and all(isinstance(a, ast.Name) for a in node.args):
            question = node.args[0].id  # type: ignore[attr-defined]
            return f"INDEX({args[1]},MATCH({args[0]},{self.name('choices_' + question)},0))", ATOM
        if function == "floor" and len(args) == 1:
            return f"INT({args[0]})", ATOM
        if function == "ceil" and len(args) == 1:
            # INT rounds towards minus infinity, so -INT(-x) is Python's ceil for any sign.
            return f"-INT(-{self.wrapped(node.args[0], ATOM)})", NEGATE
        raise FormulaError(f"{function}() with {len(args)} arguments is not allowed")


def names_in(expression: str) -> list[str]:
    """The names an expression reads, in first-use order (function names excluded)."""
    tree = ast.parse(expression, mode="eval")
    called = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    seen: dict[str, None] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and id(node) not in called:
            seen.setdefault(node.id, None)
    return list(seen)
