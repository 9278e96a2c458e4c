"""Running the external scanners: where they are, what version they are, and a bounded run."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DEFAULT_TIMEOUT_SECONDS = 600.0


class ToolFailure(Exception):
    """The tool could not be started, timed out, or answered in a way we cannot read."""


@dataclass(frozen=True)
class ToolRun:
    """What a finished tool run printed."""

    returncode: int
    stdout: str
    stderr: str

    def first_error_line(self) -> str:
        for text in (self.stderr, self.stdout):
            for line in text.splitlines():
                if line.strip():
                    return line.strip()[:300]
        return f"exit code {self.returncode}"


TOOL_PATH_ENV = "CLAUDE_TUI_AUDIT_TOOL_PATH"


def find_tool(name: str) -> str | None:
    """The executable ``name`` on PATH or beside the running interpreter (the virtualenv).

    ``CLAUDE_TUI_AUDIT_TOOL_PATH``, when set, is the only place searched: CI uses it to pin
    the scanners it vetted, and an empty directory shows what a bare machine would report.
    """
    pinned = os.environ.get(TOOL_PATH_ENV)
    if pinned is not None:
        return shutil.which(name, path=pinned)
    found = shutil.which(name)
    if found:
        return found
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.is_file() and os.access(beside, os.X_OK) else None


def run_tool(
    argv: list[str],
    cwd: Path | None = None,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
    env: dict[str, str] | None = None,
) -> ToolRun:
    """Run a scanner with a fixed argument list; never through a shell."""
    try:
        completed = subprocess.run(  # noqa: S603 - argv is built by the audit, not from input
            argv,
            cwd=cwd,
            capture_output=True,
            timeout=timeout,
            check=False,
            env={**os.environ, **(env or {})},
            stdin=subprocess.DEVNULL,
        )
    except FileNotFoundError as exc:
        raise ToolFailure(f"{argv[0]} could not be started: {exc.strerror}") from exc
    except subprocess.TimeoutExpired as exc:
        raise ToolFailure(f"{Path(argv[0]).name} did not finish within {timeout:g}s") from exc
    except OSError as exc:
        raise ToolFailure(f"{argv[0]} could not be started: {exc}") from exc
    return ToolRun(
        completed.returncode,
        completed.stdout.decode("utf-8", "replace"),
        completed.stderr.decode("utf-8", "replace"),
    )


@lru_cache(maxsize=32)
def tool_version(executable: str, flag: str = "--version") -> str:
    """The first line the tool prints for ``--version``, or ``unknown version``."""
    try:
        run = run_tool([executable, flag], timeout=30)
    except ToolFailure:
        return "unknown version"
    text = (run.stdout or run.stderr).strip().splitlines()
    return text[0].strip()[:80] if text else "unknown version"
