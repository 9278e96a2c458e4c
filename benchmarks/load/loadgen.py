"""Open-loop load generator for the Claude TUI API: a scenario mix at a constant arrival rate.

Requests start on a fixed schedule (rate per second), whether or not earlier ones finished,
so a slow server cannot slow the generator down and hide its own latency (no coordinated
omission): each latency is measured from the request's scheduled start. Percentiles are exact
(every sample is kept). Run by ``run_load.py``; on its own:

    python benchmarks/load/loadgen.py PLAN.json

PLAN.json names the server and the users (with their projects). Steps are read from standard
input, one JSON line each (``{"rate": 100, "seconds": 20, "warmup": 3}``), so that the caller
can choose the next rate from the last result; each step answers one JSON line on stdout.
End of input ends the run.
"""

from __future__ import annotations

import argparse
import array
import asyncio
import collections
import contextlib
import json
import math
import random
import resource
import sys
import time
from dataclasses import dataclass, field
from typing import Any

import aiohttp

#: The mix: relative weights of what clients do (a TUI or web session: log in once, then
#: mostly reads, some writes, live events).
MIX: dict[str, float] = {
    "login": 0.25,
    "projects_list": 12.0,
    "tasks_list": 22.0,
    "tasks_next_page": 12.0,
    "task_get": 10.0,
    "events_read": 15.0,
    "task_create": 10.0,
    "validation": 6.0,
    "ws_connect": 2.0,
}

SNIPPET = (
    "import os\n\n\n"
    "def area(radius: float) -> float:\n"
    "    return 3.14159 * radius * radius\n\n\n"
    "print(area(2.0), os.sep)\n"
)
REQUEST_TIMEOUT = 10.0
TOKEN_REFRESH_SECONDS = 600.0
MAX_IN_FLIGHT = 4000
SLO_P95_MS = 200.0
SLO_ERROR_RATE = 0.001


class OpError(Exception):
    """A request that did not get the answer it should have."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


@dataclass
class User:
    username: str
    password: str
    projects: list[int]
    token: str = ""
    token_at: float = 0.0


@dataclass
class Stats:
    latencies: dict[str, array.array[float]] = field(
        default_factory=lambda: collections.defaultdict(lambda: array.array("d"))
    )
    errors: collections.Counter[str] = field(default_factory=collections.Counter)
    statuses: collections.Counter[str] = field(default_factory=collections.Counter)
    scheduled: int = 0
    ws_events: int = 0


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile of sorted samples."""
    if not sorted_values:
        return 0.0
    rank = max(0, min(len(sorted_values) - 1, math.ceil(q / 100 * len(sorted_values)) - 1))
    return sorted_values[rank]


def summarize(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "count": len(ordered),
        "p50_ms": round(percentile(ordered, 50), 2),
        "p95_ms": round(percentile(ordered, 95), 2),
        "p99_ms": round(percentile(ordered, 99), 2),
        "max_ms": round(ordered[-1], 2) if ordered else 0.0,
    }


