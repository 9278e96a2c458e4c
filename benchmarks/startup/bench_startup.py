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
RESULTS = ROOT / "benchmarks" / "results"
ENTRY = Path(sys.executable).with_name("claude-tui")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def time_help() -> float:
    start = time.perf_counter()
    subprocess.run([str(ENTRY), "--help"], check=True, capture_output=True)
    return time.perf_counter() - start


def time_server_ready(data_dir: Path) -> float:
    env = {**os.environ, "CLAUDE_TUI_DATA_DIR": str(data_dir), "CLAUDE_TUI_LOG_LEVEL": "WARNING"}
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
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        env = {**os.environ, "CLAUDE_TUI_DATA_DIR": str(data_dir)}
        subprocess.run([str(ENTRY), "db", "upgrade"], env=env, check=True, capture_output=True)
        time_help()
        time_server_ready(data_dir)
        helps, readies = [], []
        for _ in range(args.runs):  # alternate, so slow phases of the machine hit both alike
            helps.append(time_help())
            readies.append(time_server_ready(data_dir))
    result = {
        "machine": (
            f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        ),
        "runs": args.runs,
        "cli_help_median_ms": round(statistics.median(helps) * 1000, 1),
        "cli_help_min_ms": round(min(helps) * 1000, 1),
        "server_ready_median_ms": round(statistics.median(readies) * 1000, 1),
        "server_ready_min_ms": round(min(readies) * 1000, 1),
        "targets": {"cli_help_ms": 300, "server_ready_ms": 2000},
        "command": "python benchmarks/startup/bench_startup.py --runs " + str(args.runs),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "startup.json").write_text(json.dumps(result, indent=2) + "\n")
    (RESULTS / "startup.md").write_text(
        "# Start-up\n\n"
        f"Machine: {result['machine']}. Command: `{result['command']}`.\n\n"
        "| measure | median | best | target |\n|---|---|---|---|\n"
        f"| `claude-tui --help` | {result['cli_help_median_ms']} ms | "
        f"{result['cli_help_min_ms']} ms | < 300 ms |\n"
        f"| server launch to `/ready` 200 | {result['server_ready_median_ms']} ms | "
        f"{result['server_ready_min_ms']} ms | < 2000 ms |\n"
    )
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
