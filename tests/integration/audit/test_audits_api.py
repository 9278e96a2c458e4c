"""``POST /api/v1/projects/{id}/audits``: who may audit, and what the report says."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from planted_secrets import SecretFactory

from conftest import AuthUser

MakeUser = Callable[..., Awaitable[AuthUser]]


@pytest.fixture
async def audited(app: FastAPI, client: httpx.AsyncClient, make_user: MakeUser) -> dict[str, Any]:
    owner, viewer, outsider = await make_user(), await make_user(), await make_user()
    response = await client.post(
        "/api/v1/projects", json={"name": "shop", "workspace_path": "shop"}, headers=owner.headers
    )
    assert response.status_code == 201, response.text
    project = response.json()
    added = await client.post(
        f"/api/v1/projects/{project['id']}/members",
        json={"username": viewer.username, "role": "viewer"},
        headers=owner.headers,
    )
    assert added.status_code == 202, added.text
    workspace: Path = app.state.settings.effective_workspace_root / "shop"
    token = SecretFactory().stripe_live()
    (workspace / "billing.py").write_text(f'STRIPE_KEY = "{token}"\n')
    return {
        "url": f"/api/v1/projects/{project['id']}/audits",
        "owner": owner,
        "viewer": viewer,
        "outsider": outsider,
        "token": token,
    }


async def test_a_member_runs_an_audit_and_gets_the_report(
    client: httpx.AsyncClient, audited: dict[str, Any]
) -> None:
    response = await client.post(
        audited["url"], json={"scanners": ["secrets"]}, headers=audited["owner"].headers
    )
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["verdict"] == "fail"
    assert [s["name"] for s in report["scanners"]] == ["secrets"]
    (finding,) = report["findings"]
    assert (finding["rule"], finding["path"], finding["line"]) == (
        "stripe-live-key",
        "billing.py",
        1,
    )
    assert audited["token"] not in response.text
    from prometheus_client import REGISTRY

    timed = REGISTRY.get_sample_value(
        "claude_tui_audit_scanner_duration_seconds_count",
        {"scanner": "secrets", "status": "completed"},
    )
    assert timed is not None
    assert timed >= 1


async def test_the_threshold_can_be_raised(
    client: httpx.AsyncClient, audited: dict[str, Any]
) -> None:
    response = await client.post(
        audited["url"],
        json={"scanners": ["secrets"], "fail_on": "critical"},
        headers=audited["owner"].headers,
    )
    assert response.json()["verdict"] == "fail"  # a live Stripe key is critical
    (workspace_finding,) = response.json()["findings"]
    assert workspace_finding["severity"] == "critical"


async def test_viewers_may_not_and_outsiders_do_not_see_the_project(
    client: httpx.AsyncClient, audited: dict[str, Any]
) -> None:
    denied = await client.post(audited["url"], json={}, headers=audited["viewer"].headers)
    assert denied.status_code == 403
    assert denied.headers["content-type"].startswith("application/problem+json")
    hidden = await client.post(audited["url"], json={}, headers=audited["outsider"].headers)
    assert hidden.status_code == 404
    anonymous = await client.post(audited["url"], json={})
    assert anonymous.status_code == 401


async def test_unknown_scanners_are_a_422(
    client: httpx.AsyncClient, audited: dict[str, Any]
) -> None:
    response = await client.post(
        audited["url"], json={"scanners": ["virus"]}, headers=audited["owner"].headers
    )
    assert response.status_code == 422
    assert "unknown scanner(s) virus" in response.text


async def test_a_broken_policy_is_a_422_naming_the_field(
    app: FastAPI, client: httpx.AsyncClient, audited: dict[str, Any]
) -> None:
    policy = app.state.settings.effective_workspace_root / "shop" / ".claude-tui" / "audit.toml"
    policy.parent.mkdir()
    policy.write_text('fail_on = "severe"\n')
    response = await client.post(audited["url"], json={}, headers=audited["owner"].headers)
    assert response.status_code == 422
    assert "unknown severity 'severe'" in response.json()["detail"]


async def test_the_servers_advisory_source_is_used(
    app: FastAPI, client: httpx.AsyncClient, audited: dict[str, Any], audit_fixtures: Path
) -> None:
    workspace: Path = app.state.settings.effective_workspace_root / "shop"
    (workspace / "requirements.txt").write_text("jinja2==3.1.4\n")
    app.state.settings.audit_advisories_dir = audit_fixtures / "advisories"
    response = await client.post(
        audited["url"], json={"scanners": ["dependencies"]}, headers=audited["owner"].headers
    )
    report = response.json()
    assert report["scanners"][0]["status"] == "completed"
    assert [f["rule"] for f in report["findings"]] == ["CTUI-TEST-2026-0001"]


async def test_without_a_reachable_source_the_audit_is_incomplete(
    app: FastAPI, client: httpx.AsyncClient, audited: dict[str, Any]
) -> None:
    from servers import free_port

    workspace: Path = app.state.settings.effective_workspace_root / "shop"
    (workspace / "requirements.txt").write_text("jinja2==3.1.4\n")
    app.state.settings.audit_osv_url = f"http://127.0.0.1:{free_port()}"
    response = await client.post(
        audited["url"], json={"scanners": ["dependencies"]}, headers=audited["owner"].headers
    )
    report = response.json()
    assert report["verdict"] == "incomplete"
    assert "could not be reached" in report["scanners"][0]["reason"]


async def test_running_an_audit_with_an_api_key_needs_a_write_scope(
    client: httpx.AsyncClient, audited: dict[str, Any]
) -> None:
    owner = audited["owner"]
    answers = {}
    for scopes in (
        ["projects:read"],
        ["tasks:read", "projects:read"],
        ["audits:run"],
        ["tasks:write"],
    ):
        created = await client.post(
            "/api/v1/api-keys", json={"name": "ci", "scopes": scopes}, headers=owner.headers
        )
        assert created.status_code == 201, created.text
        response = await client.post(
            audited["url"],
            json={"scanners": ["secrets"]},
            headers={"X-API-Key": created.json()["key"]},
        )
        answers[",".join(scopes)] = response.status_code
        if response.status_code == 403:
            assert "'audits:run' or 'tasks:write'" in response.json()["detail"]
    assert answers == {
        "projects:read": 403,
        "tasks:read,projects:read": 403,
        "audits:run": 200,
        "tasks:write": 200,
    }
