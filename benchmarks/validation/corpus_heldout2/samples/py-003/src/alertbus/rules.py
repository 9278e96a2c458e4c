from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable

from .notifiers import Notifier


@dataclass
class Rule:
    name: str
    threshold: float
    cooldown_s: float = 300.0
    last_fired: float | None = field(default=None, repr=False)


class Evaluator:
    def __init__(self, notifier: Notifier, clock: Callable[[], float] = time.monotonic) -> None:
        self._notifier = notifier
        self._clock = clock
        self._rules: dict[str, Rule] = {}

    def add(self, rule: Rule) -> None:
        self._rules[rule.name] = rule

    def observe(self, name: str, value: float) -> bool:
        rule = self._rules.get(name)
        if rule is None or value < rule.threshold:
            return False
        now = self._clock()
        if rule.last_fired is not None and now - rule.last_fired < rule.cooldown_s:
            return False
        rule.last_fired = now
        self._notifier.send(f"{name} over threshold", f"value {value} >= {rule.threshold}")
        return True
