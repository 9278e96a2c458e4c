"""The tools offered to the model, and how a tool call is carried out.

Each call runs off the event loop: file tools in a worker thread, commands and git through
their own asynchronous runners. The loop may be the terminal UI's, which must keep drawing.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any, Protocol

from claude_tui.agent.permissions import PermissionMode
from claude_tui.agent.providers.base import INVALID_ARGUMENTS_KEY, ToolCall, ToolSpec
from claude_tui.agent.tools import edit, files
from claude_tui.agent.tools.workspace import ToolError, Workspace

__all__ = ["TOOL_SPECS", "CommandRunner", "ToolError", "ToolOutcome", "Toolbox", "Workspace"]

_PATH = {"type": "string", "description": "Path relative to the project root"}

TOOL_SPECS: dict[str, ToolSpec] = {
    spec.name: spec
    for spec in (
        ToolSpec(
            "list_files",
            "List the project's files (VCS and cache directories are skipped).",
            {
                "type": "object",
                "properties": {
                    "path": {**_PATH, "default": "."},
                    "pattern": {"type": "string", "description": "Optional glob, e.g. *.py"},
                },
            },
        ),
        ToolSpec(
            "read_file",
            "Read a text file, with line numbers. Use start_line/end_line for large files.",
            {
                "type": "object",
                "properties": {
                    "path": _PATH,
                    "start_line": {"type": "integer", "minimum": 1},
                    "end_line": {"type": "integer", "minimum": 1},
                },
                "required": ["path"],
            },
        ),
        ToolSpec(
            "search",
            "Search the project's files for a text (or a regular expression with regex=true).",
            {
                "type": "object",
                "properties": {
                    "pattern": {"type": "string"},
                    "path": {**_PATH, "default": "."},
                    "regex": {"type": "boolean", "default": False},
                },
                "required": ["pattern"],
            },
        ),
        ToolSpec(
            "edit_file",
            "Change an existing file with search/replace blocks. Each search text must match "
            "the file exactly once (whitespace included); all blocks apply or none.",
            {
                "type": "object",
                "properties": {
                    "path": _PATH,
                    "edits": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "search": {"type": "string"},
                                "replace": {"type": "string"},
                            },
                            "required": ["search", "replace"],
                        },
                        "minItems": 1,
                    },
                },
                "required": ["path", "edits"],
            },
        ),
        ToolSpec(
            "write_file",
            "Create a new file with the given content (existing files: use edit_file).",
            {
                "type": "object",
                "properties": {"path": _PATH, "content": {"type": "string"}},
                "required": ["path", "content"],
            },
        ),
        ToolSpec(
            "run_command",
            "Run a shell command in the project directory, inside the sandbox.",
            {
                "type": "object",
                "properties": {"command": {"type": "string"}},
                "required": ["command"],
            },
        ),
        ToolSpec(
            "run_tests",
            "Run the project's test suite in the sandbox and report the counts.",
            {"type": "object", "properties": {}},
        ),
        ToolSpec("git_status", "Show the git status of the workspace.", {"type": "object"}),
        ToolSpec("git_diff", "Show everything changed by this task so far.", {"type": "object"}),
        ToolSpec(
            "finish",
            "Call when the task is complete. The platform then runs the full validation "
            "including the project's tests; only what passes counts.",
            {
                "type": "object",
                "properties": {
                    "summary": {"type": "string"},
                    "claimed_progress": {"type": "number", "minimum": 0, "maximum": 100},
                },
                "required": ["summary"],
            },
        ),
    )
}

#: Tools that change the workspace; refused in read-only mode, approved one by one in ask mode.
MUTATING_TOOLS = frozenset({"edit_file", "write_file", "run_command"})
#: Tools carried out by walking, reading or writing the workspace's files.
FILE_TOOLS = frozenset({"list_files", "read_file", "search", "edit_file", "write_file"})


@dataclass
class ToolOutcome:
    content: str
    is_error: bool = False
    changed_files: list[str] = field(default_factory=list)


class CommandRunner(Protocol):
    """Runs commands and the project's tests inside the validation engine's sandbox."""

    async def run_command(self, command: str) -> str:
        """The command's exit code and output, as text for the model."""
        ...

    async def run_tests(self) -> str:
        """The test run's counts and output tail, as text for the model."""
        ...


