from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from typing import Generic, TypeVar

T = TypeVar("T")
K = TypeVar("K")


class Repository(ABC, Generic[K, T]):
    """Storage of entities by key; subclasses choose the backend."""

    @abstractmethod
    def get(self, key: K) -> T | None: ...

    @abstractmethod
    def put(self, key: K, value: T) -> None: ...

    @abstractmethod
    def delete(self, key: K) -> bool:
        """Remove ``key``; returns whether it was present."""

    @abstractmethod
    def keys(self) -> Iterator[K]:
        raise NotImplementedError

    def __contains__(self, key: object) -> bool:
        return self.get(key) is not None  # type: ignore[arg-type]


class MemoryRepository(Repository[K, T]):
    def __init__(self) -> None:
        self._items: dict[K, T] = {}

    def get(self, key: K) -> T | None:
        return self._items.get(key)

    def put(self, key: K, value: T) -> None:
        self._items[key] = value

    def delete(self, key: K) -> bool:
        return self._items.pop(key, None) is not None

    def keys(self) -> Iterator[K]:
        return iter(list(self._items))
