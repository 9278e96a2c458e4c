"""Throughput and latency of the API's hot read paths under load, on PostgreSQL.

Run: ``.venv/bin/python benchmarks/hot_paths/bench_hot_paths.py [--baseline REV] [--seconds S]``.

Starts a throwaway PostgreSQL cluster, migrates and seeds it (20 projects of 50 tasks, events,
a member with a session token and an API key), then serves it with ``claude-tui serve`` (one
uvicorn worker, production profile, logs at WARNING) and drives each endpoint with concurrent
keep-alive clients for a few seconds. With ``--baseline REV``, the same database is served in
turn by the source tree of git revision REV (checked out in a temporary worktree) and by this
tree, alternating rounds, so the before/after numbers come from the same run on the same data.
``--profile`` records the current tree's server with py-spy during a mixed load and prints the
functions that take the most time. Results go to benchmarks/results/hot_paths.{json,md}.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import json
import os
import platform
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "benchmarks" / "results"
sys.path.insert(0, str(ROOT / "tests"))

from servers import PostgresServer, free_port  # noqa: E402

PROJECTS, TASKS_PER_PROJECT, EVENTS = 20, 50, 500

CHANGES = """## What the profile showed and what changed

Per request, the time went to database round trips far more than to Python: each one is a
socket send and a wake-up of the PostgreSQL backend, which on this shared 2-core machine costs
more than the statement itself. A token-authenticated GET of one task made 11 round trips:

- `pool_pre_ping` on asyncpg is three (BEGIN, the ping, ROLLBACK) on every checkout. The pool
  now pings only a connection that sat idle for 2 s (tests restart PostgreSQL under it:
  tests/integration/performance/test_pool_recovery.py).
- The session's own BEGIN and ROLLBACK: GET and HEAD sessions now run in autocommit on
  PostgreSQL (each statement reads a committed snapshot, as under READ COMMITTED anyway).
- Authentication read the account, then the revocation state; authorization read the
  project, then the caller's role. Each pair is one statement now.

