"""Load test of the API: saturation per configuration, overload and recovery, soak.

Run every configuration (writes benchmarks/results/load.json and load.md):

    .venv/bin/python benchmarks/load/run_load.py

Short version (``make load-test``, about a minute, writes reports/load-quick.*):

    .venv/bin/python benchmarks/load/run_load.py --quick

For each configuration the runner makes a fresh database, seeds accounts, projects and tasks
through the API, starts ``claude-tui serve`` as in production, and drives it with
``loadgen.py`` (open loop, constant arrival rate) pinned to one CPU. It raises the rate step by
step until p95 < 200 ms or errors < 0.1 % fails, narrows the limit down, then checks overload
(twice the saturation rate: the server must shed with 503, not queue) and recovery (half the
rate: no errors again). ``--soak-minutes`` holds 80 % of the saturation rate of one
configuration and samples memory and errors every minute.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psutil

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))

from servers import PostgresServer, RedisServer, ServiceUnavailable, free_port  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
LOADGEN = Path(__file__).with_name("loadgen.py")
BIN = Path(sys.executable).parent
PASSWORD = "Load-test-9-passphrase"
SLO_P95_MS = 200.0
SLO_ERROR_RATE = 0.001
EXCEPTION_LINE = re.compile(r"^[\w.]+(?:Error|Exception): .*")

CONFIGURATIONS = {
    "postgres-1-worker": {"database": "postgres", "workers": 1},
    "postgres-2-workers": {"database": "postgres", "workers": 2},
    "sqlite-embedded": {"database": "sqlite", "workers": 1},
}


@dataclass
class Seed:
    users: int = 40
    projects: int = 10
    tasks_per_project: int = 200


def _cpu_pressure_seconds() -> float:
    """Seconds in which some runnable task waited for a CPU (Linux PSI), 0 where unknown."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        first = Path("/proc/pressure/cpu").read_text().splitlines()[0]
        return int(first.rsplit("total=", 1)[1]) / 1e6
    return 0.0


