"""Text helpers shared by the site builder."""
from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^\w\s-]")
_SPACES = re.compile(r"[-\s]+")


def slugify(value: str, max_length: int = 80) -> str:
    value = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    value = _NON_WORD.sub("", value).strip().lower()
    return _SPACES.sub("-", value)[:max_length].strip("-")


def reading_minutes(text: str, wpm: int = 220) -> int:
    return max(1, round(len(text.split()) / wpm))


def excerpt(text: str, words: int = 40) -> str:
    parts = text.split()
    if len(parts) <= words:
        return text.strip()
    return " ".join(parts[:words]) + "…"
