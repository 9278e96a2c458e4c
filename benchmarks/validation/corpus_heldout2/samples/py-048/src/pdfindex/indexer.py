"""Full-text index of a folder of PDFs, kept in SQLite FTS5."""
from __future__ import annotations

import asyncio
import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

import aiosqlite
from pypdf import PdfReader

log = logging.getLogger(__name__)

SCHEMA = [
    "CREATE TABLE IF NOT EXISTS docs (path TEXT PRIMARY KEY, digest TEXT NOT NULL, pages INTEGER NOT NULL)",
    "CREATE VIRTUAL TABLE IF NOT EXISTS pages USING fts5(path UNINDEXED, page UNINDEXED, body)",
]


@dataclass(frozen=True)
class Hit:
    path: str
    page: int
    snippet: str


def digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def extract_pages(path: Path) -> list[str]:
    reader = PdfReader(str(path))
    return [(page.extract_text() or "").strip() for page in reader.pages]


class Index:
    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path

    async def _connect(self) -> aiosqlite.Connection:
        db = await aiosqlite.connect(self.db_path)
        for stmt in SCHEMA:
            await db.execute(stmt)
        return db

    async def add(self, db: aiosqlite.Connection, path: Path) -> bool:
        d = await asyncio.to_thread(digest, path)
        row = await (await db.execute("SELECT digest FROM docs WHERE path = ?", (str(path),))).fetchone()
        if row and row[0] == d:
            return False
        pages = await asyncio.run_in_executor(None, extract_pages, path)
        await db.execute("DELETE FROM pages WHERE path = ?", (str(path),))
        await db.executemany(
            "INSERT INTO pages (path, page, body) VALUES (?, ?, ?)",
            [(str(path), n, body) for n, body in enumerate(pages, 1)],
        )
        await db.execute("INSERT OR REPLACE INTO docs VALUES (?, ?, ?)", (str(path), d, len(pages)))
        return True

    async def refresh(self, folder: Path) -> tuple[int, int]:
        db = await self._connect()
        added = skipped = 0
        try:
            for pdf in sorted(folder.rglob("*.pdf")):
                if await self.add(db, pdf):
                    added += 1
                else:
                    skipped += 1
            await db.commit()
        finally:
            await db.close()
        return added, skipped

    async def search(self, query: str, limit: int = 20) -> list[Hit]:
        db = await self._connect()
        try:
            cur = await db.execute(
                "SELECT path, page, snippet(pages, 2, '[', ']', '…', 12) FROM pages WHERE pages MATCH ? "
                "ORDER BY rank LIMIT ?",
                (query, limit),
            )
            return [Hit(p, int(n), s) for p, n, s in await cur.fetchall()]
        finally:
            await db.close()
