"""`claude-tui deploy` and `rollback` as a user runs them: bad input is one line and exit 2;
the dry run and the read-only actions work on an environment that has never been deployed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

CLI = str(Path(sys.executable).parent / "claude-tui")

ENVIRONMENT = """
target = "compose"
confirm = true
[gates]
analysis_window = 5
[compose]
project = "demo"
files = ["compose.yaml"]
active_url = "http://127.0.0.1:9"
preview_url = "http://127.0.0.1:9"
state_dir = "state"
"""


@pytest.fixture
def environments(tmp_path: Path) -> Path:
    folder = tmp_path / "environments"
    folder.mkdir()
    (folder / "demo.toml").write_text(ENVIRONMENT, encoding="utf-8")
    (folder / "broken.toml").write_text("target = [\n", encoding="utf-8")
    (folder / "invalid.toml").write_text(ENVIRONMENT.replace("confirm = true", "replicas = -1"))
    return folder


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [CLI, *args],
        capture_output=True,
        text=True,
        input=stdin,
        timeout=60,
        check=False,
        env={**os.environ, "NO_COLOR": "1"},
    )


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("deploy", "nowhere", "--image", "x"), "unknown environment 'nowhere'"),
        (("deploy", "broken", "--image", "x"), "broken.toml: not valid TOML"),
        (("deploy", "invalid", "--image", "x"), "invalid.toml: replicas: Input should be"),
        (("deploy", "demo"), "missing --image"),
        (("deploy", "demo", "--image", " "), "missing --image"),
        (("deploy", "demo", "--image", "x", "--strategy", "canary"), "unknown strategy 'canary'"),
        (("deploy", "demo", "--image", "x", "--target", "k8s"), "there is no [k8s] table"),
        (("deploy", "demo", "--image", "x", "--commit-time", "yesterday"), "--commit-time"),
        (("deploy", "history"), "deploy history needs an environment"),
        (("deploy", "status", "nowhere"), "unknown environment 'nowhere'"),
        (("rollback", "broken"), "broken.toml: not valid TOML"),
        # Production-like environments ask; without a terminal the answer is --yes.
        (("deploy", "demo", "--image", "x"), "demo asks for confirmation: pass --yes"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    environments: Path, args: tuple[str, ...], expected: str
) -> None:
    result = run(*args, "--environments", str(environments))
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("claude-tui: ")
    assert expected in lines[0]
    assert "Traceback" not in result.stderr


def test_dry_run_prints_the_plan_and_changes_nothing(environments: Path) -> None:
    result = run(
        "deploy", "demo", "--image", "img:2", "--dry-run", "--environments", str(environments)
    )
    assert result.returncode == 0, result.stderr
    assert "dry run: deploy img:2 to demo (nothing is changed)" in result.stdout
    assert "live traffic on nothing yet; the new release goes to blue" in result.stdout
    assert "analysis for 5s: success >= 99%, p99 <= 500 ms" in result.stdout
    assert not (environments / "state").exists()


def test_read_only_actions_on_an_environment_never_deployed(environments: Path) -> None:
    where = ("--environments", str(environments))
    history = run("deploy", "history", "demo", *where)
    assert history.returncode == 0, history.stderr
    assert history.stdout.strip() == "no deploys recorded for demo"
    status = run("deploy", "status", "demo", "--json", *where)
    assert status.returncode == 0, status.stderr
    data = json.loads(status.stdout)
    assert data["active"] is None
    assert data["colours"] == {}
    assert "error" in data["health"]
    stats = run("deploy", "stats", "demo", *where)
    assert stats.returncode == 0, stats.stderr
    assert "change failure rate" in stats.stdout


def test_rollback_without_a_deploy_is_one_line_and_exit_1(environments: Path) -> None:
    result = run("rollback", "demo", "--yes", "--environments", str(environments))
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stderr.strip() == (
        "claude-tui: rollback of demo failed: nothing is deployed: there is nothing to roll back"
    )
