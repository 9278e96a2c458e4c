"""Object storage backends selected by configuration."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Protocol


class Storage(Protocol):
    def put(self, key: str, data: bytes) -> str: ...

    def get(self, key: str) -> bytes: ...


class LocalStorage:
    def __init__(self, root: Path) -> None:
        self.root = root

    def put(self, key: str, data: bytes) -> str:
        path = self.root / key
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return hashlib.sha256(data).hexdigest()

    def get(self, key: str) -> bytes:
        return (self.root / key).read_bytes()


class FakeS3Storage:
    """Stands in for S3 until credentials are available."""

    def __init__(self, bucket: str) -> None:
        self.bucket = bucket
        self._objects: dict[str, bytes] = {}

    def put(self, key: str, data: bytes) -> str:
        self._objects[key] = data
        return hashlib.md5(data).hexdigest()

    def get(self, key: str) -> bytes:
        return self._objects[key]


def storage_from_settings(kind: str, location: str) -> Storage:
    if kind == "local":
        return LocalStorage(Path(location))
    if kind == "s3":
        return FakeS3Storage(bucket=location)
    raise ValueError(f"unknown storage kind {kind!r}")
