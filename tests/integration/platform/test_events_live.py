"""Live events over real sockets: SSE and WebSocket, replay after reconnect, Redis fan-out."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from claude_tui.api import create_app
from claude_tui.settings import Settings
from servers import RedisServer, free_port

TIMEOUT = 15.0


@asynccontextmanager
async def serving(app: FastAPI) -> AsyncIterator[str]:
    """Serve an app whose lifespan already ran on a free loopback port; yield host:port."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="off", log_level="warning")
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.02)
    try:
        yield f"127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, TIMEOUT)


async def read_sse(lines: AsyncIterator[str], count: int) -> list[dict[str, Any]]:
    """The next ``count`` events of an SSE stream's lines, as {"id", "event", "data"}."""
    found: list[dict[str, Any]] = []
    current: dict[str, Any] = {}
    async with asyncio.timeout(TIMEOUT):
        async for line in lines:
            if not line:
                if "data" in current:
                    found.append(current)
                    if len(found) == count:
                        return found
                current = {}
                continue
            field, _, value = line.partition(":")
            value = value.removeprefix(" ")
            if field == "data":
                current["data"] = json.loads(value)
            elif field in ("id", "event"):
                current[field] = value
    return found


async def test_sse_streams_live_events_and_replays_what_was_missed(
    app: FastAPI, client: httpx.AsyncClient, team: Any, api: Any
) -> None:
    first = await api.new_task(team.developer, team.project_id, "before")
    headers = {**team.viewer.headers, "Accept": "text/event-stream"}
    async with serving(app) as host, httpx.AsyncClient(base_url=f"http://{host}") as live:
        url = f"/api/v1/projects/{team.project_id}/events"
        async with live.stream("GET", url, headers=headers) as stream:
            assert stream.status_code == 200
            assert stream.headers["content-type"].startswith("text/event-stream")
            lines = stream.aiter_lines()
            replayed = await read_sse(lines, 1)
            assert replayed[0]["event"] == "task.created"
            assert replayed[0]["data"]["task_id"] == first["id"]
            second = await api.new_task(team.developer, team.project_id, "while watching")
            (live_event,) = await read_sse(lines, 1)
            assert live_event["data"]["task_id"] == second["id"]
            last_seen = live_event["id"]
        missed = [await api.new_task(team.developer, team.project_id, f"gone {i}") for i in (1, 2)]
        await client.post(
            f"/api/v1/tasks/{missed[0]['id']}/status",
            json={"status": "queued"},
            headers=team.developer.headers,
        )
        resumed_headers = {**headers, "Last-Event-ID": last_seen}
        async with live.stream("GET", url, headers=resumed_headers) as stream:
            caught_up = await read_sse(stream.aiter_lines(), 3)
        assert [(e["event"], e["data"]["task_id"]) for e in caught_up] == [
            ("task.created", missed[0]["id"]),
            ("task.created", missed[1]["id"]),
            ("task.status", missed[0]["id"]),
        ]
        assert caught_up[2]["data"]["payload"] == {
            "from": "pending",
            "to": "queued",
            "by": team.developer.id,
        }
        assert int(caught_up[0]["id"]) > int(last_seen)
        outsider = await live.get(
            url, headers={**team.outsider.headers, "Accept": "text/event-stream"}
        )
        assert outsider.status_code == 404
        anonymous = await live.get(url, headers={"Accept": "text/event-stream"})
        assert anonymous.status_code == 401


async def test_events_as_a_json_page(client: httpx.AsyncClient, team: Any, api: Any) -> None:
    made = [await api.new_task(team.developer, team.project_id, f"t{i}") for i in range(3)]
    url = f"/api/v1/projects/{team.project_id}/events"
    everything = (await client.get(url, headers=team.viewer.headers)).json()
    assert [e["task_id"] for e in everything] == [t["id"] for t in made]
    later = await client.get(
        url, params={"after": everything[0]["id"], "limit": 1}, headers=team.viewer.headers
    )
    assert [e["task_id"] for e in later.json()] == [made[1]["id"]]


async def test_websocket_streams_and_resumes_after_the_last_event_id(
    app: FastAPI, team: Any, api: Any
) -> None:
    first = await api.new_task(team.developer, team.project_id, "before")
    async with serving(app) as host:
        base = f"ws://{host}/api/v1/projects/{team.project_id}/events"
        token = team.viewer.access_token
        async with connect(f"{base}?token={token}") as ws:
            replayed = json.loads(await asyncio.wait_for(ws.recv(), TIMEOUT))
            assert (replayed["kind"], replayed["task_id"]) == ("task.created", first["id"])
            second = await api.new_task(team.developer, team.project_id, "live")
            live_event = json.loads(await asyncio.wait_for(ws.recv(), TIMEOUT))
            assert live_event["task_id"] == second["id"]
        missed = await api.new_task(team.developer, team.project_id, "missed")
        async with connect(f"{base}?token={token}&after={live_event['id']}") as ws:
            caught_up = json.loads(await asyncio.wait_for(ws.recv(), TIMEOUT))
            assert caught_up["task_id"] == missed["id"]
            assert caught_up["id"] > live_event["id"]

        async def close_code(url: str) -> tuple[int, str]:
            async with connect(url) as ws:
                with pytest.raises(ConnectionClosed) as closed:
                    await asyncio.wait_for(ws.recv(), TIMEOUT)
            assert closed.value.rcvd is not None
            return closed.value.rcvd.code, closed.value.rcvd.reason

        assert (await close_code(f"{base}?token=not-a-token"))[0] == 4401
        assert (await close_code(base))[0] == 4401
        code, reason = await close_code(f"{base}?token={team.outsider.access_token}")
        assert (code, reason) == (4404, f"Project {team.project_id} was not found.")


@pytest.mark.redis
async def test_events_cross_processes_through_redis_pub_sub(
    migrated_settings: Settings,
    redis_server: RedisServer,
    quick_user: Callable[..., Awaitable[Any]],
    api: Any,
) -> None:
    """A subscriber on one API instance sees events published through another."""
    settings = migrated_settings.model_copy(update={"redis_url": redis_server.url})
    owner = await quick_user("owner")
    project = await api.new_project(owner, "shared")
    publisher_app = create_app(settings)
    subscriber_app = create_app(settings)
    async with (
        publisher_app.router.lifespan_context(publisher_app),
        subscriber_app.router.lifespan_context(subscriber_app),
        serving(subscriber_app) as host,
    ):
        transport = httpx.ASGITransport(app=publisher_app)
        async with httpx.AsyncClient(transport=transport, base_url="http://p") as publisher:
            url = f"ws://{host}/api/v1/projects/{project['id']}/events?token={owner.access_token}"
            async with connect(url) as ws:
                # The subscription is live once the (empty) replay is done; give it a moment.
                await asyncio.sleep(0.3)
                created = await publisher.post(
                    f"/api/v1/projects/{project['id']}/tasks",
                    json={"title": "from the other instance"},
                    headers=owner.headers,
                )
                assert created.status_code == 201, created.text
                event = json.loads(await asyncio.wait_for(ws.recv(), TIMEOUT))
                assert (event["kind"], event["task_id"]) == ("task.created", created.json()["id"])
