"""Validation of snippets and project workspaces on request; reports kept in validation_reports."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from claude_tui.domain.roles import Action
from claude_tui.observability import metrics
from claude_tui.services import audit_trail
from claude_tui.services.authorization import (
    PROJECTS_READ,
    TASKS_WRITE,
    authorize_project,
    require_scope,
)
from claude_tui.services.errors import ConflictError, InvalidInputError
from claude_tui.services.identifiers import RowId
from claude_tui.services.pagination import Page, PageRequest, paginate
from claude_tui.services.principal import Principal
from claude_tui.services.projects import workspace_directory
from claude_tui.storage.models import ValidationReport as ReportRow
from claude_tui.validation import (
    ExecutionLimits,
    InvalidTargetError,
    ResultCache,
    Severity,
    ValidationEngineError,
    ValidationReport,
    validate_path,
    validate_snippet,
)
from claude_tui.validation.languages import parse_language

MAX_SNIPPET_CHARS = 200_000
REPORT_SORTS = {"id": ReportRow.id, "created_at": ReportRow.created_at}


class ValidationRequest(BaseModel):
    """A snippet (``code`` and ``language``) or a project's workspace (``project_id`` alone)."""

    project_id: RowId | None = Field(
        default=None, description="The project: its workspace, or the context of a snippet."
    )
    code: str | None = Field(default=None, max_length=MAX_SNIPPET_CHARS)
    language: str | None = Field(
        default=None, max_length=32, description="python, javascript, typescript, go, rust..."
    )
    filename: str | None = Field(default=None, max_length=255)
    changed_since: str | None = Field(
        default=None, max_length=200, description="Only what changed since this git revision."
    )
    run_tests: bool = Field(default=False, description="Run the project's tests in the sandbox.")
    fail_on: Literal["low", "medium", "high"] = "medium"

    @model_validator(mode="after")
    def _snippet_or_project(self) -> ValidationRequest:
        if self.code is None and self.project_id is None:
            raise ValueError("give either code and language (a snippet) or project_id")
        if self.code is not None:
            if not self.language:
                raise ValueError("a snippet needs its language")
            parse_language(self.language)
            if self.run_tests or self.changed_since:
                raise ValueError("run_tests and changed_since apply to a project, not a snippet")
        return self


class ValidationReportView(BaseModel):
    """A stored report."""

    id: int
    project_id: int | None
    target: str
    passed: bool
    score: float
    engine_version: str
    summary: dict[str, Any]
    findings: list[dict[str, Any]]
    created_by: int | None
    created_at: datetime

    @classmethod
    def of(cls, row: ReportRow) -> ValidationReportView:
        return cls(
            id=row.id,
            project_id=row.project_id,
            target=row.target,
            passed=row.passed,
            score=row.score,
            engine_version=row.engine_version,
            summary=row.summary,
            findings=row.findings,
            created_by=row.created_by,
            created_at=row.created_at,
        )


def score_of(report: ValidationReport, threshold: Severity) -> float:
    """The share of checked files without a finding at or above ``threshold`` (0 to 1)."""
    if report.files_checked == 0:
        return 1.0 if report.complete else 0.0
    failing = {f.path for f in report.at_or_above(threshold) if f.path}
    project_wide = any(not f.path for f in report.at_or_above(threshold))
    share = 1.0 - len(failing) / report.files_checked
    return 0.0 if project_wide or not report.complete else max(0.0, share)


def record_metrics(report: ValidationReport, passed: bool) -> None:
    """Count the run per check and its findings in the platform's metrics."""
    failed_checks = {f.check for f in report.failures}
    for check in report.checks:
        if check in failed_checks:
            outcome = metrics.ValidationOutcome.ERROR
        elif any(
            f.check is check and f.severity.at_least(Severity.MEDIUM) for f in report.findings
        ):
            outcome = metrics.ValidationOutcome.FAILED
        else:
            outcome = metrics.ValidationOutcome.PASSED
        metrics.record_validation(check.value, outcome)
    metrics.record_findings(
        metrics.FindingSource.VALIDATION,
        (metrics.Severity(f.severity.value) for f in report.findings),
    )