class GitView(Protocol):
    async def status(self) -> str: ...

    async def diff(self) -> str: ...


class Toolbox:
    """Carries out the model's tool calls in one workspace."""

    def __init__(
        self, workspace: Workspace, commands: CommandRunner, git: GitView | None = None
    ) -> None:
        self.workspace = workspace
        self.commands = commands
        self.git = git

    def specs(self, mode: PermissionMode) -> list[ToolSpec]:
        """The tools offered in ``mode``: read-only projects are not offered changing tools."""
        return [
            spec
            for name, spec in TOOL_SPECS.items()
            if mode is not PermissionMode.READ_ONLY or name not in MUTATING_TOOLS
        ]

    async def execute(self, call: ToolCall) -> ToolOutcome:
        """Carry out one call; errors become an error result the model can act on."""
        try:
            return await self._execute(call.name, call.arguments)
        except ToolError as exc:
            return ToolOutcome(str(exc), is_error=True)
        except OSError as exc:
            return ToolOutcome(f"{call.name} failed: {exc.strerror or exc}", is_error=True)

    async def _execute(self, name: str, args: dict[str, Any]) -> ToolOutcome:
        if INVALID_ARGUMENTS_KEY in args:
            raise ToolError(f"the arguments of {name} were not valid JSON; send a JSON object")
        if name in FILE_TOOLS:
            return await asyncio.to_thread(self._file_tool, name, args)
        if name == "run_command":
            command = _str(args, "command")
            # A command can write files as well as an edit can (a heredoc, sed -i): what it
            # changed is validated and committed the same way.
            before = await asyncio.to_thread(self.workspace.snapshot)
            text = await self.commands.run_command(command)
            after = await asyncio.to_thread(self.workspace.snapshot)
            changed = sorted(path for path, stamp in after.items() if before.get(path) != stamp)
            return ToolOutcome(text, changed_files=changed)
        if name == "run_tests":
            return ToolOutcome(await self.commands.run_tests())
        if name in ("git_status", "git_diff"):
            if self.git is None:
                raise ToolError("this workspace is not under git")
            text = await (self.git.status() if name == "git_status" else self.git.diff())
            return ToolOutcome(text or "(no changes)")
        raise ToolError(f"unknown tool {name!r}; the tools are: {', '.join(TOOL_SPECS)}")

    def _file_tool(self, name: str, args: dict[str, Any]) -> ToolOutcome:
        """A tool that walks, reads or writes the workspace (synchronous: run in a thread)."""
        ws = self.workspace
        if name == "list_files":
            return ToolOutcome(files.list_files(ws, _str(args, "path", "."), args.get("pattern")))
        if name == "read_file":
            return ToolOutcome(
                files.read_file(
                    ws, _str(args, "path"), _int(args, "start_line"), _int(args, "end_line")
                )
            )
        if name == "search":
            return ToolOutcome(
                files.search(
                    ws, _str(args, "pattern"), _str(args, "path", "."), bool(args.get("regex"))
                )
            )
        path = _str(args, "path")
        if name == "edit_file":
            message = edit.apply_edits(ws, path, edit.as_blocks(args.get("edits")))
        else:
            message = edit.write_new_file(ws, path, _str(args, "content", ""))
        return ToolOutcome(message, changed_files=[ws.relative(ws.resolve(path))])


def _str(args: dict[str, Any], key: str, default: str | None = None) -> str:
    value = args.get(key, default)
    if not isinstance(value, str):
        raise ToolError(f"{key!r} is required and must be a string")
    return value


def _int(args: dict[str, Any], key: str) -> int | None:
    value = args.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ToolError(f"{key!r} must be an integer")
    return value
