"""Start-up stays small: what ``claude-tui --help`` and a server up to /ready import.

Timing start-up in a test would be flaky on a shared machine; the modules loaded are not.
Each test runs the real entry point with ``python -X importtime`` and reads which modules it
imported. A heavy import that creeps back into these paths (a model SDK, the validation engine
for --help, pydantic for --help...) fails here, with the chain that pulled it in.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx

from servers import free_port

ENTRY = Path(sys.executable).with_name("claude-tui")
_LINE = re.compile(r"^import time:\s+\d+ \|\s+\d+ \|(?P<indent>\s*)(?P<module>\S+)$")

# Not needed to print the help: the settings machinery, the database, the web stack, the agent.
HELP_MUST_NOT_IMPORT = {
    "pydantic",
    "pydantic_settings",
    "sqlalchemy",
    "fastapi",
    "httpx",
    "anthropic",
    "openai",
    "textual",
    "claude_tui.validation",
    "claude_tui.audit",
}
# Not needed by a server without a model provider, Redis or trace exporter until first use.
SERVER_MUST_NOT_IMPORT = {
    "anthropic",
    "openai",
    "claude_agent_sdk",
    "taskiq",
    "redis",
    "limits",
    "textual",
    "tree_sitter",
    "copier",
    "mcp",
    "opentelemetry.instrumentation.sqlalchemy",
    "opentelemetry.instrumentation.httpx",
    "opentelemetry.exporter.otlp.proto.http.trace_exporter",
}


def _imports(stderr: str) -> list[tuple[str, int, list[str]]]:
    """Each import line: the module, its depth, and the chain of modules that imported it."""
    lines = [m for m in map(_LINE.match, stderr.splitlines()) if m]
    found = []
    # importtime prints a module after its own imports, children indented deeper.
    for index, match in enumerate(lines):
        depth = own_depth = len(match["indent"])
        chain = [match["module"]]
        for later in lines[index + 1 :]:
            if len(later["indent"]) < depth:
                chain.append(later["module"])
                depth = len(later["indent"])
        found.append((match["module"], own_depth, chain))
    return found


def _offenders(imported: list[tuple[str, int, list[str]]], banned: set[str]) -> list[str]:
    """Each banned package imported, shown by the chain of its outermost import."""
    offenders = []
    for package in sorted(banned):
        hits = [
            (depth, chain)
            for module, depth, chain in imported
            if module == package or module.startswith(package + ".")
        ]
        if hits:
            offenders.append(" <- ".join(min(hits, key=lambda hit: hit[0])[1]))
    return offenders


def _env(tmp_path: Path) -> dict[str, str]:
    """No model provider, Redis or trace exporter: the server's optional parts are off."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("CLAUDE_TUI_", "ANTHROPIC_", "OPENAI_"))
    }
    env["CLAUDE_TUI_DATA_DIR"] = str(tmp_path / "data")
    env["CLAUDE_TUI_LOG_LEVEL"] = "WARNING"
    return env


def test_help_imports_no_heavy_module(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", str(ENTRY), "--help"],
        capture_output=True,
        text=True,
        env=_env(tmp_path),
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Usage" in result.stdout
    imported = _imports(result.stderr)
    assert any(m == "claude_tui.cli" for m, _, _ in imported), "importtime output not understood"
    offenders = _offenders(imported, HELP_MUST_NOT_IMPORT)
    assert not offenders, "--help imports:\n" + "\n".join(offenders)


def test_server_reaches_ready_without_optional_heavy_modules(tmp_path: Path) -> None:
    env = _env(tmp_path)
    subprocess.run([str(ENTRY), "db", "upgrade"], env=env, check=True, capture_output=True)
    port = free_port()
    stderr_file = tmp_path / "stderr.txt"
    with stderr_file.open("w") as stderr:
        proc = subprocess.Popen(
            [sys.executable, "-X", "importtime", str(ENTRY), "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(f"http://127.0.0.1:{port}/ready", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                assert proc.poll() is None, stderr_file.read_text()[-2000:]
                assert time.monotonic() < deadline, "the server was not ready within 60 s"
                time.sleep(0.05)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    imported = _imports(stderr_file.read_text())
    assert any(m == "claude_tui.api.app" for m, _, _ in imported), "importtime not understood"
    offenders = _offenders(imported, SERVER_MUST_NOT_IMPORT)
    assert not offenders, "the server imports before /ready:\n" + "\n".join(offenders)
