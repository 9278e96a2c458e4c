"""Terminal UI start-up against a Textual hello-world measured in the same run.

Run: ``.venv/bin/python benchmarks/tui/bench_tui_startup.py [--runs N]`` (needs tmux). Every
program runs in a detached tmux session at 120x40; the screen is read with ``capture-pane``
every 10 ms. Each run measures, on a fresh data directory:

- the floor: launch to first frame of a minimal Textual app;
- cold: launch to first frame, and to a usable dashboard (the project list loaded from the
  server), with no server running;
- again: the same, for a second launch on the same data directory, once the first UI has quit
  (the local server it started, when there is one, is still running);
- resident memory of the UI process and, separately, of the server it talks to.

Results go to benchmarks/results/tui_startup.json/.md (median and worst of the runs).
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
import uuid
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "benchmarks" / "results"
UI = [sys.executable, "-m", "claude_tui"]
HELLO = """
from textual.app import App, ComposeResult
from textual.widgets import Static


class Hello(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("Hello, world")


Hello().run()
"""
# Shown only once the project list has been loaded from the server (see the dashboard).
USABLE = "No projects yet"


def _rss_kib(pid: int) -> int:
    """Resident memory of a process and its children."""
    total = 0
    pids = [pid]
    while pids:
        current = pids.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        total += next(
            int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS")
        )
        pids.extend(int(c) for c in children)
    return total


class Session:
    """One program in a detached tmux session of its own."""

    def __init__(self, tmp: Path, command: list[str], env: dict[str, str]) -> None:
        self.tmux = ["tmux", "-S", str(tmp / f"tmux-{uuid.uuid4().hex[:6]}.sock")]
        self.start = time.perf_counter()
        subprocess.run(
            [*self.tmux, "new-session", "-d", "-s", "bench", "-x", "120", "-y", "40", *command],
            env=env,
            check=True,
        )

    def screen(self) -> str:
        return subprocess.run(
            [*self.tmux, "capture-pane", "-t", "bench", "-p"], capture_output=True, text=True
        ).stdout

    def wait(self, shown: Callable[[str], bool], what: str) -> float:
        """Seconds from launch until the screen satisfies ``shown``."""
        while True:
            screen = self.screen()
            now = time.perf_counter() - self.start
            if shown(screen):
                return now
            if now > 90:
                raise RuntimeError(f"{what} not seen within 90 s:\n{screen}")
            time.sleep(0.01)

    def pane_pid(self) -> int:
        out = subprocess.run(
            [*self.tmux, "list-panes", "-t", "bench", "-F", "#{pane_pid}"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return int(out.split()[0])

    def close(self) -> None:
        subprocess.run([*self.tmux, "kill-server"], check=False, capture_output=True)


def _server_pid(data_dir: Path) -> int | None:
    """The local server the UI left running, if the installed UI starts one."""
    try:
        state = json.loads((data_dir / "run" / "local-server.json").read_text())
        return int(state["pid"])
    except (OSError, ValueError, KeyError):
        return None


def _launch(tmp: Path, env: dict[str, str]) -> dict[str, float]:
    session = Session(tmp, UI, env)
    try:
        frame = session.wait(lambda s: "Projects" in s, "the first frame")
        usable = session.wait(lambda s: USABLE in s, "the loaded project list")
        time.sleep(1.0)  # let the first data load settle before reading memory
        ui_kib = _rss_kib(session.pane_pid())
    finally:
        session.close()
    server = _server_pid(Path(env["CLAUDE_TUI_DATA_DIR"]))
    server_kib = _rss_kib(server) if server is not None else 0
    return {"frame": frame, "usable": usable, "ui_kib": ui_kib, "server_kib": server_kib}


def one_run() -> dict[str, float]:
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        env = {k: v for k, v in os.environ.items() if not k.startswith("CLAUDE_TUI_")}
        data_dir = tmp / "data"
        env.update(CLAUDE_TUI_DATA_DIR=str(data_dir), TERM="xterm-256color")
        hello_file = tmp / "hello.py"
        hello_file.write_text(HELLO)
        hello = Session(tmp, [sys.executable, str(hello_file)], env)
        try:
            floor = hello.wait(lambda s: "Hello, world" in s, "the hello-world frame")
        finally:
            hello.close()
        try:
            cold = _launch(tmp, env)
            again = _launch(tmp, env)
        finally:
            subprocess.run([*UI, "local-server", "stop"], env=env, check=False, capture_output=True)
    return {
        "floor": floor,
        "cold_frame": cold["frame"],
        "cold_usable": cold["usable"],
        "again_frame": again["frame"],
        "again_usable": again["usable"],
        "ui_kib": again["ui_kib"],
        "server_kib": again["server_kib"],
    }


def _ms(values: list[float]) -> dict[str, int]:
    return {
        "median_ms": round(statistics.median(values) * 1000),
        "worst_ms": round(max(values) * 1000),
    }


def _mib(values: list[float]) -> dict[str, float]:
    return {
        "median_mib": round(statistics.median(values) / 1024, 1),
        "worst_mib": round(max(values) / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    one_run()  # warm-up: byte-code compilation and page cache
    runs = [one_run() for _ in range(args.runs)]

    def column(key: str) -> list[float]:
        return [run[key] for run in runs]

    # Ratios per run (each launch against the floor measured just before it), then summarised.
    cold_ratio = [r["cold_usable"] / r["floor"] for r in runs]
    again_ratio = [r["again_usable"] / r["floor"] for r in runs]
    result = {
        "machine": (
            f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        ),
        "runs": args.runs,
        "hello_world_first_frame": _ms(column("floor")),
        "cold_first_frame": _ms(column("cold_frame")),
        "cold_usable": _ms(column("cold_usable")),
        "again_first_frame": _ms(column("again_frame")),
        "again_usable": _ms(column("again_usable")),
        "cold_usable_over_floor": {
            "median": round(statistics.median(cold_ratio), 2),
            "worst": round(max(cold_ratio), 2),
            "target": 3.0,
        },
        "again_usable_over_floor": {
            "median": round(statistics.median(again_ratio), 2),
            "worst": round(max(again_ratio), 2),
            "target": 1.5,
        },
        "ui_rss": {**_mib(column("ui_kib")), "target_mib": 150},
        "server_rss": _mib(column("server_kib")),
        "command": f"python benchmarks/tui/bench_tui_startup.py --runs {args.runs}",
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "tui_startup.json").write_text(json.dumps(result, indent=2) + "\n")
    rows = [
        ("Textual hello-world: launch to first frame (the floor)", "hello_world_first_frame"),
        ("cold (no server running): launch to first frame", "cold_first_frame"),
        ("cold: launch to usable dashboard (project list loaded)", "cold_usable"),
        ("again (second launch, same data dir): first frame", "again_first_frame"),
        ("again: launch to usable dashboard", "again_usable"),
    ]
    lines = [
        "# Terminal UI start-up\n",
        f"Machine: {result['machine']}. Command: `{result['command']}`. Each run: fresh data",
        "directory, the floor first, then a cold launch, then a second launch once the first",
        "UI has quit. Usable = the project list loaded from the server is on screen.\n",
        "| measure | median | worst |",
        "|---|---|---|",
    ]
    for label, key in rows:
        lines.append(f"| {label} | {result[key]['median_ms']} ms | {result[key]['worst_ms']} ms |")
    for label, key in (
        ("cold usable / floor (target 3)", "cold_usable_over_floor"),
        ("again usable / floor (target 1.5)", "again_usable_over_floor"),
    ):
        lines.append(f"| {label} | {result[key]['median']}x | {result[key]['worst']}x |")
    for label, key in (
        ("resident memory, UI process (target < 150 MiB)", "ui_rss"),
        ("resident memory, server process (0 when in the UI's process)", "server_rss"),
    ):
        size = result[key]
        lines.append(f"| {label} | {size['median_mib']} MiB | {size['worst_mib']} MiB |")
    (RESULTS / "tui_startup.md").write_text("\n".join(lines) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
