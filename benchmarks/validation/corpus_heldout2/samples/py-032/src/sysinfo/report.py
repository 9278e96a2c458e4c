"""Print a short, portable report about the machine and interpreter."""
from __future__ import annotations

import contextlib
import hashlib
import itertools
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path


def cpu_count_usable() -> int:
    # Affinity masks exist on Linux only; elsewhere all CPUs are usable.
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def interpreter() -> str:
    impl = platform.python_implementation()
    if impl == "PyPy":
        major, minor, micro = sys.pypy_version_info[:3]
        return f"PyPy {major}.{minor}.{micro} (Python {platform.python_version()})"
    return f"{impl} {platform.python_version()}"


def disk(path: str = "/") -> str:
    usage = shutil.disk_usage(path)
    return f"{usage.free / 2**30:.1f} GiB free of {usage.total / 2**30:.1f} GiB"


def timer_resolution_ns(samples: int = 200) -> float:
    stamps = [time.perf_counter_ns() for _ in range(samples)]
    deltas = [b - a for a, b in itertools.pairwise(stamps) if b > a]
    return statistics.fmean(deltas) if deltas else math.nan


def self_digest() -> str:
    with open(__file__, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()[:16]


def git_head(repo: Path) -> str | None:
    if shutil.which("git") is None:
        return None
    with contextlib.chdir(repo):
        proc = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return proc.stdout.strip() or None


def open_in_viewer(path: Path) -> None:
    if sys.platform == "win32":
        os.startfile(path)
    elif sys.platform == "darwin":
        subprocess.run(["open", str(path)], check=False)
    else:
        subprocess.run(["xdg-open", str(path)], check=False)


def main() -> None:
    rows = {
        "python": interpreter(),
        "platform": platform.platform(terse=True),
        "cpus usable": str(cpu_count_usable()),
        "disk": disk(),
        "timer step": f"{timer_resolution_ns():.0f} ns",
        "isqrt(2**64)": str(math.isqrt(2**64)),
        "report digest": self_digest(),
        "git": git_head(Path.cwd()) or "-",
    }
    width = max(map(len, rows))
    for key, value in rows.items():
        print(f"{key.ljust(width)}  {value}")
