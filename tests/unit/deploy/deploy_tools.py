"""Where the deployment checkers are: the tools venv of .ci/setup.d/40-containers.sh first."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from servers import unavailable

ROOT = Path(__file__).resolve().parents[3]
TOOLS = Path(os.environ.get("CLAUDE_TUI_K8S_TOOLS", "/opt/claude-tui/k8s-tools")) / "bin"


def tool(name: str) -> str:
    """The path of a checker, or skip (fail in CI) when it is not installed."""
    for directory in (TOOLS, Path(sys.executable).parent):
        if (directory / name).exists():
            return str(directory / name)
    found = shutil.which(name)
    if found is None:
        unavailable(f"{name} not installed: bash .ci/setup.d/40-containers.sh")
    return found
