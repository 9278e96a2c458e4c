"""A small task tracker: items move from TODO to DONE."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime


class State(enum.Enum):
    TODO = "TODO"
    DOING = "DOING"
    DONE = "DONE"


@dataclass
class Item:
    title: str
    state: State = State.TODO
    created: datetime = field(default_factory=datetime.now)
    tags: list[str] = field(default_factory=list)

    def advance(self) -> None:
        order = [State.TODO, State.DOING, State.DONE]
        index = order.index(self.state)
        if index < len(order) - 1:
            self.state = order[index + 1]


def render(items: list[Item]) -> str:
    lines = []
    for item in items:
        box = {"TODO": "[ ]", "DOING": "[~]", "DONE": "[x]"}[item.state.value]
        lines.append(f"{box} {item.title}")
    return "\n".join(lines) or "Nothing TODO - enjoy your day."
