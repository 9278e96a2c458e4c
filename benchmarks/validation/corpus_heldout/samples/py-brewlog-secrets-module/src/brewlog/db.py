import sqlite3
from pathlib import Path


def connect(url: str) -> sqlite3.Connection:
    if not url.startswith("sqlite:///"):
        raise ValueError(f"unsupported database url {url!r}")
    path = Path(url.removeprefix("sqlite:///"))
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    return conn

