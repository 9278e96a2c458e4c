"""The deploy analysis from Prometheus: a real `claude-tui serve`, a real Prometheus scraping it
every second (labelled as the green colour), and the engine's analysis querying Prometheus."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml

from claude_tui.ops.deploy.engine import analyse
from claude_tui.ops.deploy.environments import Environment, load_file
from monitoring_stack import _Process
from servers import free_port, require_tool, wait_for_port

pytestmark = [pytest.mark.monitoring, pytest.mark.slow]

CLI = str(Path(sys.executable).parent / "claude-tui")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, int, Path]]:
    env = {**os.environ, "CLAUDE_TUI_DATA_DIR": str(tmp_path / "data"), "NO_COLOR": "1"}
    env.pop("CLAUDE_TUI_DATABASE_URL", None)
    subprocess.run([CLI, "db", "upgrade"], env=env, check=True, capture_output=True, timeout=120)
    port = free_port()
    process = subprocess.Popen(
        [CLI, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, timeout=60)
        yield f"http://127.0.0.1:{port}", port, tmp_path / "data" / "claude-tui.db"
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture
def prometheus(server: tuple[str, int, Path], tmp_path: Path) -> Iterator[str]:
    require_tool("prometheus", install="apt-get install prometheus")
    port = free_port()
    config = {
        "global": {"scrape_interval": "1s", "scrape_timeout": "1s"},
        "scrape_configs": [
            {
                "job_name": "claude-tui-api",
                "static_configs": [
                    {"targets": [f"127.0.0.1:{server[1]}"], "labels": {"colour": "green"}},
                    # The same server once more, as the colour a release is compared with.
                    {"targets": [f"127.0.0.1:{server[1]}"], "labels": {"colour": "old"}},
                ],
            }
        ],
    }
    workdir = tmp_path / "prometheus"
    workdir.mkdir()
    (workdir / "prometheus.yml").write_text(yaml.safe_dump(config))
    process = _Process(
        "prometheus",
        [
            "prometheus",
            f"--config.file={workdir / 'prometheus.yml'}",
            f"--storage.tsdb.path={workdir / 'tsdb'}",
            f"--web.listen-address=127.0.0.1:{port}",
        ],
        port,
        workdir,
    )
    try:
        _wait_for_scrapes(process.url)
        yield process.url
    finally:
        process.stop()


def _wait_for_scrapes(prometheus_url: str, timeout: float = 30.0) -> None:
    """Until Prometheus has scraped the server twice: before that, a window has no samples."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        answer = httpx.get(
            f"{prometheus_url}/api/v1/query",
            params={"query": 'count_over_time(up{job="claude-tui-api"}[1m])'},
            timeout=5,
        ).json()
        result = answer.get("data", {}).get("result", [])
        if len(result) == 2 and all(float(r["value"][1]) >= 2 for r in result):
            return
        time.sleep(0.5)
    raise AssertionError(f"Prometheus at {prometheus_url} did not scrape the server")


def environment(tmp_path: Path, prometheus_url: str, gates: str = "") -> Environment:
    path = tmp_path / "prom.toml"
    path.write_text(
        f"""
target = "compose"
[gates]
analysis_paths = ["/health", "/ready"]
analysis_rate = 20
min_requests = 20
prometheus_url = "{prometheus_url}"
prometheus_scrape_interval = 2
prometheus_selector = 'job="claude-tui-api",colour="{{colour}}"'
{gates}
[compose]
project = "demo"
files = ["compose.yaml"]
active_url = "http://127.0.0.1:9"
preview_url = "http://127.0.0.1:9"
state_dir = "state"
""",
        encoding="utf-8",
    )
    return load_file(path)


def test_the_analysis_reads_success_rate_and_p99_from_prometheus(
    server: tuple[str, int, Path], prometheus: str, tmp_path: Path
) -> None:
    url, _, database = server
    env = environment(tmp_path, prometheus)
    healthy = analyse(env, url, 6, "green")
    assert healthy.ok, healthy.problems
    assert healthy.requests >= 20
    assert healthy.errors == 0
    assert healthy.p99_ms is not None
    assert healthy.p99_ms < 500
    # Another colour's series: nothing there, so too few requests.
    blue = analyse(env, url, 2, "blue")
    assert blue.problems == ["only 0 requests in the window (at least 20)"]
    # The database goes away: /ready answers 503 for half of the probes.
    database.unlink()
    broken = analyse(env, url, 6, "green")
    assert not broken.ok
    assert broken.success_rate is not None
    assert broken.success_rate < 0.9
    assert broken.problems[0].startswith("success rate ")


def test_after_the_switch_prometheus_compares_the_new_colour_with_the_old_one(
    server: tuple[str, int, Path], prometheus: str, tmp_path: Path
) -> None:
    url = server[0]
    # A floor no real answer stays under: only the comparison with the old colour can pass.
    gates = "max_p99_ms = 0.001\nmin_latency_samples = 20\nmax_p99_ratio = 5"
    env = environment(tmp_path, prometheus, gates)
    alone = analyse(env, url, 6, "green")
    assert not alone.ok
    assert alone.problems[0].endswith("above 0 ms")
    compared = analyse(env, url, 6, "green", (url, "old"))
    assert compared.baseline is not None
    assert compared.baseline.colour == "old"
    assert compared.baseline.requests >= 20
    assert compared.baseline.p99_ms is not None
    # One server behind both series (scraped at different instants): within 5x.
    assert compared.ok, compared.problems
