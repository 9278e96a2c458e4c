"""Terminal UI start-up: launch to first frame, launch to connected (embedded server
included), and the memory of the running app.

Run: ``.venv/bin/python benchmarks/tui/bench_tui_startup.py [--runs N]`` (needs tmux). The UI
runs in a detached tmux session at 120x40 with a fresh data directory per run; the screen is
read with ``capture-pane`` every 10 ms. Results go to benchmarks/results/tui_startup.json/.md.
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
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "benchmarks" / "results"
ENTRY = Path(sys.executable).with_name("claude-tui")


def _rss_kib(pid: int) -> int:
    """Resident memory of a process and its children (the UI is a child of tmux's shell)."""
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


def one_run() -> tuple[float, float, int]:
    with tempfile.TemporaryDirectory() as tmp:
        socket = Path(tmp) / "tmux.sock"
        session = f"bench-{uuid.uuid4().hex[:6]}"
        env = {k: v for k, v in os.environ.items() if not k.startswith("CLAUDE_TUI_")}
        env.update(CLAUDE_TUI_DATA_DIR=str(Path(tmp) / "data"), TERM="xterm-256color")
        tmux = ["tmux", "-S", str(socket)]
        start = time.perf_counter()
        subprocess.run(
            [*tmux, "new-session", "-d", "-s", session, "-x", "120", "-y", "40", str(ENTRY)],
            env=env,
            check=True,
        )
        first_frame = connected = None
        try:
            while connected is None:
                screen = subprocess.run(
                    [*tmux, "capture-pane", "-t", session, "-p"], capture_output=True, text=True
                ).stdout
                now = time.perf_counter() - start
                if first_frame is None and "Projects" in screen:
                    first_frame = now
                if "connected" in screen and "Connecting" not in screen:
                    connected = now
                if now > 60:
                    raise RuntimeError(f"the UI was not connected within 60 s:\n{screen}")
                time.sleep(0.01)
            time.sleep(1.0)  # let the first data load finish before reading memory
            pane_pid = int(
                subprocess.run(
                    [*tmux, "list-panes", "-t", session, "-F", "#{pane_pid}"],
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout.split()[0]
            )
            rss = _rss_kib(pane_pid)
        finally:
            subprocess.run([*tmux, "kill-server"], check=False)
    assert first_frame is not None
    return first_frame, connected, rss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    one_run()  # warm-up: byte-code compilation and page cache
    frames, connects, memory = [], [], []
    for _ in range(args.runs):
        frame, connected, rss = one_run()
        frames.append(frame)
        connects.append(connected)
        memory.append(rss)
    result = {
        "machine": (
            f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        ),
        "runs": args.runs,
        "first_frame_median_ms": round(statistics.median(frames) * 1000),
        "connected_median_ms": round(statistics.median(connects) * 1000),
        "rss_median_mib": round(statistics.median(memory) / 1024, 1),
        "target_first_frame_ms": 1000,
        "command": f"python benchmarks/tui/bench_tui_startup.py --runs {args.runs}",
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "tui_startup.json").write_text(json.dumps(result, indent=2) + "\n")
    (RESULTS / "tui_startup.md").write_text(
        "# Terminal UI start-up\n\n"
        f"Machine: {result['machine']}. Command: `{result['command']}`.\n\n"
        "| measure | median |\n|---|---|\n"
        f"| launch to first frame | {result['first_frame_median_ms']} ms (target < 1000 ms) |\n"
        f"| launch to connected (embedded server up, first data) | "
        f"{result['connected_median_ms']} ms |\n"
        f"| resident memory, UI with embedded server | {result['rss_median_mib']} MiB |\n"
    )
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
