"""Security audits of a project's workspace, run on request by its developers and maintainers."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator
from sqlalchemy.ext.asyncio import AsyncSession

from claude_tui.audit.model import Severity
from claude_tui.audit.options import OSV_URL, AuditOptions
from claude_tui.audit.policy import SCANNERS, Policy, PolicyError, load_policy
from claude_tui.audit.project import ProjectError
from claude_tui.audit.reporting import render_json
from claude_tui.audit.runner import EXIT_FINDINGS, EXIT_PASS, AuditReport, run_audit
from claude_tui.domain.roles import Action
from claude_tui.observability import metrics
from claude_tui.services import audit_trail
from claude_tui.services.authorization import AUDITS_RUN, TASKS_WRITE, authorize_project
from claude_tui.services.errors import ConflictError, InvalidInputError
from claude_tui.services.principal import Principal
from claude_tui.services.projects import workspace_directory


class AuditRequest(BaseModel):
    """What to audit; everything else comes from the project's ``.claude-tui/audit.toml``."""

    scanners: list[str] = Field(
        default_factory=list,
        max_length=len(SCANNERS),
        description=f"Run only these scanners or groups (empty: all): {', '.join(SCANNERS)}.",
    )
    history: bool = Field(default=False, description="Also scan the git history for secrets.")
    fail_on: Literal["info", "low", "medium", "high", "critical"] | None = Field(
        default=None, description="Threshold of the verdict (default: the project's policy)."
    )

    @field_validator("scanners")
    @classmethod
    def _known_scanners(cls, value: list[str]) -> list[str]:
        unknown = [name for name in value if name not in SCANNERS]
        if unknown:
            raise ValueError(f"unknown scanner(s) {', '.join(unknown)}")
        return value


class AuditSource(BaseModel):
    """Where the server finds vulnerability advisories (from settings)."""

    osv_url: str = OSV_URL
    advisories: Path | None = None


def _outcome_metric(report: AuditReport) -> metrics.AuditOutcome:
    if report.exit_code == EXIT_PASS:
        return metrics.AuditOutcome.CLEAN
    if report.exit_code == EXIT_FINDINGS:
        return metrics.AuditOutcome.FINDINGS
    return metrics.AuditOutcome.ERROR


def record_metrics(report: AuditReport) -> None:
    """Count the audit and its findings in the platform's metrics."""
    metrics.record_audit(_outcome_metric(report))
    for outcome in report.outcomes:
        metrics.record_audit_scanner(
            outcome.scanner, outcome.status.value, outcome.duration_seconds
        )
    metrics.record_findings(
        metrics.FindingSource.AUDIT, (metrics.Severity(f.severity.label) for f in report.findings)
    )


def _workspace_policy(workspace: Path) -> Policy:
    if not workspace.is_dir():
        raise ConflictError(f"The project's workspace {workspace} does not exist on the server.")
    try:
        return load_policy(workspace)
    except PolicyError as exc:
        raise InvalidInputError(f"The project's audit policy cannot be used: {exc}") from exc


async def audit_project(
    session: AsyncSession,
    principal: Principal,
    project_id: int,
    workspace_root: Path,
    request: AuditRequest,
    source: AuditSource | None = None,
) -> dict[str, Any]:
    """Audit the project's workspace and return the JSON report (the CLI's ``--format json``)."""
    # An audit runs scanners on the server and records its outcome: a write, not a read.
    access = await authorize_project(
        session, principal, project_id, Action.RUN_TASKS, scope=(AUDITS_RUN, TASKS_WRITE)
    )
    workspace = await asyncio.to_thread(
        lambda: workspace_directory(workspace_root, access.project).resolve()
    )
    policy = await asyncio.to_thread(_workspace_policy, workspace)
    source = source or AuditSource()
    options = AuditOptions(
        history=request.history,
        advisories=source.advisories,
        osv_url=source.osv_url,
        only=tuple(request.scanners),
    )
    threshold = Severity.parse(request.fail_on) if request.fail_on else None
    try:
        # The scanners are subprocesses and file reads: keep them off the event loop.
        report = await asyncio.to_thread(run_audit, workspace, policy, options, None, threshold)
    except ProjectError as exc:
        raise ConflictError(str(exc)) from exc
    record_metrics(report)
    audit_trail.record(
        session,
        "project.audited",
        actor_id=principal.user_id,
        target_type="project",
        target_id=project_id,
        detail={
            "verdict": report.verdict,
            "findings": len(report.findings),
            "incomplete": [o.scanner for o in report.incomplete],
        },
    )
    await session.commit()
    result: dict[str, Any] = json.loads(render_json(report))
    return result
