"""Fixtures of the CI/CD tests: run the project's make targets and tools as CI does."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from servers import require_tool, unavailable

ROOT = Path(__file__).resolve().parents[3]
BIN = Path(sys.executable).parent


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def find_tool() -> Callable[[str], str]:
    """Path of a tool from the running environment (the venv) or PATH; unavailable if absent."""

    def find(name: str) -> str:
        candidate = BIN / name
        if candidate.exists():
            return str(candidate)
        found = shutil.which(name)
        if found is None:
            unavailable(f"{name} not installed: make dev-setup (or bash .ci/setup.d/70-cicd.sh)")
        return found

    return find


@pytest.fixture(scope="session")
def run_make() -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run ``make TARGET VAR=...`` in the repository with the running environment's tools.

    The venv stamp is never remade here: a test must not reinstall the shared environment
    because someone touched pyproject.toml.
    """
    require_tool("make", install="apt-get install make")

    def run(*args: str, timeout: float = 600, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "NO_COLOR": "1", "TERM": "dumb"}
        return subprocess.run(
            ["make", "--no-print-directory", "-o", ".venv/.installed", f"BIN={BIN}", *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
            check=False,
        )

    return run
