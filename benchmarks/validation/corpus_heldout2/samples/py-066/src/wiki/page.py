"""Wiki pages with revisions and [[wiki links]]."""
from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt

WIKILINK = re.compile(r"\[\[([^\]|]+)(?:\|([^\]]+))?\]\]")
TITLE = re.compile(r"^[\w .,'()-]{1,120}$")
_md = MarkdownIt("commonmark", {"linkify": False})


@dataclass(frozen=True)
class Revision:
    number: int
    author: str
    text: str
    at: dt.datetime
    summary: str = ""


@dataclass
class Page:
    title: str
    revisions: list[Revision] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.title = self.title.strip()
        self._check_title()

    @property
    def current(self) -> Revision | None:
        return self.revisions[-1] if self.revisions else None

    def edit(self, author: str, text: str, summary: str = "") -> Revision:
        if self.current is not None and self.current.text == text:
            raise ValueError("no changes")
        rev = Revision(len(self.revisions) + 1, author, text, dt.datetime.now(dt.timezone.utc), summary)
        self.revisions.append(rev)
        return rev

    def links(self) -> set[str]:
        if self.current is None:
            return set()
        return {m.group(1).strip() for m in WIKILINK.finditer(self.current.text)}

    def render(self, exists: set[str]) -> str:
        if self.current is None:
            return ""

        def replace(m: re.Match[str]) -> str:
            target = m.group(1).strip()
            label = (m.group(2) or target).strip()
            cls = "" if target in exists else ' class="new"'
            return f'<a href="/wiki/{target.replace(" ", "_")}"{cls}>{label}</a>'

        return _md.render(WIKILINK.sub(replace, self.current.text))

    def diff(self, a: int, b: int) -> str:
        ra, rb = self.revisions[a - 1], self.revisions[b - 1]
        return "".join(
            difflib.unified_diff(
                ra.text.splitlines(keepends=True),
                rb.text.splitlines(keepends=True),
                fromfile=f"r{a}",
                tofile=f"r{b}",
            )
        )


def backlinks(pages: dict[str, Page], title: str) -> list[str]:
    return sorted(name for name, page in pages.items() if title in page.links())
