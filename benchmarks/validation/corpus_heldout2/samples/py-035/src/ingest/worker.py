"""Consume uploaded files from the inbox table and load them."""
from __future__ import annotations

import json
import logging
import signal
import time
from dataclasses import dataclass
from types import FrameType

import psycopg

log = logging.getLogger(__name__)


class LoadError(Exception):
    """A file could not be loaded; the message says why."""


@dataclass
class Stats:
    loaded: int = 0
    failed: int = 0


def parse_payload(raw: bytes) -> list[dict[str, object]]:
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise LoadError(f"not JSON: line {exc.lineno} col {exc.colno}") from exc
    if not isinstance(data, list):
        raise LoadError("expected a JSON array of records")
    return data


def load_one(conn: psycopg.Connection, file_id: int, raw: bytes) -> int:
    records = parse_payload(raw)
    with conn.transaction():
        with conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO records (file_id, body) VALUES (%s, %s)",
                [(file_id, json.dumps(r)) for r in records],
            )
            cur.execute("UPDATE inbox SET state = 'loaded' WHERE id = %s", (file_id,))
    return len(records)


class Worker:
    def __init__(self, dsn: str, poll_s: float = 2.0) -> None:
        self.dsn = dsn
        self.poll_s = poll_s
        self.stats = Stats()
        self._stopping = False

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        log.info("signal %s received, finishing current file", signum)
        self._stopping = True

    def claim(self, conn: psycopg.Connection) -> tuple[int, bytes] | None:
        row = conn.execute(
            "SELECT id, payload FROM inbox WHERE state = 'new' ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED"
        ).fetchone()
        return (row[0], bytes(row[1])) if row else None

    def run(self) -> Stats:
        signal.signal(signal.SIGTERM, self._stop)
        with psycopg.connect(self.dsn, autocommit=False) as conn:
            while not self._stopping:
                claimed = self.claim(conn)
                if claimed is None:
                    conn.rollback()
                    time.sleep(self.poll_s)
                    continue
                file_id, raw = claimed
                try:
                    count = load_one(conn, file_id, raw)
                except LoadError as exc:
                    # Bad files are parked with the reason; the worker carries on.
                    conn.rollback()
                    conn.execute("UPDATE inbox SET state = 'rejected', reason = %s WHERE id = %s", (str(exc), file_id))
                    conn.commit()
                    self.stats.failed += 1
                    log.warning("file %s rejected: %s", file_id, exc)
                    continue
                except psycopg.OperationalError:
                    log.exception("database trouble while loading file %s", file_id)
                    raise
                conn.commit()
                self.stats.loaded += 1
                log.info("file %s: %d records", file_id, count)
        return self.stats
