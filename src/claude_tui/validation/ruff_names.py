"""Undefined names through ruff's pyflakes rules (F821, F822, F823), run as a tool.

One ruff process checks a whole batch of files; it is far faster than re-implementing name
resolution, and it is the reference everyone already trusts.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import IO

from claude_tui.validation.errors import ToolUnavailableError
from claude_tui.validation.model import Check, Finding, Severity

NAME_RULES = ("F821", "F822", "F823")
_RULE_NAMES = {
    "F821": "names.undefined",
    "F822": "names.undefined-export",
    "F823": "names.used-before-assignment",
}


def ruff_executable() -> str:
    """The ruff binary beside the running interpreter, else on PATH."""
    beside = Path(sys.executable).parent / "ruff"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which("ruff")
    if found is None:
        raise ToolUnavailableError(
            "ruff is not installed; it checks undefined names (install claude-tui's dependencies)"
        )
    return found


def _command(extra: list[str]) -> list[str]:
    return [
        ruff_executable(),
        "check",
        "--isolated",
        "--no-cache",
        "--quiet",
        "--exit-zero",
        "--output-format",
        "json",
        "--select",
        ",".join(NAME_RULES),
        *extra,
    ]


def check_files(files: dict[str, Path], timeout: float = 600.0) -> dict[str, list[Finding]]:
    """Undefined-name findings of ``files`` (display path -> real path), by display path."""
    return start_files(files, timeout).result()


#: Paths per ruff process: keeps the command line under the kernel's argument limit.
_BATCH = 2000


class PendingRun:
    """Ruff processes already running over a set of files; :meth:`result` collects them.

    Started before the Python checks so ruff works while they do; a problem in starting is
    raised by :meth:`result`, where a caller of :func:`check_files` would have seen it.
    """

    def __init__(self, files: dict[str, Path], timeout: float) -> None:
        self._files = files
        self._by_real = {str(real.resolve()): shown for shown, real in files.items()}
        self._deadline = time.monotonic() + timeout
        self._timeout = timeout
        self._running: list[tuple[subprocess.Popen[bytes], IO[bytes], IO[bytes]]] = []
        self._error: ToolUnavailableError | None = None
        reals = list(self._by_real)
        try:
            for start in range(0, len(reals), _BATCH):
                self._running.append(self._start(_command(reals[start : start + _BATCH])))
        except ToolUnavailableError as exc:
            self._error = exc
            self.cancel()
        except OSError as exc:
            self._error = ToolUnavailableError(f"ruff could not run: {exc}")
            self.cancel()

    @staticmethod
    def _start(command: list[str]) -> tuple[subprocess.Popen[bytes], IO[bytes], IO[bytes]]:
        # Files, not pipes: nobody reads while the checks run, and a full pipe would stall ruff.
        # Closed by cancel(), once the process has ended.
        out = tempfile.TemporaryFile()  # noqa: SIM115
        err = tempfile.TemporaryFile()  # noqa: SIM115
        try:
            process = subprocess.Popen(  # noqa: S603 - a fixed tool with file paths as arguments
                command, stdin=subprocess.DEVNULL, stdout=out, stderr=err
            )
        except OSError:
            out.close()
            err.close()
            raise
        return process, out, err

    def cancel(self) -> None:
        """Stop what still runs (the caller gave up on the result)."""
        for process, out, err in self._running:
            if process.poll() is None:
                process.kill()
            process.wait()
            out.close()
            err.close()
        self._running = []

    def result(self) -> dict[str, list[Finding]]:
        """The findings by display path, once every ruff process has finished."""
        if self._error is not None:
            raise self._error
        out: dict[str, list[Finding]] = {shown: [] for shown in self._files}
        try:
            for process, stdout, stderr in self._running:
                try:
                    process.wait(max(0.0, self._deadline - time.monotonic()))
                except subprocess.TimeoutExpired as exc:
                    raise ToolUnavailableError(
                        f"ruff could not run: {exc.cmd[0]} timed out after {self._timeout} seconds"
                    ) from exc
                stdout.seek(0)
                stderr.seek(0)
                items = _parse(
                    process.returncode,
                    stdout.read().decode("utf-8", "replace"),
                    stderr.read().decode("utf-8", "replace"),
                )
                for item in items:
                    real = str(Path(str(item.get("filename", ""))).resolve())
                    shown = self._by_real.get(real)
                    if shown is not None:
                        out[shown].append(
                            _finding(item, shown, _line_text(self._files[shown], item))
                        )
        finally:
            self.cancel()
        for shown, found in out.items():
            if found:
                text = self._files[shown].read_text("utf-8", "replace")
                out[shown] = _without_known_gaps(found, text)
        return out


def start_files(files: dict[str, Path], timeout: float = 600.0) -> PendingRun:
    """Start ruff on ``files`` (display path -> real path); collect with ``.result()``."""
    return PendingRun(files, timeout)


def _without_known_gaps(found: list[Finding], source: str) -> list[Finding]:
    """Drop what pyflakes cannot know: dynamic namespaces, and helpers deleted after use."""
    if _dynamic_namespace(source):
        return [f for f in found if f.rule not in ("names.undefined", "names.undefined-export")]
    deleted = {
        name.strip()
        for match in re.finditer(r"^del\s+(.+)$", source, re.MULTILINE)
        for name in match.group(1).split(",")
    }
    deleted |= _probed(source)
    return [f for f in found if f.rule != "names.undefined" or _quoted(f.message) not in deleted]


#: Builtins that a host adds to the interpreter it embeds (IPython and Jupyter kernels).
_HOST_BUILTINS = frozenset({"get_ipython", "__IPYTHON__", "display"})


def _probed(source: str) -> set[str]:
    """Names the module tries and catches NameError for, and host builtins it tries."""
    if "NameError" not in source and not any(name in source for name in _HOST_BUILTINS):
        return set()
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return set()
    names: set[str] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Try):
            continue
        used = {n.id for stmt in node.body for n in ast.walk(stmt) if isinstance(n, ast.Name)}
        if any(isinstance(h.type, ast.Name) and h.type.id == "NameError" for h in node.handlers):
            names |= used
        else:
            names |= used & _HOST_BUILTINS
    return names


def _quoted(message: str) -> str:
    start = message.find("`")
    end = message.find("`", start + 1)
    return message[start + 1 : end] if 0 <= start < end else ""


def _dynamic_namespace(source: str) -> bool:
    """A module that fills its own namespace at run time: pyflakes cannot see those names."""
    from claude_tui.validation.references import dynamic_namespace

    return dynamic_namespace(source)


def check_source(display_path: str, source: str, timeout: float = 60.0) -> list[Finding]:
    """Undefined-name findings of one source text (a snippet)."""
    name = display_path if display_path.endswith((".py", ".pyi")) else "snippet.py"
    items = _run(_command(["--stdin-filename", name, "-"]), source, timeout)
    lines = source.splitlines()
    found = [_finding(item, display_path, _text_at(lines, item)) for item in items]
    return _without_known_gaps(found, source) if found else found


def _run(command: list[str], stdin: str | None, timeout: float) -> list[dict[str, object]]:
    try:
        done = subprocess.run(  # noqa: S603 - a fixed tool with file paths as arguments
            command,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ToolUnavailableError(f"ruff could not run: {exc}") from exc
    return _parse(done.returncode, done.stdout, done.stderr)


def _parse(returncode: int, stdout: str, stderr: str) -> list[dict[str, object]]:
    if returncode != 0:
        raise ToolUnavailableError(f"ruff failed (exit {returncode}): {stderr.strip()[:300]}")
    try:
        items = json.loads(stdout or "[]")
    except json.JSONDecodeError as exc:
        raise ToolUnavailableError(f"ruff printed something that is not JSON: {exc}") from exc
    return [i for i in items if i.get("code") in NAME_RULES]


def _finding(item: dict[str, object], shown: str, line_text: str) -> Finding:
    location = item.get("location") or {}
    assert isinstance(location, dict)
    code = str(item.get("code"))
    return Finding(
        Check.NAMES,
        _RULE_NAMES[code],
        Severity.HIGH,
        f"{item.get('message')} ({code})",
        shown,
        int(location.get("row", 1)),
        int(location.get("column", 1)),
        line_text,
    )


def _line_text(path: Path, item: dict[str, object]) -> str:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    return _text_at(lines, item)


def _text_at(lines: list[str], item: dict[str, object]) -> str:
    location = item.get("location") or {}
    row = int(location.get("row", 1)) if isinstance(location, dict) else 1
    return lines[row - 1].strip() if 0 < row <= len(lines) else ""