@dataclass
class Sampler:
    """Samples CPU and memory of the server's process tree (and of the databases) each second."""

    server_pid: int
    other_pids: list[int]
    samples: list[dict[str, float]] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)

    @staticmethod
    def _tree(pid: int) -> list[psutil.Process]:
        try:
            root = psutil.Process(pid)
            return [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    @classmethod
    def _usage(cls, pids: list[int]) -> tuple[float, float]:
        cpu = rss = 0.0
        for pid in pids:
            for proc in cls._tree(pid):
                with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
                    times = proc.cpu_times()
                    cpu += times.user + times.system
                    rss += proc.memory_info().rss
        return cpu, rss

    def sample(self) -> dict[str, float]:
        server_cpu, server_rss = self._usage([self.server_pid])
        db_cpu, _ = self._usage(self.other_pids)
        system = psutil.cpu_times()
        return {
            "cpu_pressure_s": _cpu_pressure_seconds(),
            "t": time.time(),
            "server_cpu_s": server_cpu,
            "server_rss_mb": server_rss / 2**20,
            "db_cpu_s": db_cpu,
            "system_busy_s": system.user
            + system.system
            + system.nice
            + system.irq
            + system.softirq,
        }

    def run(self) -> None:
        while not self._stop.is_set():
            self.samples.append(self.sample())
            self._stop.wait(1.0)

    def start(self) -> None:
        threading.Thread(target=self.run, daemon=True).start()

    def stop(self) -> None:
        self._stop.set()

    def window(self, start: float, end: float) -> dict[str, float]:
        inside = [s for s in self.samples if start <= s["t"] <= end]
        if len(inside) < 2:
            return {}
        first, last = inside[0], inside[-1]
        wall = last["t"] - first["t"]
        rss = [s["server_rss_mb"] for s in inside]
        return {
            "server_cpu_percent": round(
                100 * (last["server_cpu_s"] - first["server_cpu_s"]) / wall, 1
            ),
            "server_rss_mb_mean": round(sum(rss) / len(rss), 1),
            "server_rss_mb_max": round(max(rss), 1),
            "database_cpu_percent": round(100 * (last["db_cpu_s"] - first["db_cpu_s"]) / wall, 1),
            "cpu_pressure_percent": round(
                100 * (last["cpu_pressure_s"] - first["cpu_pressure_s"]) / wall, 1
            ),
            "machine_busy_percent": round(
                100 * (last["system_busy_s"] - first["system_busy_s"]) / wall, 1
            ),
        }


def _run(args: list[str], env: dict[str, str], stdin: str | None = None) -> None:
    result = subprocess.run(
        args, env=env, input=stdin, capture_output=True, text=True, timeout=300, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(args[:3])} failed: {result.stderr.strip()[-500:]}")


class Target:
    """One configuration: its database, its server process, its seed data."""

    def __init__(self, name: str, spec: dict[str, Any], work: Path, infra: Infra) -> None:
        self.name = name
        self.workers = int(spec["workers"])
        self.database = spec["database"]
        self.work = work / name
        self.work.mkdir(parents=True)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("CLAUDE_TUI_")},
            "CLAUDE_TUI_DATA_DIR": str(self.work / "data"),
            "CLAUDE_TUI_SECRET_KEY": secrets.token_urlsafe(48),
            "CLAUDE_TUI_LOG_LEVEL": "INFO",
            # One generator address stands for many clients; each of them would have its own
            # login budget.
            "CLAUDE_TUI_LOGIN_RATE_PER_ADDRESS": "1000000/minute",
            "CLAUDE_TUI_LOGIN_RATE_PER_ACCOUNT": "1000/minute",
        }
        self.db_pids: list[int] = []
        if self.database == "postgres":
            assert infra.postgres is not None
            assert infra.redis is not None
            self.env["CLAUDE_TUI_ENV"] = "production"
            self.env["CLAUDE_TUI_DATABASE_URL"] = infra.postgres.url(
                infra.postgres.create_database()
            )
            self.env["CLAUDE_TUI_REDIS_URL"] = infra.redis.url
            self.db_pids = infra.pids()
        self.process: subprocess.Popen[bytes] | None = None
        self.users: list[dict[str, Any]] = []
        self.seed_retries = 0
        self.settings_shown = {
            k: v for k, v in self.env.items() if k.startswith("CLAUDE_TUI_") and "KEY" not in k
        }

    def start(self) -> None:
        cli = str(BIN / "claude-tui")
        _run([cli, "db", "upgrade"], self.env)
        _run(
            [
                cli,
                "users",
                "create-admin",
                "--username",
                "loadadmin",
                "--email",
                "loadadmin@example.test",
                "--password-stdin",
            ],
            self.env,
            stdin=PASSWORD + "\n",
        )
        log = (self.work / "server.log").open("wb")
        self.process = subprocess.Popen(
            [
                cli,
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--workers",
                str(self.workers),
            ],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 90
        while True:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.url}/ready", timeout=2).status_code == 200:
                    return
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"{self.name}: the server did not become ready; see {log.name}")
            time.sleep(0.2)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    async def seed(self, seed: Seed) -> None:
        """Accounts, projects with members, and tasks (with their events), through the API."""
        async with httpx.AsyncClient(base_url=self.url, timeout=60) as client:
            token = await client.post(
                "/api/v1/auth/token", data={"username": "loadadmin", "password": PASSWORD}
            )
            token.raise_for_status()
            client.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
            projects = []
            for p in range(seed.projects):
                made = await client.post(
                    "/api/v1/projects", json={"name": f"load-{p}", "workspace_path": f"load-{p}"}
                )
                made.raise_for_status()
                projects.append(made.json()["id"])
            gate = asyncio.Semaphore(4)

            async def call(method: str, path: str, body: dict[str, Any]) -> None:
                # Seeding is set-up, not measurement: a 5xx (SQLite's "database is locked"
                # under concurrent writers) is counted and retried.
                async with gate:
                    for attempt in range(6):
                        answer = await client.request(method, path, json=body)
                        if answer.status_code < 500:
                            break
                        self.seed_retries += 1
                        await asyncio.sleep(0.2 * 2**attempt)
                    if answer.status_code >= 400:
                        raise SystemExit(f"seeding {path}: {answer.status_code} {answer.text}")

            for u in range(seed.users):
                name = f"loaduser{u}"
                await call(
                    "POST",
                    "/api/v1/users",
                    {"username": name, "email": f"{name}@example.test", "password": PASSWORD},
                )
                mine = [projects[u % seed.projects], projects[(u * 3 + 1) % seed.projects]]
                mine = sorted(set(mine))
                for project in mine:
                    await call(
                        "POST",
                        f"/api/v1/projects/{project}/members",
                        {"username": name, "role": "developer"},
                    )
                self.users.append({"username": name, "password": PASSWORD, "projects": mine})
            await asyncio.gather(
                *(
                    call(
                        "POST",
                        f"/api/v1/projects/{project}/tasks",
                        {"title": f"seed task {t}", "description": "Refactor the parser."},
                    )
                    for project in projects
                    for t in range(seed.tasks_per_project)
                )
            )


