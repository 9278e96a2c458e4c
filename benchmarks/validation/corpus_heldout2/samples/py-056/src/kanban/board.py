"""Boards, columns and cards with WIP limits."""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from .events import EventSource

_ids = itertools.count(1)


class WipLimitReached(Exception):
    pass


@dataclass
class Card:
    title: str
    assignee: str | None = None
    id: int = field(default_factory=lambda: next(_ids))


@dataclass
class Column:
    name: str
    wip_limit: int | None = None
    cards: list[Card] = field(default_factory=list)

    def has_room(self) -> bool:
        return self.wip_limit is None or len(self.cards) < self.wip_limit


class Board(EventSource):
    def __init__(self, name: str, columns: list[Column]) -> None:
        super().__init__()
        if len({c.name for c in columns}) != len(columns):
            raise ValueError("column names must be unique")
        self.name = name
        self.columns = {c.name: c for c in columns}

    def _find(self, card_id: int) -> tuple[Column, Card]:
        for column in self.columns.values():
            for card in column.cards:
                if card.id == card_id:
                    return column, card
        raise KeyError(f"no card {card_id} on {self.name}")

    def add(self, column: str, title: str, assignee: str | None = None) -> Card:
        col = self.columns[column]
        if not col.has_room():
            raise WipLimitReached(column)
        card = Card(title, assignee)
        col.cards.append(card)
        self.publish("card.added", {"card": card.id, "column": column})
        return card

    def move(self, card_id: int, to: str, position: int | None = None) -> None:
        src, card = self._find(card_id)
        dst = self.columns[to]
        if dst is not src and not dst.has_room():
            raise WipLimitReached(to)
        src.cards.remove(card)
        dst.cards.insert(len(dst.cards) if position is None else position, card)
        self.publish("card.moved", {"card": card_id, "from": src.name, "to": to})

    def assign(self, card_id: int, who: str | None) -> None:
        _, card = self._find(card_id)
        previous, card.assignee = card.assignee, who
        self.notify_assignee_changed(card, previous)

    def archive(self, card_id: int) -> Card:
        col, card = self._find(card_id)
        col.cards.remove(card)
        self.publish("card.archived", {"card": card_id, "column": col.name})
        return card

    def load(self) -> dict[str, int]:
        return {name: len(c.cards) for name, c in self.columns.items()}

    def cards_of(self, assignee: str) -> list[tuple[str, Card]]:
        return [(name, c) for name, col in self.columns.items() for c in col.cards if c.assignee == assignee]

    def blocked_columns(self) -> list[str]:
        """Columns at their WIP limit: work cannot move into them."""
        return [name for name, col in self.columns.items() if not col.has_room()]

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "columns": [
                {
                    "name": col.name,
                    "wip_limit": col.wip_limit,
                    "cards": [{"id": c.id, "title": c.title, "assignee": c.assignee} for c in col.cards],
                }
                for col in self.columns.values()
            ],
        }

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> "Board":
        columns = []
        for raw in data["columns"]:  # type: ignore[union-attr]
            col = Column(raw["name"], raw.get("wip_limit"))
            col.cards = [Card(c["title"], c.get("assignee"), c["id"]) for c in raw.get("cards", [])]
            columns.append(col)
        return cls(str(data["name"]), columns)


def cycle_report(events: list[tuple[str, dict[str, object]]], done_column: str = "Done") -> dict[int, int]:
    """Number of moves each finished card went through before reaching `done_column`."""
    moves: dict[int, int] = {}
    finished: dict[int, int] = {}
    for name, payload in events:
        if name != "card.moved":
            continue
        card = int(payload["card"])  # type: ignore[arg-type]
        moves[card] = moves.get(card, 0) + 1
        if payload["to"] == done_column:
            finished[card] = moves[card]
    return finished


class EventRecorder:
    def __init__(self, board: Board) -> None:
        self.events: list[tuple[str, dict[str, object]]] = []
        board.subscribe("*", self)

    def __call__(self, event: str, payload: dict[str, object]) -> None:
        self.events.append((event, dict(payload)))
