"""Rollback time on the compose target: N rollbacks in a row under live load.

Run: ``make bench-rollback`` (or ``.venv/bin/python benchmarks/deploy/bench_rollback.py
[--runs N]``). Needs what the container test tier needs (rootful podman, docker-compose, the
local base image, PostgreSQL and Redis from Debian): it runs the compose deploy tier's rollback
series (tests/integration/container/test_deploy_compose.py), which deploys two releases, then
rolls back and forth between them while a client sends requests through the live route. A
rollback is timed as the command reports it (start to live traffic on the other colour) and as
a whole command (process start to exit). Results: benchmarks/results/rollback.json and .md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "benchmarks" / "results"
TEST = (
    "tests/integration/container/test_deploy_compose.py::"
    "test_rollbacks_under_load_resume_the_standby_and_switch_within_five_seconds"
)
STEPS = ("bring-up", "readiness", "switch", "scale-down")


def run(runs: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-rollback-") as scratch:
        samples_file = Path(scratch) / "samples.json"
        env = {
            **os.environ,
            "CLAUDE_TUI_ROLLBACK_RUNS": str(runs),
            "CLAUDE_TUI_ROLLBACK_SAMPLES": str(samples_file),
            "PYTHON": os.environ.get("PYTHON", sys.executable),
        }
        command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", TEST]
        started = time.monotonic()
        result = subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, text=True, check=False
        )
        if result.returncode != 0 or not samples_file.exists():
            tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-30:])
            raise SystemExit(f"bench_rollback: the rollback series did not complete:\n{tail}")
        data: dict[str, Any] = json.loads(samples_file.read_text(encoding="utf-8"))
    data["tier_seconds"] = round(time.monotonic() - started, 1)
    return data


def load_samples(path: Path) -> dict[str, Any]:
    """Samples the series wrote in an earlier run (CLAUDE_TUI_ROLLBACK_SAMPLES)."""
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SystemExit(f"bench_rollback: cannot read samples {path}: {exc}") from exc
    data.setdefault("tier_seconds", None)
    return data


def summarise(data: dict[str, Any], runs: int, command: str) -> dict[str, Any]:
    samples = data["samples"]
    switched = [s["switched_seconds"] for s in samples]
    commands = [s["command_seconds"] for s in samples]
    steps = {
        name: {
            "median": round(statistics.median(s["steps"].get(name, 0.0) for s in samples), 3),
            "worst": round(max(s["steps"].get(name, 0.0) for s in samples), 3),
        }
        for name in STEPS
    }
    return {
        "command": command,
        "runs": runs,
        "host": f"{platform.node()} ({os.cpu_count()} CPUs, {platform.machine()})",
        # Written by the series as it ends; an older samples file has none: taken now.
        "load_average_1m": data.get("load_average_1m", round(os.getloadavg()[0], 2)),
        "requests_during_rollbacks": data["requests"],
        "failed_requests": data["failed"],
        "to_switch_seconds": {
            "median": round(statistics.median(switched), 3),
            "worst": round(max(switched), 3),
            "all": switched,
        },
        "whole_command_seconds": {
            "median": round(statistics.median(commands), 3),
            "worst": round(max(commands), 3),
            "all": commands,
        },
        "steps_seconds": steps,
        "tier_seconds": data["tier_seconds"],
    }


def markdown(summary: dict[str, Any]) -> str:
    to_switch = summary["to_switch_seconds"]
    whole = summary["whole_command_seconds"]
    lines = [
        "# Rollback time (compose target)",
        "",
        f"Command: `{summary['command']}` ({summary['runs']} rollbacks in a row, each "
        "resuming the paused colour, under live load through the proxy). Host: "
        f"{summary['host']}, load average {summary['load_average_1m']} at the end.",
        "",
        "| measure | median | worst |",
        "|---|---|---|",
        f"| to the switch (reported by `claude-tui rollback`) | {to_switch['median']:.2f} s "
        f"| {to_switch['worst']:.2f} s |",
        f"| whole command (process start to exit) | {whole['median']:.2f} s "
        f"| {whole['worst']:.2f} s |",
    ]
    for name, value in summary["steps_seconds"].items():
        lines.append(f"| step `{name}` | {value['median']:.2f} s | {value['worst']:.2f} s |")
    lines += [
        "",
        f"Requests through the live route during the series: "
        f"{summary['requests_during_rollbacks']}, failed: {summary['failed_requests']}.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="rollbacks to measure (default 10)")
    parser.add_argument(
        "--samples",
        type=Path,
        help="summarise the samples file of an earlier run of the series instead of running it "
        "(the pytest command that made it goes in --command)",
    )
    parser.add_argument(
        "--command", default="make bench-rollback", help="the command named in the results"
    )
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if args.samples is not None:
        data = load_samples(args.samples)
        summary = summarise(data, len(data["samples"]), args.command)
    else:
        summary = summarise(run(args.runs), args.runs, args.command)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "rollback.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    (RESULTS / "rollback.md").write_text(markdown(summary), encoding="utf-8")
    print(markdown(summary))


if __name__ == "__main__":
    main()
