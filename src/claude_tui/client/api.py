"""The API client: one method per operation, problem+json errors raised as ``ApiError``."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx

JSON = dict[str, Any]
#: Seconds to wait for operations that scan a whole workspace.
LONG_OPERATION = 600.0


class ApiError(Exception):
    """The server refused a request; ``detail`` is the problem's explanation for a person."""

    def __init__(self, status: int, title: str, detail: str, body: JSON | None = None) -> None:
        super().__init__(f"{title}: {detail}" if detail else title)
        self.status = status
        self.title = title
        self.detail = detail
        self.body = body or {}


#: Idle connections are kept this long, well under servers' own keep-alive time.
KEEPALIVE_SECONDS = 2.0


class ApiClient:
    """Talks to one server (embedded or remote) with one credential."""

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        timeout: float = 30.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._token = token
        self._http = httpx.AsyncClient(
            base_url=self.base_url,
            timeout=timeout,
            transport=transport,
            # Drop an idle connection before the server may (uvicorn closes after 5 s): a
            # request sent on a connection the server is closing fails with a read error.
            limits=httpx.Limits(keepalive_expiry=KEEPALIVE_SECONDS),
        )

    async def __aenter__(self) -> ApiClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    @property
    def token(self) -> str | None:
        return self._token

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._token}"} if self._token else {}

    async def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: dict[str, Any] | None = None,
        data: dict[str, Any] | None = None,
        time_limit: float | None = None,
    ) -> Any:
        """Send a request; return the decoded JSON body (None when empty).

        ``time_limit`` (seconds) overrides the client's default for long operations
        (audits, validations).
        """
        clean = {k: v for k, v in (params or {}).items() if v is not None}
        try:
            response = await self._http.request(
                method,
                path,
                json=json,
                params=clean,
                data=data,
                headers=self._headers(),
                timeout=time_limit if time_limit is not None else httpx.USE_CLIENT_DEFAULT,
            )
        except httpx.TimeoutException as exc:
            raise ApiError(0, "Timed out", f"{self.base_url} did not answer in time") from exc
        except httpx.HTTPError as exc:
            raise ApiError(0, "Server unreachable", f"{self.base_url}: {exc}") from exc
        if response.status_code >= 400:
            raise _problem(response)
        if not response.content:
            return None
        return response.json()

    # -- operations -----------------------------------------------------------------------

    async def health(self) -> JSON:
        result: JSON = await self.request("GET", "/health")
        return result

    async def version(self) -> JSON:
        result: JSON = await self.request("GET", "/version")
        return result

    async def ready(self) -> JSON:
        """The readiness report; a not-ready server raises ``ApiError`` with status 503."""
        result: JSON = await self.request("GET", "/ready")
        return result

    async def login(self, username: str, password: str) -> JSON:
        """Log in with a password; the client then uses the access token it got."""
        tokens: JSON = await self.request(
            "POST",
            "/api/v1/auth/token",
            data={"username": username, "password": password, "grant_type": "password"},
        )
        self._token = str(tokens["access_token"])
        return tokens

    async def me(self) -> JSON:
        result: JSON = await self.request("GET", "/api/v1/users/me")
        return result

    async def paginate(
        self, path: str, params: dict[str, Any] | None = None, *, limit: int = 100
    ) -> AsyncIterator[JSON]:
        """Every item of a cursor-paginated list."""
        query = {**(params or {}), "limit": limit}
        while True:
            page: JSON = await self.request("GET", path, params=query)
            for item in page.get("items", []):
                yield item
            cursor = page.get("next_cursor")
            if not cursor:
                return
            query["cursor"] = cursor

    # -- projects, templates, files ---------------------------------------------------

    async def list_projects(self) -> list[JSON]:
        return [p async for p in self.paginate("/api/v1/projects")]

    async def get_project(self, project_id: int) -> JSON:
        result: JSON = await self.request("GET", f"/api/v1/projects/{project_id}")
        return result

    async def create_project(self, project: JSON) -> JSON:
        result: JSON = await self.request("POST", "/api/v1/projects", json=project)
        return result

    async def delete_project(self, project_id: int) -> None:
        """Forget the project with its tasks and events; its files stay."""
        await self.request("DELETE", f"/api/v1/projects/{project_id}")

    async def list_templates(self) -> list[JSON]:
        result: list[JSON] = await self.request("GET", "/api/v1/templates")
        return result

    async def create_project_from_template(
        self, template: str, project: JSON, answers: JSON
    ) -> JSON:
        result: JSON = await self.request(
            "POST",
            f"/api/v1/templates/{template}/projects",
            json={"project": project, "answers": answers},
        )
        return result

    async def list_files(self, project_id: int, path: str = "") -> list[JSON]:
        result: list[JSON] = await self.request(
            "GET", f"/api/v1/projects/{project_id}/files", params={"path": path or None}
        )
        return result

    async def read_file(self, project_id: int, path: str) -> JSON:
        result: JSON = await self.request(
            "GET", f"/api/v1/projects/{project_id}/files/content", params={"path": path}
        )
        return result

    async def project_summaries(self) -> list[JSON]:
        result: list[JSON] = await self.request("GET", "/api/v1/dashboard")
        return result

    # -- tasks and workflows -------------------------------------------------------------

    async def list_tasks(self, project_id: int) -> list[JSON]:
        return [t async for t in self.paginate("/api/v1/tasks", {"project_id": project_id})]

    async def find_tasks(
        self, *, project_id: int | None = None, statuses: list[str] | None = None
    ) -> list[JSON]:
        """Tasks the caller may see, of one project or all, optionally of some statuses."""
        params: dict[str, Any] = {}
        if project_id is not None:
            params["project_id"] = project_id
        if statuses:
            params["status"] = statuses
        return [t async for t in self.paginate("/api/v1/tasks", params)]

    async def list_events(self, project_id: int, *, after: int | None = None) -> list[JSON]:
        """Every stored event of a project after ``after``, oldest first."""
        found: list[JSON] = []
        while True:
            params: dict[str, Any] = {"limit": 500}
            if after is not None:
                params["after"] = after
            page: list[JSON] = await self.request(
                "GET", f"/api/v1/projects/{project_id}/events", params=params
            )
            found.extend(page)
            if len(page) < 500:
                return found
            after = int(page[-1]["id"])

    async def create_task(self, project_id: int, task: JSON) -> JSON:
        """A task without running it (title, description, depends_on)."""
        result: JSON = await self.request("POST", f"/api/v1/projects/{project_id}/tasks", json=task)
        return result

    async def create_agent_task(
        self,
        project_id: int,
        instruction: str,
        *,
        title: str | None = None,
        model: str | None = None,
    ) -> JSON:
        """Have the AI agent carry out ``instruction``; the task is queued at once."""
        body = {"instruction": instruction, "title": title, "model": model}
        result: JSON = await self.request(
            "POST",
            f"/api/v1/projects/{project_id}/agent-tasks",
            json={k: v for k, v in body.items() if v is not None},
        )
        return result

    async def update_project(self, project_id: int, changes: JSON) -> JSON:
        result: JSON = await self.request("PATCH", f"/api/v1/projects/{project_id}", json=changes)
        return result

    async def get_task(self, task_id: int) -> JSON:
        result: JSON = await self.request("GET", f"/api/v1/tasks/{task_id}")
        return result

    async def cancel_task(self, task_id: int) -> JSON:
        result: JSON = await self.request("POST", f"/api/v1/tasks/{task_id}/cancel")
        return result

    async def undo_task(self, task_id: int) -> JSON:
        result: JSON = await self.request("POST", f"/api/v1/tasks/{task_id}/undo")
        return result

    async def task_diff(self, task_id: int) -> JSON:
        result: JSON = await self.request("GET", f"/api/v1/tasks/{task_id}/diff")
        return result

    async def decide_approval(
        self, task_id: int, call_id: str, approve: bool, reason: str = ""
    ) -> None:
        """Approve or decline a pending call; the reason reaches the model with a refusal."""
        body: JSON = {"call_id": call_id, "approved": approve}
        if reason:
            body["reason"] = reason
        await self.request("POST", f"/api/v1/tasks/{task_id}/approvals", json=body)

    async def create_sparc_workflow(self, project_id: int, goal: str) -> JSON:
        result: JSON = await self.request(
            "POST",
            f"/api/v1/projects/{project_id}/workflows",
            json={"name": f"sparc: {goal[:80]}", "template": "sparc", "goal": goal},
        )
        return result

    async def get_workflow(self, workflow_id: int) -> JSON:
        result: JSON = await self.request("GET", f"/api/v1/workflows/{workflow_id}")
        return result

    async def run_workflow(self, workflow_id: int) -> JSON:
        result: JSON = await self.request("POST", f"/api/v1/workflows/{workflow_id}/schedule")
        return result

    # -- validation, audit, provider -------------------------------------------------------

    async def validate_project(self, project_id: int, *, run_tests: bool = False) -> JSON:
        """Validate the workspace: static checks, and the project's tests when ``run_tests``."""
        result: JSON = await self.request(
            "POST",
            "/api/v1/validations",
            json={"project_id": project_id, "run_tests": run_tests},
            time_limit=LONG_OPERATION,
        )
        return result

    async def list_validations(self, project_id: int) -> list[JSON]:
        page = await self.request(
            "GET",
            f"/api/v1/projects/{project_id}/validations",
            params={"order": "desc", "limit": 20},
        )
        items: list[JSON] = page["items"] if isinstance(page, dict) else page
        return items

    async def audit_project(self, project_id: int) -> JSON:
        result: JSON = await self.request(
            "POST", f"/api/v1/projects/{project_id}/audits", time_limit=LONG_OPERATION
        )
        return result

    async def audit_log(
        self, *, action: str | None = None, target_type: str | None = None, limit: int = 100
    ) -> list[JSON]:
        """The newest entries of the server's audit log (administrators only)."""
        page: JSON = await self.request(
            "GET",
            "/api/v1/audit",
            params={"action": action, "target_type": target_type, "limit": limit},
        )
        items: list[JSON] = page["items"]
        return items

    async def agent_status(self) -> JSON:
        result: JSON = await self.request("GET", "/api/v1/agent/status")
        return result

    async def provider_settings(self) -> JSON:
        """The provider settings stored on the server; never the key, only its last 4."""
        result: JSON = await self.request("GET", "/api/v1/settings/provider")
        return result

    async def test_provider_connection(self) -> JSON:
        """Ask the server to list the configured provider's models with the stored key."""
        result: JSON = await self.request("POST", "/api/v1/settings/provider/test")
        return result

    async def set_provider_settings(
        self,
        *,
        provider: str | None,
        model: str | None,
        base_url: str | None,
        api_key: str | None = None,
    ) -> JSON:
        """Store provider, model and base URL (None: the server's default); a key if given."""
        body: dict[str, str | None] = {"provider": provider, "model": model, "base_url": base_url}
        if api_key is not None:
            body["api_key"] = api_key
        result: JSON = await self.request("PUT", "/api/v1/settings/provider", json=body)
        return result

    async def clear_provider_api_key(self) -> JSON:
        result: JSON = await self.request("DELETE", "/api/v1/settings/provider/api-key")
        return result

    # -- live events -----------------------------------------------------------------------

    async def stream_events(
        self, project_id: int, *, after: int | None = None, reconnect_delay: float = 1.0
    ) -> AsyncIterator[JSON]:
        """A project's events as Server-Sent Events: missed ones first, then live.

        A dropped connection is re-opened with the last event id, so nothing is lost.
        """
        last = after
        path = f"/api/v1/projects/{project_id}/events"
        while True:
            headers = {**self._headers(), "Accept": "text/event-stream"}
            if last is not None:
                headers["Last-Event-ID"] = str(last)
            try:
                async with self._http.stream(
                    "GET", path, headers=headers, timeout=httpx.Timeout(30.0, read=None)
                ) as response:
                    if response.status_code >= 400:
                        await response.aread()
                        raise _problem(response)
                    async for event in _sse_events(response.aiter_lines()):
                        last = int(event.get("id", last or 0))
                        yield event
            except (httpx.TransportError, httpx.StreamError):
                pass
            await asyncio.sleep(reconnect_delay)


async def _sse_events(lines: AsyncIterator[str]) -> AsyncIterator[JSON]:
    data: list[str] = []
    async for line in lines:
        if line.startswith("data:"):
            data.append(line[5:].lstrip())
        elif not line and data:
            try:
                decoded = json.loads("\n".join(data))
            except ValueError:
                decoded = None
            data = []
            if isinstance(decoded, dict):
                yield decoded


def _problem(response: httpx.Response) -> ApiError:
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        title = str(body.get("title") or response.reason_phrase)
        detail = str(body.get("detail") or "")
        return ApiError(response.status_code, title, detail, body)
    return ApiError(response.status_code, response.reason_phrase, response.text[:200])
