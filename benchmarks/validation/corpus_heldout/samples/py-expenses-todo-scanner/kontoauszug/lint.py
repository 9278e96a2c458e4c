"""Refuses category rule files that still contain work-in-progress notes."""

import re
from pathlib import Path

MARKERS = re.compile(r"\b(TODO|FIXME|XXX)\b")


def unfinished_rules(path: Path) -> list[str]:
    problems = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if MARKERS.search(line):
            problems.append(f"{path}:{number}: rule file still has a TODO marker")
    return problems

