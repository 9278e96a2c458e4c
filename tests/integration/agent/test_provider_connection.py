"""Settings' "test connection": the server lists the configured provider's models with the
stored key and says how many it found, or the provider's own error, never the key."""

from __future__ import annotations

import secrets
import socket
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

from model_server import ModelServer

URL = "/api/v1/settings/provider"
TEST_URL = f"{URL}/test"


@pytest.fixture(autouse=True)
def no_environment_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the key stored through the API may reach the model server."""
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)


def new_key() -> str:
    return f"sk-test-{secrets.token_urlsafe(24)}"


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def store(client: httpx.AsyncClient, headers: dict[str, str], **settings: str | None) -> None:
    response = await client.put(URL, json=settings, headers=headers)
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("provider", ["anthropic", "openai"])
async def test_a_reachable_provider_reports_its_models(
    client: httpx.AsyncClient, admin_headers: dict[str, str], provider: str
) -> None:
    key = new_key()
    with ModelServer(models=["m-small", "m-large", "m-huge"], api_key=key) as server:
        base_url = server.base_url if provider == "anthropic" else server.openai_base_url
        await store(
            client,
            admin_headers,
            provider=provider,
            model="m-small",
            base_url=base_url,
            api_key=key,
        )
        response = await client.post(TEST_URL, headers=admin_headers)
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    assert response.json() == {
        "ok": True,
        "provider": provider,
        "models": 3,
        "detail": "connected: 3 models",
    }
    assert key not in response.text


async def test_a_wrong_key_shows_the_providers_error_without_the_key(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    with ModelServer(api_key=new_key()) as server:
        wrong = new_key()
        await store(
            client, admin_headers, provider="anthropic", base_url=server.base_url, api_key=wrong
        )
        response = await client.post(TEST_URL, headers=admin_headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["ok"] is False
    assert body["detail"] == "HTTP 401: invalid x-api-key"
    assert wrong not in response.text


async def test_an_unreachable_server_says_where_it_tried(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    base_url = f"http://127.0.0.1:{closed_port()}/v1"
    await store(client, admin_headers, provider="openai", model="m", base_url=base_url)
    response = await client.post(TEST_URL, headers=admin_headers)
    body = response.json()
    assert body["ok"] is False
    assert body["detail"].startswith(f"could not connect to {base_url}: ")


async def test_no_provider_is_said_not_tried(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    response = await client.post(TEST_URL, headers=admin_headers)
    assert response.status_code == 200, response.text
    assert response.json()["ok"] is False
    assert "no AI model provider is configured" in response.json()["detail"]


async def test_only_administrators_may_try_it(
    client: httpx.AsyncClient, make_user: Callable[..., Awaitable[Any]]
) -> None:
    user = await make_user()
    denied = await client.post(TEST_URL, headers=user.headers)
    assert denied.status_code == 403
    assert denied.headers["content-type"].startswith("application/problem+json")
    assert (await client.post(TEST_URL)).status_code == 401
