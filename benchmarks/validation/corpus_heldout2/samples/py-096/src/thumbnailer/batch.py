from __future__ import annotations

from pathlib import Path

from .resize import resize


def thumbnails(folder: Path, out: Path, size: int = 200, square: bool = False) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    made = []
    for src in sorted(folder.glob("*.jpg")):
        made.append(resize(src, out / src.name, size, size, preserve_aspect=not square))
    return made
