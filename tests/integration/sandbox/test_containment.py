"""Workspace code is hostile: each test attacks one boundary of the sandbox from inside it."""

from __future__ import annotations

import json
import os
import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from claude_tui.agent.sandbox import SandboxCommands
from claude_tui.sandbox.bwrap import SandboxUnavailableError, sandbox_status
from claude_tui.validation import SandboxRequiredError, validate_path
from claude_tui.validation.execution import SANDBOX_BWRAP, TestCommand, run_tests
from servers import require_sandbox, unavailable

SERVER_SECRETS = {
    "CLAUDE_TUI_DATABASE_URL": "postgresql://app:db-pass-123@127.0.0.1/app",
    "CLAUDE_TUI_REDIS_URL": "redis://:redis-pass-456@127.0.0.1:6379/0",
    "CLAUDE_TUI_BACKUP_KEY": "backup-key-789",
    "CLAUDE_TUI_SECRET_KEY_FILE": "/run/secrets/secret_key",
    "OTEL_EXPORTER_OTLP_HEADERS": "authorization=Bearer otlp-token-000",
    "AWS_SECRET_ACCESS_KEY": "aws-secret-111",
    "PYTHONPATH": "/somewhere/else",
}


@pytest.fixture
def sandboxed() -> None:
    usable, why = sandbox_status()
    if not usable:
        require_sandbox()  # the install line when bwrap is missing
        unavailable(f"bubblewrap cannot sandbox here: {why}")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A server data directory: a database, a secret key and two users' workspaces."""
    data = tmp_path / "data"
    for name in ("alice", "bob"):
        (data / "workspaces" / name).mkdir(parents=True)
    (data / "claude-tui.db").write_text("database")
    (data / "secret_key").write_text("signing-key")
    (data / "workspaces" / "bob" / ".env").write_text("BOB_TOKEN=bob-secret")
    return data


@pytest.fixture
def no_bwrap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A PATH on which bubblewrap does not exist (git, sh and python3 do)."""
    bin_dir = tmp_path / "bin-without-bwrap"
    bin_dir.mkdir()
    for tool in ("git", "sh", "python3"):
        found = next(
            (
                Path(p) / tool
                for p in os.environ["PATH"].split(os.pathsep)
                if (Path(p) / tool).exists()
            ),
            None,
        )
        if found is not None:
            os.symlink(found.resolve(), bin_dir / tool)
    monkeypatch.setenv("PATH", str(bin_dir))
    sandbox_status.cache_clear()
    yield
    sandbox_status.cache_clear()


def run_python(workspace: Path, code: str) -> str:
    result = run_tests(workspace, TestCommand((sys.executable, "-c", code), "configured"))
    assert result.sandbox == SANDBOX_BWRAP
    return result.output_tail


PROBE = """
import json, os, socket
out = {}
def attempt(name, action):
    try:
        out[name] = ("OPEN", str(action())[:80])
    except Exception as exc:
        out[name] = ("refused", type(exc).__name__)
attempt("data_db", lambda: open(%(db)r).read())
attempt("secret_key", lambda: open(%(key)r).read())
attempt("other_workspace", lambda: open(%(other)r).read())
attempt("data_listing", lambda: os.listdir(%(data)r))
attempt("run_secrets", lambda: os.listdir("/run/secrets"))
attempt("shadow", lambda: open("/etc/shadow").read())
attempt("root_home", lambda: os.listdir("/root/.ssh") if os.path.isdir("/root/.ssh") else 1/0)
attempt("server_environ", lambda: open("/proc/%(pid)d/environ").read())
def connect():
    s = socket.socket(); s.settimeout(2); s.connect(("127.0.0.1", %(port)d)); return "connected"
