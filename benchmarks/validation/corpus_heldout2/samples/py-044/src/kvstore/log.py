"""An append-only key/value log with periodic compaction."""
from __future__ import annotations

import json
import os
import struct
from pathlib import Path
from typing import Iterator

_HEADER = struct.Struct(">I")
TOMBSTONE = None


class LogStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._index: dict[str, int] = {}
        self._fh = open(path, "a+b")
        self._rebuild_index()

    def _records(self) -> Iterator[tuple[int, str, object]]:
        self._fh.seek(0)
        while True:
            offset = self._fh.tell()
            header = self._fh.read(_HEADER.size)
            if len(header) < _HEADER.size:
                return
            (length,) = _HEADER.unpack(header)
            body = self._fh.read(length)
            if len(body) < length:
                return  # torn write at the tail: ignore the partial record
            key, value = json.loads(body)
            yield offset, key, value

    def _rebuild_index(self) -> None:
        self._index.clear()
        for offset, key, value in self._records():
            if value is TOMBSTONE:
                self._index.pop(key, None)
            else:
                self._index[key] = offset

    def _append(self, key: str, value: object) -> int:
        body = json.dumps([key, value]).encode()
        self._fh.seek(0, os.SEEK_END)
        offset = self._fh.tell()
        self._fh.write(_HEADER.pack(len(body)) + body)
        self._fh.flush()
        os.fsync(self._fh.fileno())
        return offset

    def put(self, key: str, value: object) -> None:
        if value is TOMBSTONE:
            raise ValueError("None is reserved for deletions")
        self._index[key] = self._append(key, value)

    def get(self, key: str, default: object = None) -> object:
        offset = self._index.get(key)
        if offset is None:
            return default
        self._fh.seek(offset)
        (length,) = _HEADER.unpack(self._fh.read(_HEADER.size))
        return json.loads(self._fh.read(length))[1]

    def remove(self, key: str) -> bool:
        if key not in self._index:
            return False
        self._append(key, TOMBSTONE)
        del self._index[key]
        return True

    def keys(self) -> list[str]:
        return sorted(self._index)

    def compact(self) -> int:
        live = {k: self.get(k) for k in self._index}
        tmp = self.path.with_suffix(".compact")
        with open(tmp, "wb") as out:
            for k, v in live.items():
                body = json.dumps([k, v]).encode()
                out.write(_HEADER.pack(len(body)) + body)
            out.flush()
            os.fsync(out.fileno())
        self._fh.close()
        os.replace(tmp, self.path)
        self._fh = open(self.path, "a+b")
        self._rebuild_index()
        return len(live)

    def close(self) -> None:
        self._fh.close()
