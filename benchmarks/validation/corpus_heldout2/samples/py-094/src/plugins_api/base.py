"""The interface every storage plugin implements."""
from __future__ import annotations

import abc
from collections.abc import Iterator
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from pathlib import Path


class StoragePlugin(abc.ABC):
    name: ClassVar[str]

    @abc.abstractmethod
    def read(self, key: str) -> bytes:
        """Return the stored bytes; raise KeyError when absent."""

    @abc.abstractmethod
    def write(self, key: str, data: bytes) -> None:
        """Store data under key, replacing any previous value."""

    @abc.abstractmethod
    def keys(self, prefix: str = "") -> Iterator[str]:
        ...

    def exists(self, key: str) -> bool:
        try:
            self.read(key)
        except KeyError:
            return False
        return True

    def copy_to(self, other: "StoragePlugin", prefix: str = "") -> int:
        n = 0
        for key in self.keys(prefix):
            other.write(key, self.read(key))
            n += 1
        return n


class DirectoryPlugin(StoragePlugin):
    name = "directory"

    def __init__(self, root: "Path") -> None:
        self.root = root

    def _path(self, key: str) -> "Path":
        p = (self.root / key).resolve()
        if self.root.resolve() not in p.parents:
            raise ValueError(f"key escapes the storage root: {key!r}")
        return p

    def read(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            raise KeyError(key) from None

    def write(self, key: str, data: bytes) -> None:
        p = self._path(key)
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)

    def keys(self, prefix: str = "") -> Iterator[str]:
        for p in sorted(self.root.rglob("*")):
            if p.is_file():
                key = p.relative_to(self.root).as_posix()
                if key.startswith(prefix):
                    yield key
