"""Find TODO-style markers in source files and group them by author."""
from __future__ import annotations

import io
import re
import tokenize
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

MARKERS = ("TODO", "FIXME", "XXX", "HACK")
PATTERN = re.compile(r"\b(?P<tag>" + "|".join(MARKERS) + r")\b(?:\((?P<who>[^)]+)\))?:?\s*(?P<text>.*)")

HELP = """\
todoscan PATH...

Lists every TODO, FIXME, XXX and HACK comment. Markers inside strings are
ignored, so a docstring that mentions "TODO" is not reported.
"""


@dataclass(frozen=True)
class Marker:
    path: Path
    line: int
    tag: str
    who: str
    text: str


def scan_source(path: Path, source: str) -> list[Marker]:
    found: list[Marker] = []
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    try:
        for tok in tokens:
            if tok.type != tokenize.COMMENT:
                continue
            match = PATTERN.search(tok.string)
            if match:
                found.append(
                    Marker(path, tok.start[0], match["tag"], match["who"] or "unassigned", match["text"].strip())
                )
    except (tokenize.TokenError, SyntaxError) as exc:
        # An unparsable file still gets reported, as a marker of its own.
        found.append(Marker(path, 0, "ERROR", "todoscan", f"could not tokenize: {exc}"))
    return found


def scan_tree(root: Path) -> list[Marker]:
    markers: list[Marker] = []
    for path in sorted(root.rglob("*.py")):
        markers.extend(scan_source(path, path.read_text(encoding="utf-8", errors="replace")))
    return markers


def by_owner(markers: list[Marker]) -> dict[str, list[Marker]]:
    grouped: dict[str, list[Marker]] = defaultdict(list)
    for m in markers:
        grouped[m.who].append(m)
    return dict(sorted(grouped.items()))
