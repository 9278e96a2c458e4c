"""Claude Code as the backend, driven through the Claude Agent SDK against a scripted CLI."""

from __future__ import annotations

import asyncio
import json
import os
import stat
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from claude_tui.agent.claude_code import ClaudeCodeRun, find_claude_cli
from claude_tui.agent.git import TaskRepository
from claude_tui.agent.loop import LoopLimits
from claude_tui.agent.permissions import PermissionMode
from claude_tui.agent.providers import Budget, ProviderError
from claude_tui.agent.sandbox import EngineVerifier
from claude_tui.settings import Settings

STANDIN = Path(__file__).with_name("claude_standin.py")


@pytest.fixture
def claude_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[list[Any]], Path]:
    """``claude_cli(turns)`` installs the stand-in executable with that script."""

    def install(turns: list[Any]) -> Path:
        # The script and the argv log sit beside the CLI (tmp_path/standin), which a
        # sandboxed run is given as a writable path through agent_claude_paths.
        script = tmp_path / "standin" / "claude-script.json"
        script.parent.mkdir(exist_ok=True)
        script.write_text(json.dumps(turns))
        monkeypatch.setenv("CLAUDE_STANDIN_SCRIPT", str(script))
        executable = tmp_path / "standin" / "bin" / "claude"
        executable.parent.mkdir(exist_ok=True)
        executable.write_text(f"#!{sys.executable}\n" + STANDIN.read_text())
        executable.chmod(executable.stat().st_mode | stat.S_IXUSR)
        return executable

    return install


class Events:
    def __init__(self) -> None:
        self.items: list[tuple[str, dict[str, Any]]] = []

    async def __call__(self, kind: str, payload: dict[str, Any]) -> None:
        self.items.append((kind, payload))

    def kinds(self) -> list[str]:
        return [k for k, _ in self.items]


async def make_run(
    cli: Path, root: Path, events: Events, mode: PermissionMode = PermissionMode.AUTO
) -> ClaudeCodeRun:
    repo = TaskRepository(root, 5)
    await repo.start()
    return ClaudeCodeRun(
        str(cli),
        root,
        EngineVerifier(root),
        events,
        mode=mode,
        repo=repo,
        budget=Budget(),
        limits=LoopLimits(max_reflections=2, max_steps=10),
    )


@pytest.mark.sandbox
async def test_claude_code_result_is_verified_and_sent_back_when_tests_fail(
    tmp_path: Path,
    claude_cli: Callable[[list[Any]], Path],
    calc_project: Callable[[Path], Path],
) -> None:
    root = calc_project(tmp_path / "proj")
    cli = claude_cli(
        [
            {
                "steps": [
                    {"text": "Looking at calc.py"},
                    {"edit": {"path": "calc.py", "search": "a - b", "replace": "a * b"}},
                ],
                "result": "Fixed add, all tests pass",
                "cost": 0.02,
            },
            {
                "steps": [{"edit": {"path": "calc.py", "search": "a * b", "replace": "a + b"}}],
                "result": "Now really fixed",
                "cost": 0.01,
            },
        ]
    )
    events = Events()
    run = await make_run(cli, root, events)
    outcome = await run.run("Fix add so the tests pass")
    assert outcome.status == "succeeded", outcome.error
    assert outcome.reflections == 1
    assert outcome.verified_progress == 100.0
    assert (root / "calc.py").read_text() == "def add(a, b):\n    return a + b\n"
    assert run.budget.cost_usd == Decimal("0.03")
    assert run.budget.usage.input_tokens == 2400
    kinds = events.kinds()
    assert "tool_call" in kinds
    assert "tool_result" in kinds
    assert "reflection" in kinds
    argv = [
        json.loads(line)
        for line in Path(f"{tmp_path}/standin/claude-script.json.argv").read_text().splitlines()
    ]
    assert all("stream-json" in a for a in argv)
    assert argv[0][argv[0].index("--permission-mode") + 1] == "acceptEdits"
    assert any(arg.startswith("--resume=session-standin") for arg in argv[1]), argv[1]
    assert run.repo is not None
    steps = [s for _, s in await run.repo.steps()]
    assert steps == ["claude-tui task 5: claude-code: Now really fixed"]


@pytest.mark.sandbox
async def test_claude_code_claiming_success_on_failing_tests_ends_failed(
    tmp_path: Path,
    claude_cli: Callable[[list[Any]], Path],
    calc_project: Callable[[Path], Path],
) -> None:
    root = calc_project(tmp_path / "proj")
    turn = {"steps": [{"text": "All done!"}], "result": "Everything passes"}
    cli = claude_cli([turn, turn, turn])
    events = Events()
    outcome = await (await make_run(cli, root, events)).run("Fix add")
    assert outcome.status == "failed"
    assert "still fails validation" in (outcome.error or "")
    assert outcome.claimed_progress == 100.0
    assert outcome.verified_progress < 100.0


