from __future__ import annotations

import subprocess

from .platform import default_shell, quote_arg


def run_in_shell(program: str, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    command = " ".join([program, *(quote_arg(a) for a in args)])
    return subprocess.run([*default_shell(), command], capture_output=True, text=True, timeout=timeout)
