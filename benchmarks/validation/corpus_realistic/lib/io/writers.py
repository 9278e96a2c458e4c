from __future__ import annotations

import io
import sys
from typing import IO


class Writer:
    def write(self, text: str) -> None:
        raise NotImplementedError

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass


class StreamWriter(Writer):
    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream

    def write(self, text: str) -> None:
        self.stream.write(text)

    def flush(self) -> None:
        self.stream.flush()


class StdoutWriter(StreamWriter):
    def __init__(self) -> None:
        super().__init__(sys.stdout)

    def close(self) -> None:
        # Closing sys.stdout would break later prints in the same process.
        pass


class BufferWriter(Writer):
    def __init__(self) -> None:
        self.buffer = io.StringIO()

    def write(self, text: str) -> None:
        self.buffer.write(text)

    def getvalue(self) -> str:
        return self.buffer.getvalue()
