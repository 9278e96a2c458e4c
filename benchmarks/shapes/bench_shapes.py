"""Server CPU per request of four request shapes, and each shape's ratio to ``/health``.

Run: ``.venv/bin/python benchmarks/shapes/bench_shapes.py [--seconds S] [--baseline REV]``
(``make bench-shapes``).

One uvicorn worker of the real app (``claude-tui serve``, production profile) on a throwaway
PostgreSQL, pinned to CPU 0; a closed-loop load generator (``wrk`` when installed, otherwise
the aiohttp one in this file) pinned to CPU 1 with a bearer JWT and 16 keep-alive connections.
Shapes: ``/health``, get one task, list a page of 50 tasks, create one task. The server's CPU
time (utime + stime of ``/proc/PID/stat``) over each shape's window divided by the requests
answered is its CPU per request; the ratio to ``/health`` of the same worker in the same
repetition is the figure that survives a loaded machine. Three interleaved repetitions,
medians. With ``--baseline REV``, the source tree of git revision REV is served by a second
worker and measured in the same repetitions, so before and after come from one run.
Writes benchmarks/results/shapes.{json,md}; the last line printed reads
``get=<ratio> list=<ratio> create=<ratio>``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import secrets
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "benchmarks" / "results"
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks" / "hot_paths"))

from bench_hot_paths import seed  # noqa: E402

from servers import PostgresServer, free_port  # noqa: E402

SERVER_CPU, GENERATOR_CPU = "0", "1"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

#: name -> (method, path template, expected status)
SHAPES: dict[str, tuple[str, str, int]] = {
    "health": ("GET", "/health", 200),
    "get": ("GET", "/api/v1/tasks/{task_id}", 200),
    "list": ("GET", "/api/v1/tasks?project_id={project_id}&limit=50", 200),
    "create": ("POST", "/api/v1/projects/{project_id}/tasks", 201),
}
CREATE_BODY = {"title": "shape task", "description": "Add a docstring to area()."}
TARGETS = {"get": 7.0, "list": 11.0, "create": 9.0}
ISSUE_FIGURES = {"get": 14.7, "list": 21.8, "create": 46.7}

PROFILE_NOTES = """## Where a task creation's CPU goes (py-spy at 250 Hz, 16 connections)

Statements of one creation on PostgreSQL: the token's account and revocation state (one
SELECT), the project and the caller's role with a row lock (one SELECT ... FOR UPDATE), the
task (INSERT ... RETURNING), its `task.created` event (INSERT ... RETURNING), plus BEGIN and
COMMIT: six round trips, none of which grows with the project (the task graph is no longer
read: tests/integration/performance/test_task_create_statements.py). Of the worker's busy
samples, the service itself (`create_task` with its flushes) is about a fifth; authenticating
the bearer token is a quarter (`current_principal`: JWT decoding and its SELECT); the rest is
the ASGI stack (OpenTelemetry's ASGI and FastAPI middleware, which matches the route a second
time per request, our request-context middleware, dependency solving). At 16 connections the
pool (10 + overflow) opens and closes overflow connections, about 4 % of the CPU. Dependencies
that were plain functions ran in a worker thread (the broadcaster on every write, the page
parameters on every list); they are async now
(tests/integration/performance/test_no_worker_threads.py)."""


# --- the load generator (runs as its own process, pinned to the other CPU) -----------------


async def _drive(args: argparse.Namespace) -> None:
    """Closed loop: each connection sends its next request when the last one is answered."""
    import aiohttp

    headers = {"Authorization": f"Bearer {args.token}"}
    body = json.dumps(CREATE_BODY) if args.method == "POST" else None
    if body is not None:
        headers["Content-Type"] = "application/json"
    connector = aiohttp.TCPConnector(limit=args.connections, force_close=False)
    async with aiohttp.ClientSession(connector=connector, headers=headers) as session:

        async def loop(deadline: float, statuses: Counter[int]) -> None:
            while time.perf_counter() < deadline:
                async with session.request(args.method, args.url, data=body) as response:
                    await response.read()
                    statuses[response.status] += 1

        async def run(seconds: float) -> tuple[Counter[int], float]:
            statuses: Counter[int] = Counter()
            began = time.perf_counter()
            deadline = began + seconds
            await asyncio.gather(*(loop(deadline, statuses) for _ in range(args.connections)))
            return statuses, time.perf_counter() - began

        await run(args.warmup)
        print(json.dumps({"ready": True}), flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
        statuses, elapsed = await run(args.seconds)
        print(json.dumps({"statuses": dict(statuses), "elapsed": elapsed}), flush=True)


def _wrk_script(method: str, token: str) -> str:
    """wrk's request, and a summary its ``done`` can print (it sees no per-thread state)."""
    body = json.dumps(json.dumps(CREATE_BODY)) if method == "POST" else "nil"
    return (
        f'wrk.method = "{method}"\n'
        f'wrk.headers["Authorization"] = "Bearer {token}"\n'
        'wrk.headers["Content-Type"] = "application/json"\n'
        f"wrk.body = {body}\n"
        "done = function(summary, latency, requests)\n"
        "  io.write(string.format('REQUESTS %d\\n', summary.requests))\n"
        "  io.write(string.format('NON2XX %d\\n', summary.errors.status))\n"
        "  io.write(string.format('ELAPSED %f\\n', summary.duration / 1e6))\n"
        "end\n"
    )


