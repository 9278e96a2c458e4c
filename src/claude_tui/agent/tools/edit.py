"""Changing files: search/replace blocks checked for an exact, unique match; new-file writes."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from claude_tui.agent.tools.workspace import ToolError, Workspace

MAX_WRITE_BYTES = 1024 * 1024


@dataclass(frozen=True)
class EditBlock:
    search: str
    replace: str


def apply_edits(workspace: Workspace, path: str, blocks: list[EditBlock]) -> str:
    """Apply every block to the file, or none of them when one does not match exactly once."""
    target = workspace.resolve(path)
    if not target.is_file():
        raise ToolError(f"{path!r} does not exist; create new files with write_file")
    if not blocks:
        raise ToolError("no edits were given")
    text = target.read_text(encoding="utf-8")
    updated = text
    for number, block in enumerate(blocks, 1):
        if not block.search:
            raise ToolError(f"edit {number}: the search text is empty")
        count = updated.count(block.search)
        if count == 0:
            raise ToolError(_no_match_message(path, number, block.search, updated))
        if count > 1:
            raise ToolError(
                f"edit {number}: the search text occurs {count} times in {path}; include more "
                "surrounding lines so it matches exactly once. No edit was applied."
            )
        updated = updated.replace(block.search, block.replace, 1)
    if updated == text:
        raise ToolError("the edits change nothing")
    target.write_text(updated, encoding="utf-8")
    return f"edited {workspace.relative(target)}: {len(blocks)} block(s) applied"


def write_new_file(workspace: Workspace, path: str, content: str) -> str:
    """Create a file that does not exist yet (edits to existing files go through edit_file)."""
    target = workspace.resolve(path)
    if target.exists():
        raise ToolError(
            f"{path!r} already exists; change it with edit_file (search/replace blocks) so "
            "existing content is never overwritten by accident"
        )
    if len(content.encode("utf-8")) > MAX_WRITE_BYTES:
        raise ToolError(f"the content is larger than {MAX_WRITE_BYTES} bytes")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(content, encoding="utf-8")
    lines = content.count("\n") + (0 if content.endswith("\n") or not content else 1)
    return f"created {workspace.relative(target)} ({lines} lines)"


def _no_match_message(path: str, number: int, search: str, text: str) -> str:
    """Why a block did not match, with the closest lines of the file to help the model."""
    lines = text.splitlines()
    wanted = search.splitlines() or [search]
    size = len(wanted)
    best_ratio = 0.0
    best_start = 0
    for start in range(max(1, len(lines) - size + 1)):
        window = lines[start : start + size]
        ratio = difflib.SequenceMatcher(None, "\n".join(window), search).ratio()
        if ratio > best_ratio:
            best_ratio, best_start = ratio, start
    message = (
        f"edit {number}: the search text was not found in {path}. The search text must match "
        "the file exactly, including indentation and whitespace. No edit was applied."
    )
    if best_ratio >= 0.5 and lines:
        window = lines[best_start : best_start + size]
        stripped_equal = [w.strip() for w in window] == [s.strip() for s in wanted]
        hint = " (same text, different indentation or whitespace)" if stripped_equal else ""
        shown = "\n".join(f"{best_start + i + 1:>4}| {line}" for i, line in enumerate(window))
        message += f"\nThe closest lines in the file{hint} are:\n{shown}"
    return message


def as_blocks(raw: object) -> list[EditBlock]:
    """Edit blocks from the model's tool input, with a clear error on a wrong shape."""
    if not isinstance(raw, list):
        raise ToolError("edits must be a list of {search, replace} objects")
    blocks: list[EditBlock] = []
    for number, item in enumerate(raw, 1):
        if (
            not isinstance(item, dict)
            or not isinstance(item.get("search"), str)
            or not isinstance(item.get("replace"), str)
        ):
            raise ToolError(f"edit {number} must be an object with string search and replace")
        blocks.append(EditBlock(item["search"], item["replace"]))
    return blocks


def snapshot(path: Path) -> str | None:
    """The file's text before a change (None when it does not exist), to report diffs."""
    return path.read_text(encoding="utf-8") if path.is_file() else None
