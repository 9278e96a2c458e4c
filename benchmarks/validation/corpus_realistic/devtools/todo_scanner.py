from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass
from pathlib import Path

TAG = re.compile(r"#\s*(TODO|FIXME|XXX)\b[:\s]*(.*)")


@dataclass(frozen=True)
class Marker:
    line: int
    tag: str
    text: str


def scan(path: Path) -> list[Marker]:
    """Markers in comments only: a "TODO" inside a string literal is data."""
    source = path.read_text(encoding="utf-8")
    markers: list[Marker] = []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type != tokenize.COMMENT:
            continue
        match = TAG.match(token.string)
        if match:
            markers.append(Marker(token.start[0], match.group(1), match.group(2).strip()))
    return markers


def summary(markers: list[Marker]) -> str:
    counts: dict[str, int] = {}
    for marker in markers:
        counts[marker.tag] = counts.get(marker.tag, 0) + 1
    return ", ".join(f"{tag}: {n}" for tag, n in sorted(counts.items())) or "no TODO markers"