That request now makes 4 round trips. Statement spans of the SQLAlchemy instrumentation were
also created for every statement with no exporter configured (about 1 ms of CPU per
request); they are created only when spans are exported. List endpoints issue a fixed number
of statements whatever the page size, and the statements of the list and get endpoints are
served by indexes (tests/integration/performance/test_query_counts.py; migration 0005)."""


async def seed(database_url: str, secret_key: str) -> dict[str, Any]:
    """Users, projects, tasks and events through the real services; returns credentials."""
    from datetime import timedelta

    from claude_tui.services import api_keys, identity, tokens
    from claude_tui.services.principal import Principal
    from claude_tui.services.tokens import TokenPolicy
    from claude_tui.storage.database import Database
    from claude_tui.storage.models import Project, ProjectMember, Task, TaskEvent, User

    db = Database(database_url)
    operator = Principal(user_id=0, username="bench", is_admin=True, via="local")
    policy = TokenPolicy(
        secret_key=secret_key, access_ttl=timedelta(hours=2), refresh_ttl=timedelta(days=1)
    )
    try:
        async with db.session() as session:
            view = await identity.create_user(
                session,
                operator,
                username="bench-dev",
                email="bench-dev@example.test",
                password=f"Pw-{secrets.token_urlsafe(18)}",
            )
            user = await session.get(User, view.id)
            assert user is not None
            projects = [
                Project(name=f"bench-{i}", workspace_path=f"bench-{i}", created_by=user.id)
                for i in range(PROJECTS)
            ]
            session.add_all(projects)
            await session.flush()
            session.add_all(
                ProjectMember(project_id=p.id, user_id=user.id, role="developer") for p in projects
            )
            tasks = [
                Task(project_id=p.id, title=f"task {n} of {p.name}", description="x" * 200)
                for p in projects
                for n in range(TASKS_PER_PROJECT)
            ]
            session.add_all(tasks)
            await session.flush()
            session.add_all(
                TaskEvent(
                    project_id=projects[0].id,
                    task_id=tasks[n % TASKS_PER_PROJECT].id,
                    kind="task.progress",
                    payload={"message": f"step {n}", "progress": n % 100},
                )
                for n in range(EVENTS)
            )
            await session.commit()
            pair = await tokens.start_session(session, policy, user)
            principal = Principal(user_id=user.id, username=user.username, via="token")
            key = await api_keys.create_key(
                session, principal, name="bench", scopes=["projects:read", "tasks:read"]
            )
            return {
                "token": pair.access_token,
                "api_key": key.secret,
                "project_id": projects[0].id,
                "task_id": tasks[0].id,
            }
    finally:
        await db.dispose()


ENDPOINTS = {
    "health (framework floor)": ("/health", "token"),
    "list projects": ("/api/v1/projects?limit=20", "token"),
    "list tasks (page of 50)": ("/api/v1/tasks?project_id={project_id}&limit=50", "token"),
    "get task": ("/api/v1/tasks/{task_id}", "token"),
    "task events (100)": ("/api/v1/projects/{project_id}/events?limit=100", "token"),
    "dashboard": ("/api/v1/dashboard", "token"),
    "list projects, API key": ("/api/v1/projects?limit=20", "api_key"),
}


async def drive(
    base: str, path: str, headers: dict[str, str], seconds: float, clients: int
) -> dict[str, float]:
    """``clients`` keep-alive clients requesting ``path`` back to back for ``seconds``."""
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits) as client:
        deadline = time.perf_counter() + seconds

        async def one() -> None:
            nonlocal errors
            while time.perf_counter() < deadline:
                start = time.perf_counter()
                response = await client.get(path)
                latencies.append(time.perf_counter() - start)
                if response.status_code != 200:
                    errors += 1

        began = time.perf_counter()
        await asyncio.gather(*(one() for _ in range(clients)))
        elapsed = time.perf_counter() - began
    latencies.sort()
    return {
        "rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 2),
        "p95_ms": round(latencies[int(len(latencies) * 0.95)] * 1000, 2),
        "errors": errors,
    }


@contextlib.contextmanager
def server(src: Path, env: dict[str, str]) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "claude_tui", "serve", "--port", str(port)],
        env={**env, "PYTHONPATH": str(src)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(base + "/health", timeout=1).status_code == 200:
                    break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server from {src} did not start")
            time.sleep(0.05)
        yield base, proc
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def measure(
    base: str, creds: dict[str, Any], seconds: float, clients: int
) -> dict[str, dict[str, float]]:
    out = {}
    for name, (template, credential) in ENDPOINTS.items():
        headers = (
            {"Authorization": f"Bearer {creds['token']}"}
            if credential == "token"
            else {"X-API-Key": creds["api_key"]}
        )
        path = template.format(**creds)
        asyncio.run(drive(base, path, headers, 0.5, clients))  # warm-up
        out[name] = asyncio.run(drive(base, path, headers, seconds, clients))
    return out


def profile(base: str, proc: subprocess.Popen[bytes], creds: dict[str, Any], seconds: float) -> str:
    """Top functions (own time and with callees) of the server during a mixed load."""
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "stacks.txt"
        recorder = subprocess.Popen(
            [
                spy,
                "record",
                "--pid",
                str(proc.pid),
                "--format",
                "raw",
                "--rate",
                "200",
                "--duration",
                str(int(seconds)),
                "--output",
                str(raw),
                "--nonblocking",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        paths = [t.format(**creds) for t, c in ENDPOINTS.values() if c == "token"][1:]
        headers = {"Authorization": f"Bearer {creds['token']}"}

        async def mixed() -> None:
            await asyncio.gather(
                *(drive(base, p, headers, seconds - 1, 4) for p in paths),
            )

        asyncio.run(mixed())
        recorder.wait(timeout=60)
        own: collections.Counter[str] = collections.Counter()
        total: collections.Counter[str] = collections.Counter()
        samples = 0
        for line in raw.read_text().splitlines():
            stack, _, count = line.rpartition(" ")
            if not count.isdigit():  # a frame name with a line break in it: skip the piece
                continue
            frames = [
                f.split(" (")[0] + " " + f.split("/")[-1].rstrip(")") for f in stack.split(";")
            ]
            n = int(count)
            samples += n
            own[frames[-1]] += n
            for frame in set(frames):
                total[frame] += n
    lines = [f"{samples} samples; own time:"]
    lines += [f"  {100 * n / samples:5.1f}%  {f}" for f, n in own.most_common(25)]
    lines += ["with callees:"]
    lines += [f"  {100 * n / samples:5.1f}%  {f}" for f, n in total.most_common(60)]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--baseline", help="git revision to compare against")
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()

    from claude_tui.storage import migrate

    pg = PostgresServer().start()
    worktree = Path(tempfile.mkdtemp(prefix="ctui-baseline-")) / "tree"
    try:
        url = pg.url(pg.create_database())
        migrate.upgrade(url)
        secret = secrets.token_urlsafe(48)
        creds = asyncio.run(seed(url, secret))
        data = Path(tempfile.mkdtemp(prefix="ctui-bench-"))
        env = {
            **os.environ,
            "CLAUDE_TUI_DATABASE_URL": url,
            "CLAUDE_TUI_SECRET_KEY": secret,
            "CLAUDE_TUI_DATA_DIR": str(data),
            "CLAUDE_TUI_ENV": "production",
            "CLAUDE_TUI_LOG_LEVEL": "WARNING",
            "CLAUDE_TUI_MAX_CONCURRENT_REQUESTS": "0",
        }
        trees = {"current": ROOT / "src"}
        if args.baseline:
            subprocess.run(
                [
                    "git",
                    "-C",
                    str(ROOT),
                    "worktree",
                    "add",
                    "--detach",
                    str(worktree),
                    args.baseline,
                ],
                check=True,
                capture_output=True,
            )
            trees = {"baseline": worktree / "src", **trees}
        runs: dict[str, list[dict[str, dict[str, float]]]] = {name: [] for name in trees}
        for _ in range(args.rounds):  # alternate, so slow phases of the machine hit both alike
            for name, src in trees.items():
                with server(src, env) as (base, _proc):
                    runs[name].append(measure(base, creds, args.seconds, args.clients))
        report = None
        if args.profile:
            with server(trees["current"], env) as (base, proc):
                try:
                    report = profile(base, proc, creds, 12)
                except (OSError, subprocess.SubprocessError, ValueError) as exc:
                    report = f"profile failed: {exc}"
            print(report)
    finally:
        if args.baseline:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(worktree)],
                check=False,
                capture_output=True,
            )
        pg.destroy()

    def best(name: str, endpoint: str) -> dict[str, float]:
        return max((r[endpoint] for r in runs[name]), key=lambda m: m["rps"])

    result: dict[str, Any] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "command": "python benchmarks/hot_paths/bench_hot_paths.py " + " ".join(sys.argv[1:]),
        "setup": f"PostgreSQL, one uvicorn worker, {args.clients} keep-alive clients, "
        f"{args.seconds:g} s per endpoint, best of {args.rounds} alternating rounds; "
        f"{PROJECTS} projects x {TASKS_PER_PROJECT} tasks, {EVENTS} events",
        "baseline": args.baseline,
        "results": {
            name: {endpoint: best(name, endpoint) for endpoint in ENDPOINTS} for name in trees
        },
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    names = list(trees)
    head = " | ".join(f"{n} req/s | {n} p50 ms | {n} p95 ms" for n in names)
    rows = [f"| endpoint | {head} |", "|---" * (1 + 3 * len(names)) + "|"]
    for endpoint in ENDPOINTS:
        cells = " | ".join(
            f"{best(n, endpoint)['rps']} | {best(n, endpoint)['p50_ms']} | "
            f"{best(n, endpoint)['p95_ms']}"
            for n in names
        )
        rows.append(f"| {endpoint} | {cells} |")
    if report is not None:
        result["profile_current"] = report.splitlines()
    (RESULTS / "hot_paths.json").write_text(json.dumps(result, indent=2) + "\n")
    md = [
        "# Hot paths under load",
        "",
        f"Machine: {result['machine']}. Command: `{result['command']}`.",
        "",
        f"Setup: {result['setup']}. "
        + (
            f"`baseline` is git revision {args.baseline}, `current` this tree, served in turn "
            "from the same database in the same run."
            if args.baseline
            else ""
        ),
        "",
        *rows,
        "",
        CHANGES,
    ]
    if report is not None:
        md += [
            "",
            "## Profile of the current tree (py-spy, mixed load)",
            "",
            "```",
            "\n".join(line.rstrip() for line in report.splitlines()),
            "```",
        ]
    (RESULTS / "hot_paths.md").write_text("\n".join(md) + "\n")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
