from __future__ import annotations

import signal
import sys
from types import FrameType


def _ignore(signum: int, frame: FrameType | None) -> None:
    """SIGPIPE is reported by the failing write instead."""


def _stop(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


def install() -> None:
    if sys.platform == "win32":
        return
    signal.signal(signal.SIGPIPE, _ignore)
    signal.signal(signal.SIGTERM, _stop)
