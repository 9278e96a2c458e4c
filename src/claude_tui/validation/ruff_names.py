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
from pathlib import Path

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
    if not files:
        return {}
    by_real = {str(real.resolve()): shown for shown, real in files.items()}
    out: dict[str, list[Finding]] = {shown: [] for shown in files}
    reals = list(by_real)
    # Batches keep the command line under the kernel's argument limit.
    for start in range(0, len(reals), 2000):
        batch = reals[start : start + 2000]
        for item in _run(_command(batch), None, timeout):
            shown = by_real.get(str(Path(str(item.get("filename", ""))).resolve()))
            if shown is not None:
                out[shown].append(_finding(item, shown, _line_text(files[shown], item)))
    for shown, found in out.items():
        if found:
            out[shown] = _without_known_gaps(found, files[shown].read_text("utf-8", "replace"))
    return out


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
    if done.returncode != 0:
        raise ToolUnavailableError(
            f"ruff failed (exit {done.returncode}): {done.stderr.strip()[:300]}"
        )
    try:
        items = json.loads(done.stdout or "[]")
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
