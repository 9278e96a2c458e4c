"""The validator's tree walk: ``ast.walk``'s nodes in its order, minus contexts and operators."""

from __future__ import annotations

import ast
import sysconfig
from pathlib import Path

from claude_tui.validation.pyindex import child_nodes, walk

_INERT = (ast.expr_context, ast.operator, ast.cmpop, ast.unaryop, ast.boolop)

SOURCE = """
import os, sys as system
from . import sibling
from .pkg import a as b, c
counter = 0
def outer(x, /, y=1, *args, z: int = 2, **kwargs) -> dict[str, int]:
    global counter
    counter += 1
    def inner():
        nonlocal x
        x = not x and y or -z
        return {**kwargs, "k": x, None: [*args]}
    if x < y <= z is not None:
        return {k: v async for k, v in kwargs.items() if v}
    with open(os.devnull) as handle, lock:
        pass
    try:
        del system.path[0:1]
    except* (OSError, ValueError) as group:
        raise RuntimeError(f"{x!r:>{y}} {group}") from None
    match x:
        case {"a": 1, **rest} | [1, *_] if rest:
            pass
        case Point(1, y=2) | None | True:
            pass
    return lambda q=1: (yield q)
class K(Base, metaclass=Meta):
    attr: int = 3
    @decorator(1)
    async def method(self) -> None:
        async with self.x as (a, b):
            await a
"""


def _expected(tree: ast.AST) -> list[ast.AST]:
    return [n for n in ast.walk(tree) if not isinstance(n, _INERT)]


def test_walk_matches_ast_walk_without_contexts_and_operators() -> None:
    tree = ast.parse(SOURCE, type_comments=True)
    assert list(walk(tree)) == _expected(tree)
    for node in ast.walk(tree):
        want = [c for c in ast.iter_child_nodes(node) if not isinstance(c, _INERT)]
        assert child_nodes(node) == want


def test_walk_matches_on_the_standard_library_sample() -> None:
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    for name in ("ast.py", "typing.py", "dataclasses.py", "asyncio/base_events.py"):
        tree = ast.parse((stdlib / name).read_text(encoding="utf-8"))
        assert list(walk(tree)) == _expected(tree), name