class Generator:
    def __init__(self, plan: dict[str, Any]) -> None:
        self.base = plan["url"].rstrip("/")
        self.ws_base = "ws" + self.base[len("http") :]
        self.users = [User(u["username"], u["password"], u["projects"]) for u in plan["users"]]
        self.rng = random.Random(plan.get("seed", 1))
        self.ops = list(MIX)
        self.weights = [MIX[op] for op in self.ops]
        self.cursors: dict[int, collections.deque[str]] = collections.defaultdict(
            lambda: collections.deque(maxlen=50)
        )
        self.task_ids: dict[int, collections.deque[int]] = collections.defaultdict(
            lambda: collections.deque(maxlen=200)
        )
        self.last_event: dict[int, int] = {}
        self.subscribers = int(plan.get("websocket_subscribers", 0))
        self.stats = Stats()
        self.created = 0
        self.session: aiohttp.ClientSession | None = None

    # --- one request of each kind ----------------------------------------------------------

    def _auth(self, user: User) -> dict[str, str]:
        return {"Authorization": f"Bearer {user.token}"}

    async def _json(self, method: str, path: str, user: User | None, **kw: Any) -> Any:
        assert self.session is not None
        headers = self._auth(user) if user else {}
        async with self.session.request(
            method, self.base + path, headers=headers, **kw
        ) as response:
            self.stats.statuses[str(response.status)] += 1
            body = await response.read()
            if response.status >= 400:
                raise OpError(f"http_{response.status}")
            return json.loads(body) if body else None

    async def login(self, user: User) -> None:
        data = {"username": user.username, "password": user.password}
        body = await self._json("POST", "/api/v1/auth/token", None, data=data)
        user.token = body["access_token"]
        user.token_at = time.monotonic()

    async def op_login(self, user: User) -> None:
        # The account whose session is the oldest logs in again, as its client would.
        await self.login(min(self.users, key=lambda u: u.token_at))

    async def refresher(self, stop: asyncio.Event) -> None:
        """Log in again before access tokens (15 minutes by default) run out."""
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), 30)
            for user in self.users:
                if time.monotonic() - user.token_at > TOKEN_REFRESH_SECONDS:
                    await self._relogin(user)

    async def op_projects_list(self, user: User) -> None:
        await self._json("GET", "/api/v1/projects", user, params={"limit": "20"})

    async def op_tasks_list(self, user: User) -> None:
        project = self.rng.choice(user.projects)
        page = await self._json(
            "GET", "/api/v1/tasks", user, params={"project_id": str(project), "limit": "20"}
        )
        if page["next_cursor"]:
            self.cursors[project].append(page["next_cursor"])
        for item in page["items"][:5]:
            self.task_ids[project].append(item["id"])

    async def op_tasks_next_page(self, user: User) -> None:
        project = self.rng.choice(user.projects)
        params = {"project_id": str(project), "limit": "20"}
        if self.cursors[project]:
            params["cursor"] = self.rng.choice(self.cursors[project])
        page = await self._json("GET", "/api/v1/tasks", user, params=params)
        if page["next_cursor"]:
            self.cursors[project].append(page["next_cursor"])

    async def op_task_get(self, user: User) -> None:
        project = self.rng.choice(user.projects)
        if not self.task_ids[project]:
            await self.op_tasks_list(user)
            return
        await self._json("GET", f"/api/v1/tasks/{self.rng.choice(self.task_ids[project])}", user)

    async def op_events_read(self, user: User) -> None:
        project = self.rng.choice(user.projects)
        after = max(0, self.last_event.get(project, 0) - 50)
        events = await self._json(
            "GET",
            f"/api/v1/projects/{project}/events",
            user,
            params={"after": str(after), "limit": "50"},
        )
        if events:
            self.last_event[project] = max(self.last_event.get(project, 0), events[-1]["id"])

    async def op_task_create(self, user: User) -> None:
        project = self.rng.choice(user.projects)
        self.created += 1
        task = await self._json(
            "POST",
            f"/api/v1/projects/{project}/tasks",
            user,
            json={"title": f"load task {self.created}", "description": "Add a docstring."},
        )
        self.task_ids[project].append(task["id"])

    async def op_validation(self, user: User) -> None:
        await self._json(
            "POST",
            "/api/v1/validations",
            user,
            json={"code": SNIPPET, "language": "python", "filename": "area.py"},
        )

    async def op_ws_connect(self, user: User) -> None:
        """Open the live event stream, receive the replay of the latest event, close."""
        assert self.session is not None
        project = self.rng.choice(user.projects)
        after = max(0, self.last_event.get(project, 1) - 1)
        url = f"{self.ws_base}/api/v1/projects/{project}/events"
        async with self.session.ws_connect(
            url, params={"token": user.token, "after": str(after)}, autoping=False
        ) as ws:
            message = await ws.receive(timeout=REQUEST_TIMEOUT)
            if message.type != aiohttp.WSMsgType.TEXT:
                raise OpError(f"ws_{message.type.name.lower()}_{ws.close_code}")
            self.stats.statuses["ws_101"] += 1

    # --- scheduling -----------------------------------------------------------------------

    async def _one(self, op: str, user: User, scheduled: float, stats: Stats) -> None:
        handler = getattr(self, f"op_{op}")
        try:
            async with asyncio.timeout(REQUEST_TIMEOUT):
                await handler(user)
        except OpError as exc:
            stats.errors[f"{op}:{exc.kind}"] += 1
            if exc.kind == "http_401":
                await self._relogin(user)
            return
        except TimeoutError:
            stats.errors[f"{op}:timeout"] += 1
            return
        except (aiohttp.ClientError, OSError, json.JSONDecodeError, KeyError) as exc:
            stats.errors[f"{op}:{type(exc).__name__}"] += 1
            return
        stats.latencies[op].append((time.perf_counter() - scheduled) * 1000)

    async def _relogin(self, user: User) -> None:
        try:
            await self.login(user)
        except (OpError, aiohttp.ClientError, OSError, KeyError):
            return

    async def step(self, rate: float, seconds: float) -> Stats:
        stats = Stats()
        self.stats = stats
        interval = 1.0 / rate
        start = time.perf_counter()
        in_flight: set[asyncio.Task[None]] = set()
        n = 0
        while True:
            scheduled = start + n * interval
            if scheduled - start >= seconds:
                break
            delay = scheduled - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            n += 1
            stats.scheduled += 1
            op = self.rng.choices(self.ops, self.weights)[0]
            if len(in_flight) >= MAX_IN_FLIGHT:
                stats.errors[f"{op}:client_overflow"] += 1
                continue
            task = asyncio.create_task(self._one(op, self.rng.choice(self.users), scheduled, stats))
            in_flight.add(task)
            task.add_done_callback(in_flight.discard)
        if in_flight:
            await asyncio.wait(in_flight, timeout=REQUEST_TIMEOUT + 1)
        return stats

    async def subscriber(self, user: User, project: int, stop: asyncio.Event) -> None:
        """One live WebSocket client: counts the events it receives; reconnects if dropped."""
        assert self.session is not None
        url = f"{self.ws_base}/api/v1/projects/{project}/events"
        while not stop.is_set():
            after = self.last_event.get(project, 0)
            try:
                async with self.session.ws_connect(
                    url, params={"token": user.token, "after": str(after)}, heartbeat=20
                ) as ws:
                    while not stop.is_set():
                        try:
                            message = await ws.receive(timeout=0.5)
                        except TimeoutError:
                            continue
                        if message.type != aiohttp.WSMsgType.TEXT:
                            self.stats.errors["ws_stream:closed"] += 1
                            break
                        event = json.loads(message.data)
                        self.stats.ws_events += 1
                        self.last_event[project] = max(
                            self.last_event.get(project, 0), int(event["id"])
                        )
            except (aiohttp.ClientError, OSError) as exc:
                self.stats.errors[f"ws_stream:{type(exc).__name__}"] += 1
                await asyncio.sleep(0.5)

    async def prime(self) -> None:
        """Log every user in and learn the latest event of each project."""
        for user in self.users:
            await self.login(user)
        for user in self.users:
            for project in user.projects:
                if project in self.last_event:
                    continue
                after = 0
                while True:
                    page = await self._json(
                        "GET",
                        f"/api/v1/projects/{project}/events",
                        user,
                        params={"after": str(after), "limit": "500"},
                    )
                    if not page:
                        break
                    after = page[-1]["id"]
                self.last_event[project] = after

    async def run(self) -> None:
        connector = aiohttp.TCPConnector(limit=512, limit_per_host=512, force_close=False)
        async with aiohttp.ClientSession(connector=connector) as session:
            self.session = session
            await self.prime()
            stop = asyncio.Event()
            pairs = [(u, p) for u in self.users for p in u.projects]
            streams = [
                asyncio.create_task(self.subscriber(*pairs[i % len(pairs)], stop))
                for i in range(self.subscribers)
            ]
            streams.append(asyncio.create_task(self.refresher(stop)))
            print(json.dumps({"ready": True}), flush=True)
            loop = asyncio.get_running_loop()
            while True:
                line = await loop.run_in_executor(None, sys.stdin.readline)
                if not line.strip():
                    break
                spec = json.loads(line)
                if spec.get("warmup"):
                    await self.step(float(spec["rate"]), float(spec["warmup"]))
                started = time.time()
                usage = resource.getrusage(resource.RUSAGE_SELF)
                stats = await self.step(float(spec["rate"]), float(spec["seconds"]))
                ended = time.time()
                after = resource.getrusage(resource.RUSAGE_SELF)
                cpu = (after.ru_utime + after.ru_stime) - (usage.ru_utime + usage.ru_stime)
                print(json.dumps(self.report(spec, stats, started, ended, cpu)), flush=True)
            stop.set()
            await asyncio.gather(*streams, return_exceptions=True)

    def report(
        self, spec: dict[str, Any], stats: Stats, started: float, ended: float, cpu: float
    ) -> dict[str, Any]:
        everything = [v for values in stats.latencies.values() for v in values]
        ok = len(everything)
        failed = sum(stats.errors.values())
        total = ok + failed
        overall = summarize(everything)
        error_rate = failed / total if total else 1.0
        return {
            "label": spec.get("label", ""),
            "rate": spec["rate"],
            "seconds": spec["seconds"],
            "started": started,
            "ended": ended,
            "scheduled": stats.scheduled,
            "completed_ok": ok,
            "errors": failed,
            "error_rate": round(error_rate, 6),
            "throughput_rps": round(ok / (ended - started), 1),
            "latency": overall,
            "by_operation": {op: summarize(list(v)) for op, v in sorted(stats.latencies.items())},
            "error_kinds": dict(stats.errors.most_common()),
            "statuses": dict(stats.statuses.most_common()),
            "ws_events_received": stats.ws_events,
            "generator_cpu_percent": round(100 * cpu / (ended - started), 1),
            "slo_met": bool(ok) and overall["p95_ms"] < SLO_P95_MS and error_rate < SLO_ERROR_RATE,
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("plan", help="JSON file: url, users, websocket_subscribers")
    args = parser.parse_args()
    with open(args.plan, encoding="utf-8") as handle:
        plan = json.load(handle)
    try:
        import uvloop
    except ImportError:
        print("uvloop not installed: using the default event loop", file=sys.stderr)
        asyncio.run(Generator(plan).run())
    else:
        uvloop.run(Generator(plan).run())


if __name__ == "__main__":
    main()