# --- the server and its measurement -------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process, from /proc/PID/stat."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat.rpartition(")")[2].split()
    # fields[0] is the state (field 3 of the file); utime and stime are fields 14 and 15
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


@contextlib.contextmanager
def server(src: Path, env: dict[str, str]) -> Iterator[tuple[str, int]]:
    """One uvicorn worker of ``src`` pinned to the server CPU; yields its URL and PID."""
    port = free_port()
    proc = subprocess.Popen(
        [
            "taskset",
            "-c",
            SERVER_CPU,
            sys.executable,
            "-m",
            "claude_tui",
            "serve",
            "--port",
            str(port),
            "--workers",
            "1",
        ],
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
                raise SystemExit(f"the server from {src} did not start")
            time.sleep(0.1)
        # taskset execs the server in place, so this PID is the server's own.
        yield base, proc.pid
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def measure(
    base: str, pid: int, shape: str, creds: dict[str, Any], args: argparse.Namespace
) -> dict[str, Any]:
    method, template, expected = SHAPES[shape]
    url = base + template.format(**creds)
    wrk = shutil.which("wrk")
    if wrk:
        return _measure_wrk(wrk, url, pid, method, expected, creds, args)
    generator = subprocess.Popen(
        [
            "taskset",
            "-c",
            GENERATOR_CPU,
            sys.executable,
            __file__,
            "--drive",
            url,
            "--method",
            method,
            "--token",
            creds["token"],
            "--seconds",
            str(args.seconds),
            "--warmup",
            str(args.warmup),
            "--connections",
            str(args.connections),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert generator.stdin is not None
    assert generator.stdout is not None
    if json.loads(generator.stdout.readline() or "{}").get("ready") is not True:
        raise SystemExit(f"the load generator for {shape} did not start")
    before = cpu_seconds(pid)
    generator.stdin.write("go\n")
    generator.stdin.flush()
    line = generator.stdout.readline()
    after = cpu_seconds(pid)
    generator.wait(timeout=30)
    if not line:
        raise SystemExit(f"the load generator for {shape} failed (exit {generator.returncode})")
    result = json.loads(line)
    statuses = {int(k): v for k, v in result["statuses"].items()}
    return _figures(statuses, expected, after - before, result["elapsed"])


def _measure_wrk(
    wrk: str,
    url: str,
    pid: int,
    method: str,
    expected: int,
    creds: dict[str, Any],
    args: argparse.Namespace,
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "shape.lua"
        script.write_text(_wrk_script(method, creds["token"]))
        common = ["taskset", "-c", GENERATOR_CPU, wrk, "-t1", f"-c{args.connections}"]
        subprocess.run(
            [*common, f"-d{max(1, round(args.warmup))}s", "-s", str(script), url],
            check=True,
            capture_output=True,
        )
        before = cpu_seconds(pid)
        out = subprocess.run(
            [*common, f"-d{max(1, round(args.seconds))}s", "-s", str(script), url],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        after = cpu_seconds(pid)
    found: dict[str, float] = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] in ("REQUESTS", "NON2XX", "ELAPSED"):
            found[parts[0]] = float(parts[1])
    if "REQUESTS" not in found:
        raise SystemExit(f"wrk printed no summary: {out[-500:]}")
    answered, failed = int(found["REQUESTS"]), int(found.get("NON2XX", 0))
    # wrk counts non-2xx answers but not their statuses: they are reported as status 0.
    statuses = {expected: answered - failed, 0: failed}
    elapsed = found.get("ELAPSED", args.seconds)
    return _figures(statuses, expected, after - before, elapsed)


def _figures(statuses: dict[int, int], expected: int, cpu: float, elapsed: float) -> dict[str, Any]:
    answered = sum(statuses.values())
    ok = statuses.get(expected, 0)
    if ok == 0:
        raise SystemExit(f"no request answered {expected}: statuses {statuses}")
    return {
        "requests": answered,
        "ok": ok,
        "other_statuses": {str(s): n for s, n in statuses.items() if s != expected},
        "rps": round(answered / elapsed, 1),
        "server_cpu_s": round(cpu, 3),
        "cpu_ms_per_request": round(1000 * cpu / answered, 3),
    }


def _source_of(revision: str, into: Path) -> Path:
    """The ``src`` tree of a git revision, extracted without touching any worktree."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", revision, "src"],
        check=True,
        capture_output=True,
    ).stdout
    tar_path = into / "src.tar"
    tar_path.write_bytes(archive)
    with tarfile.open(tar_path) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="per shape and repetition")
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--repetitions", type=int, default=3)
    parser.add_argument("--baseline", help="git revision served beside this tree")
    parser.add_argument("--drive", help=argparse.SUPPRESS)
    parser.add_argument("--method", default="GET", help=argparse.SUPPRESS)
    parser.add_argument("--token", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.drive:
        args.url = args.drive
        asyncio.run(_drive(args))
        return
    if os.cpu_count() is None or (os.cpu_count() or 0) < 2 or not shutil.which("taskset"):
        raise SystemExit("bench-shapes needs two CPUs and taskset (util-linux)")

    from claude_tui.storage import migrate

    work = Path(tempfile.mkdtemp(prefix="ctui-shapes-"))
    pg = PostgresServer().start()
    try:
        url = pg.url(pg.create_database())
        migrate.upgrade(url)
        secret = secrets.token_urlsafe(48)
        creds = asyncio.run(seed(url, secret))
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("CLAUDE_TUI_")},
            "CLAUDE_TUI_DATABASE_URL": url,
            "CLAUDE_TUI_SECRET_KEY": secret,
            "CLAUDE_TUI_DATA_DIR": str(work / "data"),
            "CLAUDE_TUI_ENV": "production",
            # Shed requests cost little and would lower the per-request figure; the shedder
            # is measured by the load test, not here.
            "CLAUDE_TUI_MAX_CONCURRENT_REQUESTS": "0",
        }
        trees = {"current": ROOT / "src"}
        if args.baseline:
            trees = {"baseline": _source_of(args.baseline, work), **trees}
        runs: dict[str, list[dict[str, dict[str, Any]]]] = {name: [] for name in trees}
        with contextlib.ExitStack() as stack:
            servers = {name: stack.enter_context(server(src, env)) for name, src in trees.items()}
            for rep in range(args.repetitions):
                for name, (base, pid) in servers.items():
                    figures = {s: measure(base, pid, s, creds, args) for s in SHAPES}
                    runs[name].append(figures)
                    line = " ".join(
                        f"{s}={f['cpu_ms_per_request']}ms/{f['rps']}rps" for s, f in figures.items()
                    )
                    print(f"repetition {rep + 1} {name}: {line}", flush=True)
    finally:
        pg.destroy()
        shutil.rmtree(work, ignore_errors=True)

    summary: dict[str, Any] = {}
    for name, reps in runs.items():
        shape_summary: dict[str, Any] = {}
        for shape in SHAPES:
            per_rep = [r[shape] for r in reps]
            ratios = [
                r[shape]["cpu_ms_per_request"] / r["health"]["cpu_ms_per_request"] for r in reps
            ]
            shape_summary[shape] = {
                "cpu_ms_per_request": round(
                    statistics.median(f["cpu_ms_per_request"] for f in per_rep), 3
                ),
                "rps": round(statistics.median(f["rps"] for f in per_rep), 1),
                "ratio_to_health": round(statistics.median(ratios), 1),
                "other_statuses": sum(sum(f["other_statuses"].values()) for f in per_rep),
                "repetitions": per_rep,
            }
        summary[name] = shape_summary
    command = "python benchmarks/shapes/bench_shapes.py " + " ".join(sys.argv[1:])
    generator = "wrk" if shutil.which("wrk") else "closed-loop aiohttp generator (no wrk here)"
    result = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "command": command.strip(),
        "setup": f"PostgreSQL, one uvicorn worker (production profile, load shedder off) on "
        f"CPU {SERVER_CPU}; {generator} on CPU {GENERATOR_CPU}; bearer JWT; "
        f"{args.connections} connections; {args.seconds:g} s per shape after "
        f"{args.warmup:g} s of warm-up; {args.repetitions} interleaved repetitions, medians",
        "baseline": args.baseline,
        "targets": TARGETS,
        "issue_figures": ISSUE_FIGURES,
        "results": summary,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "shapes.json").write_text(json.dumps(result, indent=2) + "\n")
    rows = [
        "| tree | shape | server CPU per request (ms) | ratio to /health | target | req/s "
        "| other statuses |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, shapes in summary.items():
        for shape, figures in shapes.items():
            target = f"<= {TARGETS[shape]:g}x" if shape in TARGETS else ""
            rows.append(
                f"| {name} | {shape} | {figures['cpu_ms_per_request']} | "
                f"{figures['ratio_to_health']}x | {target} | {figures['rps']} | "
                f"{figures['other_statuses']} |"
            )
    md = [
        "# Server CPU per request, by request shape",
        "",
        f"Machine: {result['machine']}. Command: `{result['command']}`.",
        "",
        f"Setup: {result['setup']}. The machine is shared, so absolute figures are noisy; the "
        "ratio of a shape to `/health` of the same worker in the same repetition is the "
        "figure to compare."
        + (
            f" `baseline` is git revision {args.baseline}, `current` this tree, both served "
            "in the same repetitions."
            if args.baseline
            else ""
        ),
        "",
        *rows,
        "",
        "Ratios measured when issue #23 was filed: "
        + ", ".join(f"{k} {v}x" for k, v in ISSUE_FIGURES.items())
        + ".",
        "",
        PROFILE_NOTES,
    ]
    (RESULTS / "shapes.md").write_text("\n".join(md) + "\n")
    print("\n".join(rows))
    current = summary["current"]
    print(" ".join(f"{s}={current[s]['ratio_to_health']}" for s in ("get", "list", "create")))


if __name__ == "__main__":
    main()
