from __future__ import annotations

import logging
import sys
from collections.abc import Callable

logger = logging.getLogger(__name__)

ProgressCallback = Callable[[int, int], None]


def log_progress(done: int, total: int) -> None:
    logger.debug("progress %d/%d", done, total)


def print_progress(done: int, total: int) -> None:
    width = 30
    filled = width * done // total if total else width
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
    if done == total:
        sys.stderr.write("\n")


def copy_all(sources: list[str], copy: Callable[[str], None], progress: ProgressCallback = log_progress) -> None:
    for index, source in enumerate(sources, start=1):
        copy(source)
        progress(index, len(sources))
