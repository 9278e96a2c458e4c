"""A pid-file lock for daemons that must not run twice."""
from __future__ import annotations

import contextlib
import errno
import logging
import os
import signal
from pathlib import Path
from types import TracebackType

log = logging.getLogger(__name__)


class AlreadyRunning(RuntimeError):
    def __init__(self, pid: int) -> None:
        super().__init__(f"another instance is running with pid {pid}")
        self.pid = pid


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        # The process exists but belongs to another user.
        return True
    return True


def _read_pid(path: Path) -> int | None:
    try:
        text = path.read_text().strip()
    except FileNotFoundError:
        return None
    try:
        return int(text)
    except ValueError:
        log.warning("ignoring garbage in pid file %s: %r", path, text[:40])
        return None


class PidLock:
    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._fd: int | None = None

    def acquire(self) -> None:
        existing = _read_pid(self.path)
        if existing is not None and existing != os.getpid() and _alive(existing):
            raise AlreadyRunning(existing)
        # A stale file from a crashed run is safe to replace.
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
        try:
            self._fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except OSError as exc:
            if exc.errno == errno.EEXIST:
                raise AlreadyRunning(_read_pid(self.path) or -1) from exc
            raise
        os.write(self._fd, f"{os.getpid()}\n".encode())

    def release(self) -> None:
        if self._fd is None:
            return
        os.close(self._fd)
        self._fd = None
        # Someone may have removed it by hand; the lock is released either way.
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()

    def __enter__(self) -> "PidLock":
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


def stop(path: str | os.PathLike[str], sig: int = signal.SIGTERM) -> bool:
    """Signal the process named in the pid file; False if none is running."""
    pid = _read_pid(Path(path))
    if pid is None:
        return False
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        log.info("pid %s from %s already gone", pid, path)
        return False
    return True
