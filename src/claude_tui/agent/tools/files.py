"""Looking at files: list, read with line ranges, search."""

from __future__ import annotations

import fnmatch
import json
import re
import shutil
import subprocess
from pathlib import Path

from claude_tui.agent.tools.workspace import ToolError, Workspace

MAX_LIST_ENTRIES = 500
MAX_READ_LINES = 2000
MAX_READ_BYTES = 512 * 1024
MAX_SEARCH_HITS = 200


def list_files(workspace: Workspace, path: str = ".", pattern: str | None = None) -> str:
    """Files under ``path`` (relative paths, one per line), optionally filtered by a glob."""
    start = workspace.resolve(path)
    if not start.exists():
        raise ToolError(f"{path!r} does not exist")
    if start.is_file():
        return workspace.relative(start)
    entries = [workspace.relative(p) for p in workspace.walk(start)]
    if pattern:
        entries = [e for e in entries if fnmatch.fnmatch(e, pattern)]
    if not entries:
        return "(no files)"
    shown = entries[:MAX_LIST_ENTRIES]
    more = len(entries) - len(shown)
    return "\n".join(shown) + (f"\n... and {more} more" if more > 0 else "")


def read_file(
    workspace: Workspace, path: str, start_line: int | None = None, end_line: int | None = None
) -> str:
    """The file's lines ``start_line``..``end_line`` (1-based, inclusive), numbered."""
    target = workspace.resolve(path)
    if not target.is_file():
        raise ToolError(f"{path!r} is not a file (use list_files to see what exists)")
    if target.stat().st_size > MAX_READ_BYTES and start_line is None:
        raise ToolError(
            f"{path!r} is {target.stat().st_size} bytes; read it in parts with start_line and "
            "end_line"
        )
    try:
        lines = target.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as exc:
        raise ToolError(f"{path!r} is not a UTF-8 text file") from exc
    first = max(1, start_line or 1)
    last = min(len(lines), end_line or len(lines))
    if first > max(len(lines), 1):
        raise ToolError(f"{path!r} has {len(lines)} lines; line {first} does not exist")
    last = min(last, first + MAX_READ_LINES - 1)
    width = len(str(last))
    body = "\n".join(f"{n:>{width}}| {lines[n - 1]}" for n in range(first, last + 1))
    header = f"{workspace.relative(target)} (lines {first}-{last} of {len(lines)})"
    return f"{header}\n{body}" if body else f"{header}\n(empty file)"


def search(workspace: Workspace, pattern: str, path: str = ".", regex: bool = False) -> str:
    """Lines matching ``pattern`` as ``path:line: text``; ripgrep when installed."""
    start = workspace.resolve(path)
    if not pattern:
        raise ToolError("a search pattern is required")
    try:
        compiled = re.compile(pattern if regex else re.escape(pattern))
    except re.error as exc:
        raise ToolError(f"invalid regular expression: {exc}") from exc
    rg = shutil.which("rg")
    hits = (
        _search_rg(rg, workspace, start, pattern, regex)
        if rg
        else _search_python(workspace, start, compiled)
    )
    if not hits:
        return "(no matches)"
    shown = hits[:MAX_SEARCH_HITS]
    more = len(hits) - len(shown)
    return "\n".join(shown) + (f"\n... and {more} more matches" if more > 0 else "")


def _search_python(workspace: Workspace, start: Path, compiled: re.Pattern[str]) -> list[str]:
    hits: list[str] = []
    files = [start] if start.is_file() else workspace.walk(start)
    for file in files:
        try:
            text = file.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        for number, line in enumerate(text.splitlines(), 1):
            if compiled.search(line):
                hits.append(f"{workspace.relative(file)}:{number}: {line.strip()[:200]}")
                if len(hits) > MAX_SEARCH_HITS:
                    return hits
    return hits


def _search_rg(rg: str, workspace: Workspace, start: Path, pattern: str, regex: bool) -> list[str]:
    args = [rg, "--json", "--no-follow", "--max-count", str(MAX_SEARCH_HITS)]
    if not regex:
        args.append("--fixed-strings")
    args += ["-e", pattern, str(start)]
    proc = subprocess.run(  # noqa: S603 - fixed argv, no shell
        args, capture_output=True, text=True, timeout=60, check=False, cwd=workspace.root
    )
    hits: list[str] = []
    for raw in proc.stdout.splitlines():
        event = json.loads(raw)
        if event.get("type") != "match":
            continue
        data = event["data"]
        file = Path(data["path"]["text"])
        text = data["lines"].get("text", "").strip()[:200]
        hits.append(f"{workspace.relative(file)}:{data['line_number']}: {text}")
    return hits
