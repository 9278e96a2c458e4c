from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

SKIP_DIRS = frozenset({".git", "__pycache__", ".venv", "node_modules"})


def iter_files(root: Path, suffixes: tuple[str, ...] = (".py",)) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        for name in sorted(filenames):
            path = Path(dirpath, name)
            if path.is_symlink():
                # Links may leave the tree; the target is listed where it lives.
                continue
            if path.suffix in suffixes:
                yield path


def read_cached(path: Path, cache: dict[Path, str]) -> str:
    try:
        return cache[path]
    except KeyError:
        # First read of this file in the run.
        pass
    text = path.read_text(encoding="utf-8", errors="replace")
    cache[path] = text
    return text


def remove_stale(paths: list[Path]) -> int:
    removed = 0
    for path in paths:
        try:
            path.unlink()
        except FileNotFoundError:
            # Another worker removed it first, which is the outcome we want.
            pass
        else:
            removed += 1
    return removed
