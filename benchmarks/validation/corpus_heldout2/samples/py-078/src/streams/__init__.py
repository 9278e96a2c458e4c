"""Small stream adapters used by the exporter."""
from __future__ import annotations

import io
import sys
from types import TracebackType
from typing import TextIO


class CountingWriter(io.TextIOBase):
    """Wraps a text stream and counts the characters written through it."""

    def __init__(self, inner: TextIO) -> None:
        self._inner = inner
        self.count = 0

    def writable(self) -> bool:
        return True

    def write(self, s: str) -> int:
        n = self._inner.write(s)
        self.count += n
        return n

    def flush(self) -> None:
        self._inner.flush()

    def close(self) -> None:
        # The wrapped stream belongs to the caller (often sys.stdout); closing
        # it here would break their later writes, so this only detaches.
        self._inner = sys.__stdout__ if self._inner is sys.stdout else self._inner


class NullWriter(io.TextIOBase):
    """Discards output: what --quiet selects."""

    def writable(self) -> bool:
        return True

    def write(self, s: str) -> int:
        return len(s)


class redirect_to:
    """Temporarily point sys.stdout at another stream."""

    def __init__(self, target: TextIO) -> None:
        self.target = target
        self._saved: TextIO | None = None

    def __enter__(self) -> TextIO:
        self._saved = sys.stdout
        sys.stdout = self.target
        return self.target

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._saved is not None
        sys.stdout = self._saved
