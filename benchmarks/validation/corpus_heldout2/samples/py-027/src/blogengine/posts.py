from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import markdown

from . import text


@dataclass
class Post:
    title: str
    date: dt.date
    body_md: str
    tags: list[str] = field(default_factory=list)
    draft: bool = False

    @property
    def slug(self) -> str:
        return text.slugify(self.title)

    @property
    def url(self) -> str:
        return f"/{self.date:%Y/%m}/{self.slug}/"

    def html(self) -> str:
        return markdown.markdown(self.body_md, extensions=["fenced_code", "tables"])


def parse_post(path: Path) -> Post:
    raw = path.read_text(encoding="utf-8")
    if not raw.startswith("---\n"):
        raise ValueError(f"{path}: missing front matter")
    header, _, body = raw[4:].partition("\n---\n")
    meta: dict[str, str] = {}
    for line in header.splitlines():
        key, sep, value = line.partition(":")
        if sep:
            meta[key.strip()] = value.strip()
    try:
        date = dt.date.fromisoformat(meta["date"])
        title = meta["title"]
    except KeyError as exc:
        raise ValueError(f"{path}: front matter lacks {exc.args[0]}") from None
    tags = [t.strip() for t in meta.get("tags", "").split(",") if t.strip()]
    return Post(title, date, body, tags, meta.get("draft", "no") == "yes")