class Infra:
    def __init__(self) -> None:
        self.postgres: PostgresServer | None = None
        self.redis: RedisServer | None = None

    def start(self) -> None:
        self.postgres = PostgresServer().start()
        self.redis = RedisServer().start()

    def pids(self) -> list[int]:
        found = []
        if self.postgres is not None:
            pid_file = self.postgres.data / "postmaster.pid"
            found.append(int(pid_file.read_text().split()[0]))
        if self.redis is not None and self.redis.process is not None:
            found.append(self.redis.process.pid)
        return found

    def stop(self) -> None:
        for server in (self.redis, self.postgres):
            if server is not None:
                server.destroy()


class LoadGen:
    """The generator process, pinned to one CPU, driven one step at a time."""

    def __init__(self, target: Target, work: Path, subscribers: int, cpu: int | None) -> None:
        plan = work / f"{target.name}-plan.json"
        plan.write_text(
            json.dumps(
                {"url": target.url, "users": target.users, "websocket_subscribers": subscribers}
            )
        )
        prefix = ["taskset", "-c", str(cpu)] if cpu is not None and shutil.which("taskset") else []
        self.pinned = bool(prefix)
        self.process = subprocess.Popen(
            [*prefix, sys.executable, str(LOADGEN), str(plan)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self._read()  # {"ready": true}: logged in and primed

    def _read(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise SystemExit("the load generator stopped; see its messages above")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def step(self, rate: float, seconds: float, warmup: float, label: str) -> dict[str, Any]:
        assert self.process.stdin is not None
        spec = {"rate": round(rate, 1), "seconds": seconds, "warmup": warmup, "label": label}
        self.process.stdin.write(json.dumps(spec) + "\n")
        self.process.stdin.flush()
        return self._read()

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _passes(step: dict[str, Any]) -> bool:
    return bool(step["slo_met"])


def _log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _describe(step: dict[str, Any]) -> str:
    lat = step["latency"]
    return (
        f"{step['label']:>9} rate {step['rate']:>7}/s -> {step['throughput_rps']:>7}/s ok, "
        f"p50 {lat['p50_ms']} p95 {lat['p95_ms']} p99 {lat['p99_ms']} ms, "
        f"errors {step['error_rate']:.4%}, server CPU {step.get('server_cpu_percent', '?')}%, "
        f"RSS {step.get('server_rss_mb_max', '?')} MB, gen CPU {step['generator_cpu_percent']}%"
    )


@dataclass
class Plan:
    start_rate: float
    factor: float
    max_rate: float
    step_seconds: float
    warmup: float
    refine: int
    overload_seconds: float
    subscribers: int
    confirm: bool = False


def measure(target: Target, gen: LoadGen, sampler: Sampler, plan: Plan) -> dict[str, Any]:
    steps: list[dict[str, Any]] = []

    def run(rate: float, label: str, seconds: float | None = None) -> dict[str, Any]:
        step = gen.step(rate, seconds or plan.step_seconds, plan.warmup, label)
        step.update(sampler.window(step["started"], step["ended"]))
        steps.append(step)
        _log(f"{target.name}: {_describe(step)}")
        return step

    best: dict[str, Any] | None = None
    failed_rate: float | None = None
    rate = plan.start_rate
    while rate <= plan.max_rate:
        step = run(rate, "ladder")
        if not _passes(step) and plan.confirm:
            # A rate fails only when it fails twice: on a shared machine one step can be
            # disturbed by something else.
            step = run(rate, "confirm")
        if not _passes(step):
            failed_rate = rate
            break
        best = step
        rate *= plan.factor
    low = best["rate"] if best else 0.0
    if failed_rate is not None:
        high = failed_rate
        for _ in range(plan.refine):
            mid = round((low + high) / 2, 1)
            if high - low < max(5.0, low * 0.05):
                break
            step = run(mid, "refine")
            if not _passes(step) and plan.confirm:
                step = run(mid, "confirm")
            if _passes(step):
                low, best = mid, step
            else:
                high = mid
    saturation = best["rate"] if best else 0.0
    result: dict[str, Any] = {
        "saturation_rate": saturation,
        "at_saturation": best,
        "steps": steps,
    }
    if saturation and plan.overload_seconds:
        over = run(saturation * 2, "overload", plan.overload_seconds)
        back = run(saturation * 0.5, "recovery", plan.overload_seconds)
        shed = sum(v for k, v in over["error_kinds"].items() if k.endswith(":http_503"))
        result["overload"] = {
            "rate": over["rate"],
            "shed_503": shed,
            "error_rate": over["error_rate"],
            "p95_ms_of_served": over["latency"]["p95_ms"],
            "server_rss_mb_max": over.get("server_rss_mb_max"),
            "recovery_rate": back["rate"],
            "recovery_error_rate": back["error_rate"],
            "recovery_p95_ms": back["latency"]["p95_ms"],
            "recovered": bool(back["slo_met"]),
        }
    return result


def soak(
    target: Target, gen: LoadGen, sampler: Sampler, rate: float, minutes: int
) -> dict[str, Any]:
    minutes_out = []
    for minute in range(minutes):
        step = gen.step(rate, 60, 0, f"soak-{minute + 1}")
        step.update(sampler.window(step["started"], step["ended"]))
        _log(f"{target.name}: {_describe(step)}")
        minutes_out.append(
            {
                "minute": minute + 1,
                "throughput_rps": step["throughput_rps"],
                "p95_ms": step["latency"]["p95_ms"],
                "p99_ms": step["latency"]["p99_ms"],
                "errors": step["errors"],
                "error_kinds": step["error_kinds"],
                "server_rss_mb_max": step.get("server_rss_mb_max"),
                "server_rss_mb_mean": step.get("server_rss_mb_mean"),
                "server_cpu_percent": step.get("server_cpu_percent"),
                "ws_events_received": step["ws_events_received"],
            }
        )
    rss = [m["server_rss_mb_mean"] for m in minutes_out if m["server_rss_mb_mean"]]
    errors = [m["errors"] for m in minutes_out]
    half = len(errors) // 2
    return {
        "rate": rate,
        "minutes": minutes,
        "rss_mb_start": rss[0] if rss else None,
        "rss_mb_end": rss[-1] if rss else None,
        "rss_mb_max": max(m["server_rss_mb_max"] or 0 for m in minutes_out),
        "errors_total": sum(errors),
        "errors_first_half": sum(errors[:half]),
        "errors_second_half": sum(errors[half:]),
        "connections_left_open": None,
        "per_minute": minutes_out,
    }


def _open_connections(port: int) -> int:
    """Established TCP connections to the server's port (after the generator has gone)."""
    count = 0
    for conn in psutil.net_connections("tcp"):
        if conn.laddr and conn.laddr.port == port and conn.status == psutil.CONN_ESTABLISHED:
            count += 1
    return count


def machine() -> dict[str, Any]:
    model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


@contextlib.contextmanager
def infrastructure(needed: bool) -> Iterator[Infra]:
    infra = Infra()
    try:
        if needed:
            infra.start()
        yield infra
    finally:
        infra.stop()


def _logged_errors(log: Path) -> dict[str, int]:
    """Exceptions in the server log (JSON or console format), by their final line."""
    found: dict[str, int] = {}
    with contextlib.suppress(OSError), log.open(encoding="utf-8", errors="replace") as lines:
        for line in lines:
            texts = [line]
            if line.startswith("{") and '"exception"' in line:
                with contextlib.suppress(ValueError):
                    # A JSON record holds the whole traceback: its last exception line.
                    texts = str(json.loads(line).get("exception", "")).splitlines()[::-1][:8]
            for text in texts:
                match = EXCEPTION_LINE.match(text.strip())
                if match:
                    key = match.group(0)[:160]
                    found[key] = found.get(key, 0) + 1
                    break
    return found


def run_configuration(
    name: str,
    infra: Infra,
    work: Path,
    seed: Seed,
    plan: Plan,
    soak_minutes: int,
    gen_cpu: int,
    logs: Path | None,
) -> dict[str, Any]:
    target = Target(name, CONFIGURATIONS[name], work, infra)
    _log(f"{name}: starting the server ({target.workers} worker(s), {target.database})")
    target.start()
    try:
        began = time.monotonic()
        asyncio.run(target.seed(seed))
        _log(f"{name}: seeded in {time.monotonic() - began:.1f}s")
        assert target.process is not None
        sampler = Sampler(target.process.pid, target.db_pids)
        sampler.start()
        idle_rss = sampler.sample()["server_rss_mb"]
        gen = LoadGen(target, work, plan.subscribers, gen_cpu)
        try:
            result = measure(target, gen, sampler, plan)
            if soak_minutes and result["saturation_rate"]:
                rate = round(result["saturation_rate"] * 0.8, 1)
                result["soak"] = soak(target, gen, sampler, rate, soak_minutes)
        finally:
            gen.close()
            sampler.stop()
        time.sleep(2)
        if "soak" in result:
            result["soak"]["connections_left_open"] = _open_connections(target.port)
        result["server_rss_mb_idle_before"] = round(idle_rss, 1)
        result["workers"] = target.workers
        result["database"] = target.database
        result["settings"] = target.settings_shown
        result["generator_pinned_to_cpu"] = gen_cpu if gen.pinned else None
        result["seed_retries_after_5xx"] = target.seed_retries
        result["server_errors_logged"] = _logged_errors(target.work / "server.log")
        return result
    finally:
        target.stop()
        if logs is not None:
            logs.mkdir(parents=True, exist_ok=True)
            shutil.copy(target.work / "server.log", logs / f"{name}.log")


def cpu_ms_per_request(step: dict[str, Any]) -> float | None:
    """Server CPU time per answered request: what a request costs, whatever else ran."""
    cpu = step.get("server_cpu_percent")
    if not cpu or not step["throughput_rps"]:
        return None
    return round(float(cpu) * 10 / float(step["throughput_rps"]), 2)


def write_markdown(path: Path, report: dict[str, Any]) -> None:
    m = report["machine"]
    lines = [
        "# Load test",
        "",
        f"Command: `{report['command']}`",
        "",
        f"Date: {report['date']}",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB, Linux {m['kernel']}, "
        f"Python {m['python']}; load average at start {m['load_average_at_start']}.",
        "",
        "The load generator (`benchmarks/load/loadgen.py`, open loop: requests start at a "
        "constant rate whatever the server does; latency counted from the scheduled start) "
        f"runs on the same machine, pinned to CPU {report['generator_cpu']}; the server, "
        "PostgreSQL and Redis are not pinned, so the generator takes a share of the cores the "
        "server would otherwise have. `machine busy` is the whole machine's CPU (100 % = one "
        "core): what exceeds server + database + generator is other work on the machine. "
        "`CPU pressure` is the share of time some runnable task waited for a CPU (Linux PSI): "
        "near 0 on a quiet machine.",
        "",
        f"Mix (weights): {report['mix']}. Seed: {report['seed']}. "
        f"{report['plan']['subscribers']} WebSocket clients stay subscribed during every step.",
        "",
        "SLO for saturation: p95 < 200 ms and errors < 0.1 % (any non-2xx or failed request "
        "counts as an error).",
        "",
        "## Saturation per configuration",
        "",
        "| configuration | saturation rate (req/s) | throughput ok/s | p50 ms | p95 ms | p99 ms "
        "| errors | server CPU % | server CPU ms/request | server RSS MB (max) | database CPU % "
        "| generator CPU % | machine busy % |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, result in report["configurations"].items():
        best = result.get("at_saturation")
        if result.get("error"):
            lines.append(f"| {name} | failed: {result['error'][:200]} |" + " |" * 11)
            continue
        if not best:
            lines.append(f"| {name} | below {report['plan']['start_rate']} |" + " |" * 11)
            continue
        lat = best["latency"]
        lines.append(
            f"| {name} | {result['saturation_rate']} | {best['throughput_rps']} | "
            f"{lat['p50_ms']} | {lat['p95_ms']} | {lat['p99_ms']} | "
            f"{best['error_rate']:.3%} | {best.get('server_cpu_percent')} | "
            f"{cpu_ms_per_request(best)} | "
            f"{best.get('server_rss_mb_max')} | {best.get('database_cpu_percent')} | "
            f"{best['generator_cpu_percent']} | {best.get('machine_busy_percent')} |"
        )
    lines += ["", "## Overload (2x saturation) and recovery (0.5x)", ""]
    lines += [
        "| configuration | overload rate | shed (503) | error rate | p95 of all ms "
        "| RSS MB max | recovery rate | recovery errors | recovery p95 ms | recovered |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, result in report["configurations"].items():
        o = result.get("overload")
        if o:
            lines.append(
                f"| {name} | {o['rate']} | {o['shed_503']} | {o['error_rate']:.2%} | "
                f"{o['p95_ms_of_served']} | {o['server_rss_mb_max']} | {o['recovery_rate']} | "
                f"{o['recovery_error_rate']:.3%} | {o['recovery_p95_ms']} | {o['recovered']} |"
            )
    lines += ["", "## Latency by operation at saturation (p50 / p95 / p99 ms)", ""]
    ops = sorted(
        {
            op
            for r in report["configurations"].values()
            for op in (r.get("at_saturation") or {}).get("by_operation", {})
        }
    )
    names = list(report["configurations"])
    lines.append("| operation | " + " | ".join(names) + " |")
    lines.append("|---|" + "---|" * len(names))
    for op in ops:
        cells = []
        for name in names:
            s = (
                (report["configurations"][name].get("at_saturation") or {})
                .get("by_operation", {})
                .get(op)
            )
            cells.append(f"{s['p50_ms']} / {s['p95_ms']} / {s['p99_ms']}" if s else "")
        lines.append(f"| {op} | " + " | ".join(cells) + " |")
    for name, result in report["configurations"].items():
        soak_result = result.get("soak")
        if not soak_result:
            continue
        lines += [
            "",
            f"## Soak: {name}, {soak_result['minutes']} min at {soak_result['rate']} req/s "
            "(80 % of saturation)",
            "",
            f"Server RSS (mean of the minute): start {soak_result['rss_mb_start']} MB, end "
            f"{soak_result['rss_mb_end']} MB, max {soak_result['rss_mb_max']} MB. Errors: "
            f"{soak_result['errors_total']} in all, {soak_result['errors_first_half']} in the "
            f"first half, {soak_result['errors_second_half']} in the second. Established "
            f"connections left on the server port after the generator stopped: "
            f"{soak_result['connections_left_open']}.",
            "",
            "| minute | ok/s | p95 ms | p99 ms | errors | RSS MB mean | RSS MB max | CPU % |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for row in soak_result["per_minute"]:
            lines.append(
                f"| {row['minute']} | {row['throughput_rps']} | {row['p95_ms']} | "
                f"{row['p99_ms']} | {row['errors']} | {row['server_rss_mb_mean']} | "
                f"{row['server_rss_mb_max']} | {row['server_cpu_percent']} |"
            )
    lines += ["", "## Every step", ""]
    lines += [
        "| configuration | step | rate | ok/s | p50 | p95 | p99 | errors | server CPU % "
        "| CPU ms/request | RSS MB | machine busy % | CPU pressure % |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, result in report["configurations"].items():
        for s in result["steps"]:
            lat = s["latency"]
            lines.append(
                f"| {name} | {s['label']} | {s['rate']} | {s['throughput_rps']} | "
                f"{lat['p50_ms']} | {lat['p95_ms']} | {lat['p99_ms']} | {s['error_rate']:.3%} | "
                f"{s.get('server_cpu_percent')} | {cpu_ms_per_request(s)} | "
                f"{s.get('server_rss_mb_max')} | {s.get('machine_busy_percent')} | "
                f"{s.get('cpu_pressure_percent', '')} |"
            )
    logged = {
        name: result.get("server_errors_logged")
        for name, result in report["configurations"].items()
        if result.get("server_errors_logged") or result.get("seed_retries_after_5xx")
    }
    if logged:
        lines += ["", "## Server errors", ""]
        for name, errors in logged.items():
            retries = report["configurations"][name].get("seed_retries_after_5xx", 0)
            lines.append(
                f"- {name}: seeding retried {retries} request(s) after a 5xx; "
                f"unhandled exceptions in the server log: {errors or 'none'}"
            )
    if report.get("notes"):
        lines += ["", "## Notes", "", *report["notes"]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description="Load test of the API (see the module doc).")
    parser.add_argument("--quick", action="store_true", help="the ~1 minute version")
    parser.add_argument(
        "--config", action="append", choices=sorted(CONFIGURATIONS), help="repeatable"
    )
    parser.add_argument("--soak-minutes", type=int, default=10)
    parser.add_argument("--soak-config", default="postgres-2-workers")
    parser.add_argument("--step-seconds", type=float, default=20.0)
    parser.add_argument("--start-rate", type=float, default=None)
    parser.add_argument("--generator-cpu", type=int, default=(os.cpu_count() or 1) - 1)
    parser.add_argument("--note", action="append", default=[], help="added to the results")
    parser.add_argument("--out", type=Path, default=None, help="results file stem")
    parser.add_argument(
        "--logs", type=Path, default=ROOT / "reports" / "load-logs", help="server logs go here"
    )
    parser.add_argument(
        "--render", type=Path, default=None, help="only rewrite the .md of this results .json"
    )
    args = parser.parse_args()
    if args.render:
        write_markdown(args.render.with_suffix(".md"), json.loads(args.render.read_text()))
        return

    if args.quick:
        names = args.config or ["postgres-2-workers"]
        seed = Seed(users=12, projects=4, tasks_per_project=60)
        plan = Plan(args.start_rate or 20.0, 2.0, 400, 6, 2, 0, 6, 4)
        soak_minutes = 0
        out = args.out or ROOT / "reports" / "load-quick"
    else:
        names = args.config or list(CONFIGURATIONS)
        seed = Seed()
        plan = Plan(args.start_rate or 25.0, 1.5, 5000, args.step_seconds, 3, 3, 20, 20, True)
        soak_minutes = args.soak_minutes
        out = args.out or RESULTS / "load"

    needs_servers = any(CONFIGURATIONS[n]["database"] == "postgres" for n in names)
    report: dict[str, Any] = {
        "command": " ".join([".venv/bin/python", "benchmarks/load/run_load.py", *sys.argv[1:]]),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": machine(),
        "generator_cpu": args.generator_cpu,
        "plan": plan.__dict__,
        "seed": seed.__dict__,
        "configurations": {},
        "notes": args.note,
    }
    sys.path.insert(0, str(LOADGEN.parent))
    from loadgen import MIX

    report["mix"] = MIX
    with (
        tempfile.TemporaryDirectory(prefix="ctui-load-") as tmp,
        infrastructure(needs_servers) as infra,
    ):
        for name in names:
            try:
                report["configurations"][name] = run_configuration(
                    name,
                    infra,
                    Path(tmp),
                    seed,
                    plan,
                    soak_minutes if name == args.soak_config else 0,
                    args.generator_cpu,
                    args.logs,
                )
            except SystemExit as exc:
                _log(f"{name}: {exc}")
                report["configurations"][name] = {
                    "error": str(exc),
                    "saturation_rate": 0,
                    "steps": [],
                }
            # After each configuration, so that a later failure keeps the earlier numbers.
            out.parent.mkdir(parents=True, exist_ok=True)
            out.with_suffix(".json").write_text(
                json.dumps(report, indent=2) + "\n", encoding="utf-8"
            )
            write_markdown(out.with_suffix(".md"), report)
    _log(f"results: {out.with_suffix('.json')} and {out.with_suffix('.md')}")
    failures = [n for n, r in report["configurations"].items() if not r["saturation_rate"]]
    if failures and not args.quick:
        raise SystemExit(f"no rate met the SLO for: {', '.join(failures)}")


if __name__ == "__main__":
    try:
        main()
    except ServiceUnavailable as exc:
        raise SystemExit(f"load test: {exc}") from None
