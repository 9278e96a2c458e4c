"""Short codes for links: random, collision-checked, and human-friendly."""
from __future__ import annotations

import secrets
import sqlite3
import string
from urllib.parse import urlsplit

ALPHABET = string.ascii_alphanumeric
AMBIGUOUS = set("0O1lI")
FRIENDLY = "".join(ch for ch in ALPHABET if ch not in AMBIGUOUS)
RESERVED = {"api", "admin", "login", "static", "health"}


class InvalidUrl(ValueError):
    pass


def check_url(url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InvalidUrl(f"not an http(s) URL: {url!r}")
    return parts.geturl()


def new_code(length: int = 7) -> str:
    return "".join(secrets.choice(FRIENDLY) for _ in range(length))


class LinkStore:
    def __init__(self, path: str) -> None:
        self._db = sqlite3.connect(path, check_same_thread=False)
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS links (code TEXT PRIMARY KEY, url TEXT NOT NULL, hits INTEGER DEFAULT 0)"
        )

    def shorten(self, url: str, custom: str | None = None) -> str:
        target = check_url(url)
        if custom is not None:
            if custom.lower() in RESERVED or not custom.isalnum():
                raise ValueError(f"code {custom!r} is not allowed")
            codes = [custom]
        else:
            codes = [new_code() for _ in range(5)]
        for code in codes:
            try:
                with self._db:
                    self._db.execute("INSERT INTO links (code, url) VALUES (?, ?)", (code, target))
                return code
            except sqlite3.IntegrityError:
                continue
        raise RuntimeError("could not allocate a free code")

    def resolve(self, code: str) -> str | None:
        with self._db:
            row = self._db.execute("SELECT url FROM links WHERE code = ?", (code,)).fetchone()
            if row:
                self._db.execute("UPDATE links SET hits = hits + 1 WHERE code = ?", (code,))
        return row[0] if row else None

    def delete(self, code: str) -> bool:
        with self._db:
            cur = self._db.execute("DELETE FROM links WHERE code = ?", (code,))
        return cur.rowcount == 1

    def top(self, limit: int = 10) -> list[tuple[str, str, int]]:
        return list(
            self._db.execute("SELECT code, url, hits FROM links ORDER BY hits DESC, code LIMIT ?", (limit,))
        )

    def export_csv(self) -> str:
        lines = ["code,url,hits"]
        for code, url, hits in self._db.execute("SELECT code, url, hits FROM links ORDER BY code"):
            safe_url = '"' + url.replace('"', '""') + '"'
            lines.append(f"{code},{safe_url},{hits}")
        return "\n".join(lines) + "\n"

    def stats(self, code: str) -> int | None:
        row = self._db.execute("SELECT hits FROM links WHERE code = ?", (code,)).fetchone()
        return row[0] if row else None


def looks_like_code(value: str, length: int = 7) -> bool:
    return len(value) == length and all(ch in FRIENDLY for ch in value)


def same_site(a: str, b: str) -> bool:
    """True when both URLs point at the same scheme and host (used to refuse self-loops)."""
    pa, pb = urlsplit(a), urlsplit(b)
    return (pa.scheme, pa.hostname) == (pb.scheme, pb.hostname)
