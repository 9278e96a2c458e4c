"""Keyboard shortcut registry with decorator-based registration."""
from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar, TypeVarTuple, Unpack

Ts = TypeVarTuple("Ts")
R = TypeVar("R")

_counter = 0


class Action(Generic[Unpack[Ts]]):
    def __init__(self, fn: Callable[[*Ts], object], name: str) -> None:
        self.fn = fn
        self.name = name

    def __call__(self, *args: *Ts) -> object:
        return self.fn(*args)


class Keymap:
    def __init__(self) -> None:
        self.bindings: dict[str, list[Action]] = {}

    def bind(self, *keys: str) -> Callable[[Callable[..., R]], Callable[..., R]]:
        def register(fn: Callable[..., R]) -> Callable[..., R]:
            for key in keys:
                self.bindings.setdefault(key.lower(), []).append(Action(fn, fn.__name__))
            return fn

        return register

    def press(self, key: str, *args: object) -> list[object]:
        return [action(*args) for action in self.bindings.get(key.lower(), [])]


maps = {"global": Keymap(), "editor": Keymap()}


@maps["global"].bind("ctrl+q")
def quit_app() -> str:
    return "quit"


@maps["editor"].bind("ctrl+s", "cmd+s")
def save(path: str = "untitled.txt") -> str:
    global _counter
    _counter += 1
    return f"saved {path} (#{_counter})"


@(lambda fn: maps["editor"].bind("ctrl+z")(fn))
def undo(steps: int = 1) -> str:
    return f"undo x{steps}"


def counter() -> Callable[[], int]:
    count = 0

    def bump() -> int:
        nonlocal count
        count += 1
        return count

    return bump


def in_range(x: int, lo: int = 0, hi: int = 10) -> bool:
    return lo <= x < hi != lo


handlers = [lambda k=k: f"pressed {k}" for k in ("a", "b", "c")]
first, *rest = handlers
