"""Odds and ends of the standard library that the sync tool leans on."""
from __future__ import annotations

import bisect
import functools
import math
import os
import shutil
import sqlite3
import textwrap
import zlib
from dataclasses import dataclass
from pathlib import Path


def common_root(paths: list[str]) -> str:
    return os.path.commonpath([os.path.abspath(p) for p in paths])


def preview(text: str) -> str:
    width = shutil.get_terminal_size(fallback=(80, 24)).columns
    return textwrap.shorten(" ".join(text.split()), width=max(20, width - 10), placeholder=" …")


def checksum(data: bytes) -> int:
    return zlib.crc32(data) & 0xFFFFFFFF


def sync_period(a_minutes: int, b_minutes: int) -> int:
    """Minutes after which two schedules line up again."""
    return math.lcm(a_minutes, b_minutes)


@dataclass(frozen=True)
class Note:
    title: str
    modified: float


def insert_sorted(notes: list[Note], note: Note) -> None:
    bisect.insort(notes, note, key=lambda n: n.modified)


def strip_ext(name: str) -> str:
    return name.removesuffix(".md").removesuffix(".txt")


def backup_db(src: Path, dest: Path) -> None:
    with sqlite3.connect(src) as a, sqlite3.connect(dest) as b:
        a.backup(b, pages=256)


class Formatter:
    @functools.singledispatchmethod
    def fmt(self, value: object) -> str:
        return repr(value)

    @fmt.register
    def _(self, value: float) -> str:
        return f"{value:.3f}"

    @fmt.register
    def _(self, value: Note) -> str:
        return f"{value.title} ({value.modified:.0f})"
