"""Top-level error handling for the CLI: a readable line for users, a full report on disk."""
from __future__ import annotations

import datetime as dt
import logging
import platform
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path

try:
    import orjson

    def _dumps(obj: object) -> bytes:
        return orjson.dumps(obj, option=orjson.OPT_INDENT_2)

except ImportError:
    import json

    def _dumps(obj: object) -> bytes:
        return json.dumps(obj, indent=2, default=str).encode()


log = logging.getLogger(__name__)


class UserError(Exception):
    """An error caused by the user's input: shown as one line, no report."""


def write_report(exc: BaseException) -> Path:
    report = {
        "when": dt.datetime.now(dt.timezone.utc).isoformat(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "argv": sys.argv,
        "traceback": traceback.format_exception(exc),
    }
    path = Path(tempfile.gettempdir()) / f"crash-{dt.datetime.now():%Y%m%d-%H%M%S}.json"
    path.write_bytes(_dumps(report))
    return path


def run_main(main: Callable[[], int]) -> int:
    try:
        return main()
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        # Last line of defence: the user gets a short message and the path of a
        # full report; the exit status still says the run failed.
        log.debug("unhandled", exc_info=True)
        path = write_report(exc)
        print(f"internal error: {exc.__class__.__name__}: {exc}\nA report was written to {path}", file=sys.stderr)
        return 1
