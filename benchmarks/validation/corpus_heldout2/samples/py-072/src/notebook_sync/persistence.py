"""Where synced notebooks and their metadata live on disk.

(Formerly notebook_sync.storage.)
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass
class Entry:
    path: str
    digest: str
    mtime: float


class Manifest:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.file = root / ".nbsync.json"
        self.entries: dict[str, Entry] = {}
        if self.file.exists():
            for raw in json.loads(self.file.read_text()):
                e = Entry(**raw)
                self.entries[e.path] = e

    def save(self) -> None:
        tmp = self.file.with_suffix(".tmp")
        tmp.write_text(json.dumps([asdict(e) for e in self.entries.values()], indent=1))
        tmp.replace(self.file)

    def changed(self, path: Path) -> bool:
        rel = str(path.relative_to(self.root))
        entry = self.entries.get(rel)
        return entry is None or entry.digest != digest_of(path)

    def record(self, path: Path) -> None:
        rel = str(path.relative_to(self.root))
        self.entries[rel] = Entry(rel, digest_of(path), path.stat().st_mtime)


def digest_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
