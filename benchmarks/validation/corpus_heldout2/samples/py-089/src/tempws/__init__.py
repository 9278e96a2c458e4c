"""Throwaway workspaces for build steps, removed even when the step crashes."""
from __future__ import annotations

import logging
import os
import queue
import shutil
import tempfile
import threading
import weakref
from pathlib import Path

log = logging.getLogger(__name__)


class Workspace:
    def __init__(self, prefix: str = "ws-") -> None:
        self.path = Path(tempfile.mkdtemp(prefix=prefix))
        # Interpreter shutdown may have torn down modules by the time a
        # finalizer runs; ignore_errors keeps that from printing noise.
        self._finalizer = weakref.finalize(self, shutil.rmtree, str(self.path), ignore_errors=True)

    def cleanup(self) -> None:
        self._finalizer()

    def __enter__(self) -> Path:
        return self.path

    def __exit__(self, *exc_info: object) -> None:
        self.cleanup()


def lookup_env(name: str) -> str | None:
    """The variable's value, or None when unset (unset is a normal answer here)."""
    try:
        return os.environ[name]
    except KeyError:
        return None


class Janitor(threading.Thread):
    """Removes workspaces handed to it, off the request path."""

    def __init__(self) -> None:
        super().__init__(daemon=True, name="janitor")
        self.todo: queue.Queue[Workspace | None] = queue.Queue()
        self.removed = 0

    def run(self) -> None:
        while True:
            try:
                ws = self.todo.get(timeout=1.0)
            except queue.Empty:
                continue  # idle poll; the loop ends on the None sentinel below
            if ws is None:
                return
            try:
                ws.cleanup()
                self.removed += 1
            except OSError:
                log.exception("could not remove %s", ws.path)

    def stop(self) -> None:
        self.todo.put(None)
        self.join()
