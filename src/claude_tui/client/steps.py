"""A task's events as a person reads them: sentences, and the change a pending call would make.

Shared by every client that shows a task: the terminal UI's step log and ``claude-tui task``.
"""

from __future__ import annotations

import difflib
import json
from typing import Any

from rich.console import Group, RenderableType
from rich.syntax import Syntax
from rich.text import Text

#: Tools whose pending call is a change to one file, shown as a diff before approval.
FILE_CHANGES = frozenset({"edit_file", "write_file"})
MAX_SHOWN = 300

STATUS_STYLES = {
    "pending": "dim",
    "queued": "cyan",
    "running": "bold yellow",
    "validating": "bold magenta",
    "succeeded": "bold green",
    "failed": "bold red",
    "cancelled": "dim red",
}


def status_text(status: str) -> Text:
    """A task status in its colour."""
    return Text(status, style=STATUS_STYLES.get(status, ""))


def event_kind(event: dict[str, Any]) -> str:
    """The event's kind without its source prefix (``agent.tool_call`` -> ``tool_call``)."""
    return str(event.get("kind", "?")).split(".", 1)[-1]


def _clip(text: str, limit: int = MAX_SHOWN) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe_call(name: str, arguments: Any) -> str:
    """What a tool call does, in words: "edit calc.py (1 change)", "run `make test`"."""
    args = arguments if isinstance(arguments, dict) else {}
    path = str(args.get("path") or ".")
    if name == "edit_file":
        count = len(args.get("edits") or [])
        return f"edit {path} ({count} change{'s' if count != 1 else ''})"
    if name == "write_file":
        lines = len(str(args.get("content", "")).splitlines())
        return f"write {path} ({lines} line{'s' if lines != 1 else ''})"
    if name == "run_command":
        return f"run `{_clip(str(args.get('command', '')), 200)}`"
    if name == "read_file":
        return f"read {path}"
    if name == "list_files":
        pattern = args.get("pattern")
        return f"list the files in {path}" + (f" matching {pattern}" if pattern else "")
    if name == "search":
        return f"search {path} for “{_clip(str(args.get('pattern', '')), 80)}”"
    if name == "run_tests":
        return "run the project's tests"
    if name == "git_status":
        return "look at the git status"
    if name == "git_diff":
        return "look at everything changed so far"
    if name == "finish":
        claimed = args.get("claimed_progress")
        said = f" ({_clip(str(args['summary']), 160)})" if args.get("summary") else ""
        return (
            "say the task is done"
            + (f", claiming {claimed}%" if claimed is not None else "")
            + said
        )
    shown = ", ".join(f"{key}={_clip(str(value), 60)}" for key, value in args.items())
    return f"call {name}" + (f" with {shown}" if shown else "")


def _counts(counts: dict[str, Any]) -> str:
    found = [f"{n} {severity}" for severity, n in counts.items() if n]
    return ", ".join(found) + " finding(s)" if found else "no findings"


def _tests(payload: dict[str, Any]) -> str:
    tests = payload.get("tests")
    if not isinstance(tests, dict):
        return ""
    counts = tests.get("counts") or {}
    return (
        f"; tests: {counts.get('passed', 0)} passed, {counts.get('failed', 0)} failed, "
        f"{counts.get('errors', 0)} errors"
    )


