"""Follow several log files at once and print merged, coloured lines."""
from __future__ import annotations

import asyncio
import os
import re
import sys
from collections.abc import AsyncIterator
from pathlib import Path

COLOURS = [31, 32, 33, 34, 35, 36]
LEVEL = re.compile(rb"\b(?P<level>DEBUG|INFO|WARNING|ERROR|CRITICAL)\b")
MAX_LINE = 64 * 1_024


async def follow(path: Path, poll_s: float = 0.25, *, from_start: bool = False) -> AsyncIterator[bytes]:
    with (
        open(path, "rb") as fh,
    ):
        if not from_start:
            fh.seek(0, os.SEEK_END)
        inode = os.fstat(fh.fileno()).st_ino
        while True:
            line = fh.readline(MAX_LINE)
            if line:
                yield line
                continue
            await asyncio.sleep(poll_s)
            try:
                if os.stat(path).st_ino != inode:
                    return  # rotated; the caller reopens
            except FileNotFoundError:
                return


async def pump(path: Path, colour: int, out: asyncio.Queue[tuple[str, bytes]], min_level: bytes | None) -> None:
    levels = [b"DEBUG", b"INFO", b"WARNING", b"ERROR", b"CRITICAL"]
    threshold = levels.index(min_level) if min_level else 0
    tag = f"\x1b[{colour}m{path.name}\x1b[0m"
    while True:
        async for line in follow(path):
            if (m := LEVEL.search(line)) and levels.index(m["level"]) < threshold:
                continue
            await out.put((tag, line))
        await asyncio.sleep(1)


async def main_async(paths: list[Path], min_level: str | None) -> None:
    queue: asyncio.Queue[tuple[str, bytes]] = asyncio.Queue(maxsize=1_000)
    level = min_level.upper().encode() if min_level else None
    tasks = [
        asyncio.create_task(pump(p, COLOURS[i % len(COLOURS)], queue, level))
        for i, p in enumerate(paths)
    ]
    try:
        while True:
            tag, line = await queue.get()
            sys.stdout.write(f"{tag} {line.decode(errors='replace')}")
            sys.stdout.flush()
    finally:
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    level = None
    if args[:1] == ["--level"]:
        _, level, *args = args
    paths = [Path(a) for a in args]
    if missing := [p for p in paths if not p.is_file()]:
        print(f"logtail: not a file: {', '.join(map(str, missing))}", file=sys.stderr)
        return 2
    try:
        asyncio.run(main_async(paths, level))
    except KeyboardInterrupt:
        return 130
    return 0
