"""The anti-hallucination engine over HTTP: validate a snippet or a project, list reports."""

from __future__ import annotations

from fastapi import Request

from claude_tui.api.deps import CurrentPrincipal, DbSession
from claude_tui.api.routes.page_params import (
    CONFLICT,
    FORBIDDEN,
    INVALID,
    NOT_AUTHENTICATED,
    NOT_FOUND,
    IdPath,
    PageParams,
)
from claude_tui.api.routing import api_router
from claude_tui.services import validations
from claude_tui.services.pagination import Page
from claude_tui.services.validations import ValidationReportView, ValidationRequest

router = api_router(prefix="/api/v1", tags=["validations"], responses=NOT_AUTHENTICATED)


@router.post(
    "/validations",
    status_code=201,
    summary="Validate a snippet or a project's workspace",
    description=(
        "Checks syntax, placeholders and stubs, invented imports and undefined names (and, for "
        "a project with `run_tests`, runs its tests in a sandbox). The report is stored; "
        "`passed` is false when a finding is at or above `fail_on` or a check could not run."
    ),
    responses={**NOT_FOUND, **FORBIDDEN, **INVALID, **CONFLICT},
)
async def create_validation(
    http_request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    request: ValidationRequest,
) -> ValidationReportView:
    settings = http_request.app.state.settings
    cache = validations.shared_cache(settings.data_dir / "validation-cache", settings.redis_url)
    return await validations.run_validation(
        session,
        principal,
        settings.effective_workspace_root,
        request,
        cache,
        allow_unsandboxed=settings.allow_unsandboxed,
        install_test_env=settings.validation_install_test_env,
        test_env_dir=settings.validation_test_env_dir,
    )


@router.get(
    "/projects/{project_id}/validations",
    summary="The stored validation reports of a project",
    responses={**NOT_FOUND, **FORBIDDEN, **INVALID},
)
async def list_validations(
    session: DbSession, principal: CurrentPrincipal, project_id: IdPath, page: PageParams
) -> Page[ValidationReportView]:
    return await validations.list_reports(session, principal, project_id, page)