def describe_event(event: dict[str, Any]) -> Text | None:
    """One event of a task as a sentence for the step log; None for one not worth a line."""
    kind = event_kind(event)
    payload = event.get("payload") or {}
    if kind == "approval_decision":
        return None  # the decision as sent; the agent's own "approval_decided" follows
    if kind == "model_text":
        return None  # a piece of a stream: shown as it grows, logged whole with the message
    if kind == "model_message":
        said = str(payload.get("text") or "").strip()
        calls = payload.get("tool_calls") or []
        if said:
            return Text.assemble(("The model says: ", "bold cyan"), said)
        planned = ", then ".join(
            describe_call(str(c.get("name", "")), c.get("arguments")) for c in calls
        )
        return Text.assemble(("The model decides to ", "bold cyan"), f"{planned or 'stop'}.")
    if kind == "tool_call":
        return Text.assemble(
            ("The agent will ", "bold magenta"),
            f"{describe_call(str(payload.get('name', '')), payload.get('arguments'))}.",
        )
    if kind == "tool_result":
        name = str(payload.get("name", "the tool"))
        content = str(payload.get("content", ""))
        if payload.get("is_error"):
            return Text.assemble((f"{name} failed: ", "bold red"), _clip(content))
        first = content.strip().splitlines()[0] if content.strip() else "no output"
        return Text.assemble((f"{name} done: ", "bold green"), _clip(first, 160))
    if kind == "validation":
        ok = bool(payload.get("passed"))
        scope = (
            "The full validation" if payload.get("scope") == "full" else "Validation of the edit"
        )
        files = payload.get("files")
        where = (
            f" of {', '.join(map(str, files))}" if files and payload.get("scope") != "full" else ""
        )
        return Text.assemble(
            (f"{scope}{where} ", "bold yellow"),
            ("passed" if ok else "failed", "green" if ok else "red"),
            f": {_counts(payload.get('counts') or {})}{_tests(payload)}.",
        )
    if kind == "reflection":
        return Text.assemble(
            ("Validation disagrees with the model; ", "bold yellow"),
            f"it tries again (reflection {payload.get('reflection', '?')}).",
        )
    if kind == "commit":
        return Text.assemble(
            ("Committed the step ", "bold blue"),
            f"{str(payload.get('sha', ''))[:10]}: {payload.get('message', '')}.",
        )
    if kind == "commit_failed":
        return Text.assemble(("Could not commit the step: ", "bold red"), str(payload.get("error")))
    if kind == "approval_requested":
        action = describe_call(str(payload.get("name", "")), payload.get("arguments"))
        return Text.assemble(("Waiting for your approval to ", "bold yellow"), f"{action}.")
    if kind == "approval_decided":
        approved = bool(payload.get("approved"))
        reason = str(payload.get("reason") or "")
        return Text.assemble(
            ("The call was ", "bold"),
            ("approved" if approved else "rejected", "green" if approved else "red"),
            f" ({reason})." if reason else ".",
        )
    if kind == "status":
        to = str(payload.get("to") or payload.get("status") or "?")
        why = payload.get("reason")
        return Text.assemble(
            ("The task is now ", "bold"), status_text(to), f": {why}." if why else "."
        )
    if kind == "finished":
        status = str(payload.get("status", "?"))
        detail = payload.get("error") or payload.get("summary") or ""
        return Text.assemble(
            ("The agent finished: ", "bold"),
            status_text(status),
            f" ({_clip(str(detail), 200)})." if detail else ".",
        )
    if kind == "progress":
        tokens = int(payload.get("tokens_in") or 0) + int(payload.get("tokens_out") or 0)
        return Text.assemble(
            ("Progress: ", "bold"),
            f"verified {float(payload.get('verified_progress') or 0):.0f}%, claimed "
            f"{float(payload.get('claimed_progress') or 0):.0f}%, {tokens:,} tokens, "
            f"${float(payload.get('cost_usd') or 0):.4f}.",
        )
    if kind == "created":
        return Text.assemble(("The task was created.", "bold"))
    shown = ", ".join(f"{key} {_clip(str(value), 60)}" for key, value in payload.items())
    return Text.assemble((f"{kind.replace('_', ' ').capitalize()}", "bold"), f": {shown}.")


def apply_edits(text: str, edits: Any) -> str | None:
    """The file after the search/replace blocks, or None when one does not match exactly once."""
    if not isinstance(edits, list):
        return None
    for edit in edits:
        if not isinstance(edit, dict):
            return None
        search, replace = str(edit.get("search", "")), str(edit.get("replace", ""))
        if not search or text.count(search) != 1:
            return None
        text = text.replace(search, replace, 1)
    return text


def change_diff(name: str, arguments: Any, current: str | None) -> str | None:
    """The unified diff a pending file change would make, or None when it cannot be computed."""
    args = arguments if isinstance(arguments, dict) else {}
    path = str(args.get("path") or "")
    if name == "write_file":
        after: str | None = str(args.get("content", ""))
    elif name == "edit_file" and current is not None:
        after = apply_edits(current, args.get("edits"))
    else:
        after = None
    if after is None:
        return None
    before = current or ""
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=f"a/{path}" if current is not None else "/dev/null",
        tofile=f"b/{path}",
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def pending_call(name: str, arguments: Any, current: str | None) -> RenderableType:
    """The whole pending call: a diff for a file change, the command line for a command."""
    args = arguments if isinstance(arguments, dict) else {}
    if name in FILE_CHANGES:
        diff = change_diff(name, args, current)
        if diff is not None:
            return Syntax(diff or "(no change)", "diff", word_wrap=True)
        # The file moved on since the model read it: show the blocks as they were sent.
        blocks: list[RenderableType] = [
            Text("The edit does not apply to the file as it is now; the blocks sent:", "yellow")
        ]
        for edit in args.get("edits") or []:
            blocks.append(Text("search:", "bold"))
            blocks.append(Syntax(str(edit.get("search", "")), "text", word_wrap=True))
            blocks.append(Text("replace with:", "bold"))
            blocks.append(Syntax(str(edit.get("replace", "")), "text", word_wrap=True))
        return Group(*blocks)
    if name == "run_command":
        return Syntax(f"$ {args.get('command', '')}", "bash", word_wrap=True)
    return Syntax(json.dumps(args, indent=2), "json", word_wrap=True)
