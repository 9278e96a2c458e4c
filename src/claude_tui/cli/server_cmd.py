"""``serve``, ``version`` and ``health-check``."""

from __future__ import annotations

import json
import os
import tempfile
from typing import Annotated

import typer

from claude_tui.cli.common import CliError, load_settings, one_line_errors
from claude_tui.profile import Profile

EnvOption = Annotated[
    Profile | None,
    typer.Option("--env", help="Settings profile (overrides CLAUDE_TUI_ENV).", show_default=False),
]


def serve(
    host: Annotated[str | None, typer.Option(help="Address to bind.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to bind.")] = None,
    reload: Annotated[bool, typer.Option(help="Restart on source changes.")] = False,
    workers: Annotated[int | None, typer.Option(help="Worker processes.")] = None,
    env: EnvOption = None,
) -> None:
    """Serve the HTTP API (docs at /docs)."""
    import uvicorn

    from claude_tui.observability.logging import configure_logging

    settings = load_settings(env)
    settings.resolve_secret_key()  # fail here, with one line, before uvicorn starts
    configure_logging(settings.log_level, settings.log_format, settings.log_file)
    worker_count = workers or settings.workers
    if worker_count > 1 and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="claude-tui-metrics-")
    uvicorn.run(
        "claude_tui.api.app:create_app",
        factory=True,
        host=host or settings.host,
        port=port if port is not None else settings.port,
        reload=reload,
        workers=None if reload else worker_count,
        log_config=None,
        # Forwarded headers only from the configured proxies: uvicorn's own default
        # believes any loopback peer, and its FORWARDED_ALLOW_IPS must not widen that.
        proxy_headers=bool(settings.trusted_proxies),
        forwarded_allow_ips=settings.trusted_proxies,
        server_header=False,
        timeout_graceful_shutdown=20,
    )


def version() -> None:
    """Print the version of this installation."""
    from claude_tui import __version__

    typer.echo(__version__)


def health_check(
    url: Annotated[
        str | None, typer.Option(help="Base URL of the server (default: the configured one).")
    ] = None,
    timeout: Annotated[float, typer.Option(help="Seconds to wait for an answer.")] = 5.0,
) -> None:
    """Exit 0 when the server's /ready answers 200, else 1 with the reason."""
    import httpx

    if url is None:
        settings = load_settings()
        host = "127.0.0.1" if settings.host in ("0.0.0.0", "::") else settings.host  # noqa: S104
        url = f"http://{host}:{settings.port}"
    target = url.rstrip("/") + "/ready"
    try:
        response = httpx.get(target, timeout=timeout)
    except httpx.HTTPError as exc:
        raise CliError(f"not ready: {target} did not answer ({exc})", exit_code=1) from exc
    if response.status_code == 200:
        typer.echo(f"ready: {target}")
        return
    reason = f"HTTP {response.status_code}"
    try:
        body = response.json()
        reason = body.get("detail") or json.dumps(body)
    except ValueError:
        pass
    raise CliError(f"not ready: {reason}", exit_code=1)


def register(app: typer.Typer) -> None:
    app.command()(one_line_errors(serve))
    app.command()(version)
    app.command("health-check")(one_line_errors(health_check))