def test_ask_mode_is_not_offered_through_claude_code(tmp_path: Path) -> None:
    with pytest.raises(ProviderError, match="read-only or auto"):
        ClaudeCodeRun(
            "claude",
            tmp_path,
            EngineVerifier(tmp_path),
            Events(),
            mode=PermissionMode.ASK,
            repo=None,
            budget=Budget(),
            limits=LoopLimits(),
        )


def test_the_cli_is_found_only_where_it_exists(tmp_path: Path) -> None:
    assert find_claude_cli(str(tmp_path / "missing")) is None
    present = tmp_path / "claude"
    present.write_text("")
    assert find_claude_cli(str(present)) == str(present)


@pytest.fixture
def settings(
    make_settings: Callable[..., Settings],
    sqlite_url: str,
    tmp_path: Path,
    claude_cli: Callable[[list[Any]], Path],
) -> Settings:
    cli = claude_cli(
        [
            {
                "steps": [{"edit": {"path": "calc.py", "search": "a - b", "replace": "a + b"}}],
                "result": "Fixed",
                "cost": 0.5,
            },
        ]
    )
    return make_settings(
        database_url=sqlite_url,
        workspace_root=tmp_path / "workspaces",
        agent_provider="claude-code",
        agent_claude_cli=str(cli),
        agent_claude_env=["CLAUDE_STANDIN_SCRIPT"],
        agent_claude_paths=[tmp_path / "standin"],
    )


@pytest.mark.sandbox
async def test_a_task_delegated_to_claude_code_through_the_api(
    client: httpx.AsyncClient,
    admin_headers: dict[str, str],
    settings: Settings,
    calc_project: Callable[[Path], Path],
) -> None:
    project = await client.post(
        "/api/v1/projects",
        json={"name": "cc", "workspace_path": "cc", "settings": {"permission_mode": "auto"}},
        headers=admin_headers,
    )
    assert project.status_code == 201, project.text
    calc_project(settings.effective_workspace_root / "cc")
    created = await client.post(
        f"/api/v1/projects/{project.json()['id']}/agent-tasks",
        json={"instruction": "Fix add"},
        headers=admin_headers,
    )
    assert created.status_code == 201, created.text
    task_id = created.json()["id"]
    for _ in range(300):
        task = (await client.get(f"/api/v1/tasks/{task_id}", headers=admin_headers)).json()
        if task["status"] in ("succeeded", "failed", "cancelled"):
            break
        await asyncio.sleep(0.1)
    assert task["status"] == "succeeded", task["error"]
    assert task["verified_progress"] == 100.0
    assert float(task["cost_usd"]) == 0.5


async def test_the_cli_runs_in_the_sandbox_and_sees_nothing_of_the_server(
    tmp_path: Path,
    claude_cli: Callable[[list[Any]], Path],
    calc_project: Callable[[Path], Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from claude_tui.agent.claude_code import cli_sandbox
    from claude_tui.sandbox.bwrap import sandbox_status
    from servers import require_sandbox, unavailable

    if not sandbox_status()[0]:
        require_sandbox()  # the install line when bwrap is missing
        unavailable(f"bubblewrap cannot sandbox here: {sandbox_status()[1]}")
    monkeypatch.setenv("CLAUDE_TUI_BACKUP_KEY", "server-backup-key-7a6b")
    secret = tmp_path / "server-secret.txt"
    secret.write_text("server-file-secret-5c4d")
    root = calc_project(tmp_path / "ws")
    steps: list[dict[str, Any]] = [
        {"read": str(secret)},
        {"read": f"/proc/{os.getpid()}/environ"},
        {"read": "/proc/self/environ"},
        {"edit": {"path": "calc.py", "search": "a - b", "replace": "a + b"}},
    ]
    cli = claude_cli([{"steps": steps, "result": "Fixed", "cost": 0.01}])
    events = Events()
    run = await make_run(cli, root, events)
    run.sandbox = cli_sandbox(str(cli), root, ["CLAUDE_STANDIN_SCRIPT"], [tmp_path / "standin"])
    outcome = await run.run("Fix add")
    await run.aclose()
    shown = json.dumps(events.items)
    assert "server-file-secret" not in shown
    assert "server-backup-key" not in shown
    assert "FileNotFoundError" in shown
    assert outcome.status == "succeeded", outcome
    assert "a + b" in (root / "calc.py").read_text()
