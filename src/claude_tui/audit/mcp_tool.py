"""``audit_path``: the security audit as a tool of the ``claude-tui mcp`` server."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mcp.server.mcpserver.exceptions import ToolError

from claude_tui.audit.model import Severity
from claude_tui.audit.options import AuditOptions
from claude_tui.audit.policy import SCANNERS, PolicyError, load_policy
from claude_tui.audit.project import ProjectError
from claude_tui.audit.reporting import render_json
from claude_tui.audit.runner import run_audit


def audit_path(
    path: str,
    scanners: list[str] | None = None,
    history: bool = False,
    fail_on: str | None = None,
    offline: bool = False,
    advisories: str | None = None,
) -> dict[str, Any]:
    """Security audit of a project directory: secrets (with history: in git history too),
    vulnerable dependencies (OSV), licenses, code (bandit, own rules) and infrastructure
    (hadolint, trivy, zizmor, actionlint), under the project's .claude-tui/audit.toml.
    ``verdict`` is pass, fail (findings at or above fail_on) or incomplete (a required scanner
    did not complete; each scanner's status and reason say why). Secrets are masked."""
    unknown = [name for name in scanners or [] if name not in SCANNERS]
    if unknown:
        raise ToolError(f"unknown scanner(s) {', '.join(unknown)}; known: {', '.join(SCANNERS)}")
    try:
        threshold = Severity.parse(fail_on) if fail_on else None
    except ValueError as exc:
        raise ToolError(f"fail_on: {exc}") from exc
    if advisories is not None and not Path(advisories).is_dir():
        raise ToolError(f"advisories {advisories} is not a directory")
    root = Path(path)
    try:
        policy = load_policy(root.resolve())
        report = run_audit(
            root,
            policy,
            AuditOptions(
                history=history,
                online=not offline,
                advisories=Path(advisories) if advisories else None,
                only=tuple(scanners or ()),
            ),
            fail_on=threshold,
        )
    except (PolicyError, ProjectError) as exc:
        raise ToolError(str(exc)) from exc
    result: dict[str, Any] = json.loads(render_json(report))
    return result
