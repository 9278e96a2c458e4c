"""Evaluate small arithmetic expressions from their AST, safely."""
from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable, Mapping

type_ = type  # `type` is also used as a plain variable name below

_BINOPS: Mapping[type_[ast.operator], Callable[[float, float], float]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
    ast.Mod: operator.mod,
}

_FUNCS: Mapping[str, Callable[..., float]] = {
    "sqrt": math.sqrt,
    "log": math.log,
    "abs": abs,
    "min": min,
    "max": max,
}


class EvalError(ValueError):
    pass


def evaluate(source: str, /, variables: Mapping[str, float] | None = None, *, max_len: int = 200) -> float:
    if len(source) > max_len:
        raise EvalError(f"expression longer than {max_len} characters")
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as exc:
        raise EvalError(f"cannot parse: {exc.msg}") from None
    return _eval(tree.body, variables or {})


def _eval(node: ast.AST, env: Mapping[str, float]) -> float:
    match node:
        case ast.Constant(value=int() | float() as value):
            return float(value)
        case ast.Name(id=name):
            if (value := env.get(name)) is None:
                raise EvalError(f"unknown variable {name!r}")
            return value
        case ast.UnaryOp(op=ast.USub(), operand=operand):
            return -_eval(operand, env)
        case ast.BinOp(left=left, op=op, right=right) if type(op) in _BINOPS:
            return _BINOPS[type(op)](_eval(left, env), _eval(right, env))
        case ast.Call(func=ast.Name(id=fname), args=args, keywords=[]) if fname in _FUNCS:
            return float(_FUNCS[fname](*(_eval(a, env) for a in args)))
        case _:
            raise EvalError(f"unsupported syntax: {type(node).__name__}")


def evaluate_many(sources: list[str], variables: Mapping[str, float]) -> list[float]:
    """Evaluate all; report every failure together rather than the first one."""
    results: list[float] = []
    errors: list[Exception] = []
    for s in sources:
        try:
            results.append(evaluate(s, variables))
        except (EvalError, ZeroDivisionError, OverflowError) as exc:
            errors.append(exc)
    if errors:
        raise ExceptionGroup("some expressions failed", errors)
    return results


def summarize(sources: list[str], variables: Mapping[str, float]) -> str:
    problems: list[str] = []
    values: list[float] = []
    try:
        values = evaluate_many(sources, variables)
    except* ZeroDivisionError as group:
        problems.append(f"{len(group.exceptions)} division(s) by zero")
    except* EvalError as group:
        problems.extend(str(e) for e in group.exceptions)
    if problems:
        return "; ".join(problems)
    match = max(values, default=0.0)
    type = "int" if match.is_integer() else "float"
    return f"max={match} ({type})"
