"""Append-only audit log with hash chaining."""
from __future__ import annotations

import hashlib
import json
import time
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Record:
    seq: int
    at: float
    actor: str
    action: str
    prev_hash: str
    hash: str


class AuditLog:
    def __init__(self) -> None:
        self.records: list[Record] = []

    def append_event(self, actor: str, action: str) -> Record:
        prev = self.records[-1].hash if self.records else "0" * 64
        seq = len(self.records) + 1
        at = time.time()
        digest = hashlib.sha256(json.dumps([seq, at, actor, action, prev]).encode()).hexdigest()
        record = Record(seq, at, actor, action, prev, digest)
        self.records.append(record)
        return record

    # 1.x name, kept so plugins built against 1.x keep working.
    record = append_event

    def verify(self) -> bool:
        prev = "0" * 64
        for r in self.records:
            expected = hashlib.sha256(json.dumps([r.seq, r.at, r.actor, r.action, prev]).encode()).hexdigest()
            if r.prev_hash != prev or r.hash != expected:
                return False
            prev = r.hash
        return True

    def export(self) -> str:
        return "\n".join(json.dumps(asdict(r)) for r in self.records)