_caches: dict[tuple[Path, str | None], ResultCache] = {}


def shared_cache(directory: Path, redis_url: str | None) -> ResultCache:
    """One results cache per process (memory, disk under ``directory``, Redis when set)."""
    key = (directory, redis_url)
    if key not in _caches:
        _caches[key] = ResultCache.default(directory, redis_url)
    return _caches[key]


async def run_validation(
    session: AsyncSession,
    principal: Principal,
    workspace_root: Path,
    request: ValidationRequest,
    cache: ResultCache | None = None,
    allow_unsandboxed: bool = False,
    install_test_env: bool = True,
    test_env_dir: Path | None = None,
) -> ValidationReportView:
    """Validate the snippet or the project's workspace, store the report and return it.

    Running the project's tests needs the sandbox: without it the request is refused (409)
    unless the operator set ``allow_unsandboxed``.
    """
    workspace: Path | None = None
    if request.project_id is not None:
        access = await authorize_project(
            session, principal, request.project_id, Action.RUN_TASKS, scope=TASKS_WRITE
        )
        workspace = await asyncio.to_thread(
            lambda: workspace_directory(workspace_root, access.project).resolve()
        )
        if not workspace.is_dir():
            raise ConflictError(
                f"The project's workspace {workspace} does not exist on the server."
            )
    else:
        require_scope(principal, TASKS_WRITE)
    threshold = Severity(request.fail_on)
    try:
        if request.code is not None:
            assert request.language is not None
            report = await asyncio.to_thread(
                validate_snippet,
                request.code,
                request.language,
                project_root=workspace,
                filename=request.filename,
                cache=cache,
            )
            target = f"snippet:{request.filename or request.language}"
        else:
            assert workspace is not None
            report = await asyncio.to_thread(
                validate_path,
                workspace,
                changed_since=request.changed_since,
                execute=request.run_tests,
                limits=ExecutionLimits(timeout_seconds=600),
                cache=cache,
                allow_unsandboxed=allow_unsandboxed,
                install_test_env=install_test_env,
                test_env_dir=test_env_dir,
            )
            target = "workspace" + (f"@{request.changed_since}" if request.changed_since else "")
    except InvalidTargetError as exc:
        raise InvalidInputError(str(exc)) from exc
    except ValidationEngineError as exc:
        raise ConflictError(f"The validation could not run: {exc}") from exc
    passed = report.complete and not report.at_or_above(threshold)
    record_metrics(report, passed)
    data = report.to_dict()
    summary = {key: value for key, value in data.items() if key != "findings"} | {
        "fail_on": threshold.value
    }
    row = ReportRow(
        project_id=request.project_id,
        created_by=principal.user_id or None,
        target=target[:1024],
        passed=passed,
        score=score_of(report, threshold),
        engine_version=report.engine_version,
        summary=summary,
        findings=data["findings"],
    )
    session.add(row)
    await session.flush()
    if request.project_id is not None:
        audit_trail.record(
            session,
            "project.validated",
            actor_id=principal.user_id,
            target_type="project",
            target_id=request.project_id,
            detail={"report_id": row.id, "passed": passed, "findings": len(report.findings)},
        )
    await session.commit()
    await session.refresh(row)
    return ValidationReportView.of(row)


async def list_reports(
    session: AsyncSession, principal: Principal, project_id: int, page: PageRequest
) -> Page[ValidationReportView]:
    """The stored validation reports of a project, newest last unless sorted otherwise."""
    await authorize_project(session, principal, project_id, Action.VIEW, scope=PROJECTS_READ)
    stmt = select(ReportRow).where(ReportRow.project_id == project_id)
    result = await paginate(
        session, stmt, request=page, sort_columns=REPORT_SORTS, id_column=ReportRow.id
    )
    return Page[ValidationReportView](
        items=[ValidationReportView.of(r) for r in result.rows],
        total=result.total,
        next_cursor=result.next_cursor,
    )
