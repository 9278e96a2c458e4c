"""Start-up time of the CLI (``claude-tui --help``) and of the server (launch to /ready 200).

Run: ``.venv/bin/python benchmarks/startup/bench_startup.py [--runs N]``. Times the venv's own
entry point (not a pyenv shim), warms up first so byte-code compilation is not counted, and
reports medians. Results go to benchmarks/results/startup.json and .md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
# The warm-up run compiles byte code for the timed runs; a session's PYTHONDONTWRITEBYTECODE
# would make every run compile every module again and time the compiler instead.
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
RESULTS = ROOT / "benchmarks" / "results"
ENTRY = Path(sys.executable).with_name("claude-tui")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def tree_env(src: Path) -> dict[str, str]:
    """The environment that makes the entry point run the package from ``src``."""
    return {**CHILD_ENV, "PYTHONPATH": str(src)}


def time_help(src: Path = ROOT / "src") -> float:
    start = time.perf_counter()
    subprocess.run([str(ENTRY), "--help"], check=True, capture_output=True, env=tree_env(src))
    return time.perf_counter() - start


def time_server_ready(data_dir: Path, src: Path = ROOT / "src") -> float:
    env = {
        **tree_env(src),
        "CLAUDE_TUI_DATA_DIR": str(data_dir),
        "CLAUDE_TUI_LOG_LEVEL": "WARNING",
    }
    port = _free_port()
    start = time.perf_counter()
    proc = subprocess.Popen(
        [str(ENTRY), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/ready", timeout=1).status_code == 200:
                    return time.perf_counter() - start
            except httpx.HTTPError:
                pass
            if proc.poll() is not None:
                raise RuntimeError("the server exited before it was ready")
            if time.perf_counter() - start > 60:
                raise RuntimeError("the server was not ready within 60 s")
            time.sleep(0.01)
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--baseline", help="also time the source tree of this git revision, alternating"
    )
    args = parser.parse_args()
    trees = {"current": ROOT / "src"}
    with tempfile.TemporaryDirectory() as tmp:
        if args.baseline:
            worktree = Path(tmp) / "baseline"
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
        try:
            times: dict[str, dict[str, list[float]]] = {}
            for name, src in trees.items():
                data_dir = Path(tmp) / f"data-{name}"
                env = {**tree_env(src), "CLAUDE_TUI_DATA_DIR": str(data_dir)}
                subprocess.run(
                    [str(ENTRY), "db", "upgrade"], env=env, check=True, capture_output=True
                )
                time_help(src)  # warm-up: byte code
                time_server_ready(data_dir, src)
                times[name] = {"help": [], "ready": []}
            for _ in range(args.runs):  # alternate, so slow phases of the machine hit all alike
                for name, src in trees.items():
                    times[name]["help"].append(time_help(src))
                    times[name]["ready"].append(time_server_ready(Path(tmp) / f"data-{name}", src))
        finally:
            if args.baseline:
                subprocess.run(
                    ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(worktree)],
                    check=False,
                    capture_output=True,
                )

    def summary(name: str) -> dict[str, float]:
        helps, readies = times[name]["help"], times[name]["ready"]
        return {
            "cli_help_median_ms": round(statistics.median(helps) * 1000, 1),
            "cli_help_min_ms": round(min(helps) * 1000, 1),
            "server_ready_median_ms": round(statistics.median(readies) * 1000, 1),
            "server_ready_min_ms": round(min(readies) * 1000, 1),
        }

    current = summary("current")
    command = f"python benchmarks/startup/bench_startup.py --runs {args.runs}"
    if args.baseline:
        command += f" --baseline {args.baseline}"
    result: dict[str, object] = {
        "machine": (
            f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        ),
        "runs": args.runs,
        **current,
        "targets": {"cli_help_ms": 300, "server_ready_ms": 2000},
        "command": command,
    }
    rows = [
        f"| `claude-tui --help` | {current['cli_help_median_ms']} ms | "
        f"{current['cli_help_min_ms']} ms | < 300 ms |",
        f"| server launch to `/ready` 200 | {current['server_ready_median_ms']} ms | "
        f"{current['server_ready_min_ms']} ms | < 2000 ms |",
    ]
    if args.baseline:
        before = summary("baseline")
        result["baseline"] = {"revision": args.baseline, **before}
        rows += [
            f"| `claude-tui --help`, baseline {args.baseline} | "
            f"{before['cli_help_median_ms']} ms | {before['cli_help_min_ms']} ms | |",
            f"| server to `/ready`, baseline {args.baseline} | "
            f"{before['server_ready_median_ms']} ms | {before['server_ready_min_ms']} ms | |",
        ]
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "startup.json").write_text(json.dumps(result, indent=2) + "\n")
    (RESULTS / "startup.md").write_text(
        "# Start-up\n\n"
        f"Machine: {result['machine']}. Command: `{command}`.\n\n"
        "| measure | median | best | target |\n|---|---|---|---|\n" + "\n".join(rows) + "\n"
    )
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
