from __future__ import annotations

from datetime import datetime
from typing import overload


@overload
def parse(value: str, kind: type[int]) -> int: ...
@overload
def parse(value: str, kind: type[float]) -> float: ...
@overload
def parse(value: str, kind: type[datetime]) -> datetime: ...


def parse(value: str, kind: type) -> object:
    if kind is int:
        return int(value, 0)
    if kind is float:
        return float(value)
    if kind is datetime:
        return datetime.fromisoformat(value)
    raise TypeError(f"cannot parse {kind.__name__}")


class Config:
    def __init__(self, values: dict[str, str]) -> None:
        self.values = values

    @overload
    def get(self, key: str) -> str | None:
        ...

    @overload
    def get(self, key: str, default: str) -> str:
        ...

    def get(self, key: str, default: str | None = None) -> str | None:
        return self.values.get(key, default)