attempt("network", connect)
attempt("write_outside", lambda: open(%(outside)r, "w").write("x"))
attempt("own_workspace", lambda: open("mine.txt", "w").write("ok"))
cap = [l for l in open("/proc/self/status") if l.startswith("CapEff")][0].split()[1]
out["capabilities"] = cap
out["env"] = sorted(os.environ)
print("PROBE" + json.dumps(out))
"""


@pytest.mark.slow
def test_inside_the_sandbox_nothing_of_the_server_is_reachable(
    data_dir: Path, sandboxed: None
) -> None:
    workspace = data_dir / "workspaces" / "alice"
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        code = PROBE % {
            "db": str(data_dir / "claude-tui.db"),
            "key": str(data_dir / "secret_key"),
            "other": str(data_dir / "workspaces" / "bob" / ".env"),
            "data": str(data_dir),
            "pid": os.getpid(),
            "port": listener.getsockname()[1],
            "outside": str(data_dir / "planted.txt"),
        }
        output = run_python(workspace, code)
    probe = json.loads(output.split("PROBE", 1)[1])
    for attack in (
        "data_db",
        "secret_key",
        "other_workspace",
        "run_secrets",
        "shadow",
        "root_home",
        "server_environ",
        "network",
    ):
        assert probe[attack][0] == "refused", (attack, probe[attack])
    # The data directory shows nothing but the path down to this one workspace.
    assert tuple(probe["data_listing"]) in (
        ("OPEN", "['workspaces']"),
        ("refused", "FileNotFoundError"),
    )
    assert probe["own_workspace"][0] == "OPEN"
    assert (workspace / "mine.txt").read_text() == "ok"
    # A write beside the workspace lands in the sandbox's private /tmp, never on the server.
    assert not (data_dir / "planted.txt").exists()
    assert int(probe["capabilities"], 16) == 0


@pytest.mark.slow
def test_the_environment_is_an_allow_list(
    tmp_path: Path, sandboxed: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in SERVER_SECRETS.items():
        monkeypatch.setenv(name, value)
    output = run_python(tmp_path, "import os; print(sorted(os.environ.items()))")
    for name, value in SERVER_SECRETS.items():
        assert name not in output
        assert value not in output
    assert "'HOME', '/tmp'" in output
    assert "'PATH'" in output


@pytest.mark.slow
async def test_agent_commands_cannot_read_outside_the_workspace(
    data_dir: Path, sandboxed: None
) -> None:
    commands = SandboxCommands(data_dir / "workspaces" / "alice")
    text = await commands.run_command("cat ../bob/.env; cat ../../secret_key; env")
    assert "bob-secret" not in text
    assert "signing-key" not in text
    assert "No such file" in text


def test_without_bubblewrap_tests_are_refused(tmp_path: Path, no_bwrap: None) -> None:
    marker = tmp_path / "ran"
    command = TestCommand((sys.executable, "-c", f"open({str(marker)!r}, 'w')"), "configured")
    with pytest.raises(SandboxRequiredError, match="apt-get install bubblewrap"):
        run_tests(tmp_path, command)
    assert not marker.exists()


def test_without_bubblewrap_validation_refuses_unless_allowed(
    tmp_path: Path, no_bwrap: None
) -> None:
    project = tmp_path / "proj"
    (project / "tests").mkdir(parents=True)
    marker = tmp_path / "ran"
    (project / "tests" / "test_x.py").write_text(
        f"def test_x():\n    open({str(marker)!r}, 'w').close()\n"
    )
    with pytest.raises(SandboxRequiredError, match="bubblewrap"):
        validate_path(project, execute=True)
    assert not marker.exists()
    report = validate_path(project, execute=True, allow_unsandboxed=True)
    assert marker.exists()
    assert "execution.not-sandboxed" in [f.rule for f in report.findings]
    assert report.execution is not None
    assert report.execution.sandbox != SANDBOX_BWRAP


async def test_without_bubblewrap_the_agents_commands_are_refused(
    tmp_path: Path, no_bwrap: None
) -> None:
    marker = tmp_path / "ran"
    with pytest.raises(SandboxUnavailableError, match="bubblewrap"):
        await SandboxCommands(tmp_path).run_command(f"touch {marker}")
    assert not marker.exists()


def test_the_audit_runs_the_projects_interpreter_only_in_the_sandbox(
    tmp_path: Path, sandboxed: None
) -> None:
    from claude_tui.audit.environment import read_distributions

    bin_dir = tmp_path / "proj" / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    marker = tmp_path / "ran-on-the-server"
    python = bin_dir / "python"
    python.write_text(f"#!/bin/sh\ntouch {marker}\necho '[]'\n")
    python.chmod(0o755)
    assert read_distributions(python) == []
    assert not marker.exists()
