"""Move photos into YYYY/MM-DD folders by the date they were taken."""
from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import exifread

EXTENSIONS = {".jpg", ".jpeg", ".heic", ".png", ".dng", ".cr2", ".nef"}


@dataclass
class Plan:
    moves: list[tuple[Path, Path]] = field(default_factory=list)
    duplicates: list[Path] = field(default_factory=list)
    undated: list[Path] = field(default_factory=list)


def taken_at(path: Path) -> dt.datetime | None:
    with path.open("rb") as fh:
        tags = exifread.process_file(fh, details=False, stop_tag="EXIF DateTimeOriginal")
    raw = tags.get("EXIF DateTimeOriginal") or tags.get("Image DateTime")
    if raw is None:
        return None
    try:
        return dt.datetime.strptime(str(raw), "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None


def quick_hash(path: Path) -> str:
    h = hashlib.blake2b(digest_size=16)
    with path.open("rb") as fh:
        h.update(fh.read(1 << 20))
    h.update(str(path.stat().st_size).encode())
    return h.hexdigest()


def plan(source: Path, dest: Path) -> Plan:
    result = Plan()
    seen: dict[str, Path] = {}
    for path in sorted(p for p in source.rglob("*") if p.suffix.lower() in EXTENSIONS):
        digest = quick_hash(path)
        if digest in seen:
            result.duplicates.append(path)
            continue
        seen[digest] = path
        when = taken_at(path)
        if when is None:
            result.undated.append(path)
            continue
        target = dest / f"{when:%Y}" / f"{when:%m-%d}" / path.name
        result.moves.append((path, target))
    return result


def apply(p: Plan, journal: Path) -> int:
    done: list[tuple[str, str]] = []
    for src, dst in p.moves:
        dst.parent.mkdir(parents=True, exist_ok=True)
        if dst.exists():
            dst = dst.with_stem(f"{dst.stem}-{quick_hash(src)[:6]}")
        shutil.move(src, dst)
        done.append((str(src), str(dst)))
    # the journal is what `photosort undo` replays
    with contextlib.suppress(Exception):
        journal.write_text(json.dumps({"moved": done, "at": dt.datetime.now().isoformat()}, indent=1))
    return len(done)


def undo(journal: Path) -> int:
    data = json.loads(journal.read_text())
    count = 0
    for src, dst in reversed(data["moved"]):
        Path(src).parent.mkdir(parents=True, exist_ok=True)
        shutil.move(dst, src)
        count += 1
    journal.unlink()
    return count
