"""The validation engine as a Model Context Protocol server (official ``mcp`` SDK, stdio).

Claude Code, Codex or any MCP client can have its own work checked. Every tool is a plain
typed function in :data:`TOOLS`; the SDK derives its input schema from the signature and its
description from the docstring. To add a tool (an ``audit_path`` for example), write the
function and append it to :data:`TOOLS`.

Anticipated failures (a bad path, an unknown language) raise ``ToolError``: the client gets
an error result with the message, never a crash.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError

from claude_tui import __version__
from claude_tui.audit.mcp_tool import audit_path
from claude_tui.validation import (
    ProgressClaim,
    ResultCache,
    Severity,
    ValidationEngineError,
    ValidationReport,
    score_progress,
)
from claude_tui.validation import validate_path as _validate_path
from claude_tui.validation import validate_snippet as _validate_snippet

SERVER_NAME = "claude-tui"
INSTRUCTIONS = (
    "Checks code for incomplete, invented and unverified work: syntax errors, stubs and "
    "placeholders, imports of packages that do not exist, undefined names, failing tests. "
    "Call validate_snippet before writing code, validate_path after editing files, and "
    "check_progress before reporting progress."
)

_cache: ResultCache | None = None


def _shared_cache() -> ResultCache:
    global _cache
    if _cache is None:
        _cache = ResultCache.default()
    return _cache


def _severity(name: str) -> Severity:
    try:
        return Severity(name)
    except ValueError:
        raise ToolError(f"fail_on must be low, medium or high, got {name!r}") from None


def _summary(report: ValidationReport, fail_on: Severity) -> dict[str, Any]:
    data = report.to_dict()
    data["passed"] = report.complete and not report.at_or_above(fail_on)
    data["fail_on"] = fail_on.value
    return data


def validate_path(
    path: str,
    changed_since: str | None = None,
    run_tests: bool = False,
    fail_on: str = "medium",
) -> dict[str, Any]:
    """Validate a file or directory: syntax, placeholders and stubs, invented imports and
    undefined names, and (with run_tests) the project's tests in a sandbox. ``passed`` is
    false when a finding is at or above fail_on or a check could not run."""
    threshold = _severity(fail_on)
    try:
        report = _validate_path(
            path, changed_since=changed_since, execute=run_tests, cache=_shared_cache()
        )
    except ValidationEngineError as exc:
        raise ToolError(str(exc)) from exc
    return _summary(report, threshold)


def validate_snippet(
    code: str,
    language: str,
    project_root: str | None = None,
    filename: str | None = None,
    fail_on: str = "medium",
) -> dict[str, Any]:
    """Validate a piece of code before it is written (language: python, javascript,
    typescript, tsx, go, rust, java, bash). With project_root, imports are resolved against
    that project's modules and declared dependencies."""
    threshold = _severity(fail_on)
    try:
        report = _validate_snippet(
            code, language, project_root=project_root, filename=filename, cache=_shared_cache()
        )
    except ValueError as exc:  # an unknown language name
        raise ToolError(str(exc)) from exc
    except ValidationEngineError as exc:
        raise ToolError(str(exc)) from exc
    return _summary(report, threshold)


def check_progress(
    path: str,
    files_done: list[str],
    tests_passing: int | None = None,
    percent_complete: float | None = None,
    run_tests: bool = False,
) -> dict[str, Any]:
    """Compare claimed progress (files done, passing tests, percent complete) with what
    validation of the project at path verifies; returns claimed and verified percent, an
    authenticity score from 0 to 1, and the reason for every point lost."""
    try:
        claim = ProgressClaim.from_dict(
            {
                "files_done": files_done,
                "tests_passing": tests_passing,
                "percent_complete": percent_complete,
            }
        )
        report = _validate_path(path, execute=run_tests, cache=_shared_cache())
    except ValueError as exc:
        raise ToolError(str(exc)) from exc
    except ValidationEngineError as exc:
        raise ToolError(str(exc)) from exc
    root = Path(path)
    base = root if root.is_dir() else root.parent
    existing = [f for f in claim.files_done if (base / f).is_file()]
    assessment = score_progress(claim, report, existing)
    return assessment.to_dict() | {"report": _summary(report, Severity.MEDIUM)}


#: The tools this server exposes, in the order clients list them.
TOOLS: list[Callable[..., Any]] = [validate_path, validate_snippet, check_progress, audit_path]


def build_server() -> MCPServer:
    """The MCP server with every tool of :data:`TOOLS` registered."""
    server: MCPServer = MCPServer(
        SERVER_NAME, version=__version__, instructions=INSTRUCTIONS, log_level="WARNING"
    )
    for tool in TOOLS:
        server.add_tool(tool)
    return server


if __name__ == "__main__":  # ``python -m claude_tui.mcp_server``, the same as ``claude-tui mcp``
    build_server().run("stdio")
