"""Shell conventions that differ between Windows and POSIX."""
from __future__ import annotations

import os
import shlex
import subprocess
import sys

__all__ = ["default_shell", "quote_arg"]

if sys.platform == "win32":

    def default_shell() -> list[str]:
        return [os.environ.get("COMSPEC", "cmd.exe"), "/d", "/c"]

    def quote_arg(arg: str) -> str:
        return subprocess.list2cmdline([arg])

else:

    def default_shell() -> list[str]:
        return [os.environ.get("SHELL", "/bin/sh"), "-c"]

    def quote_arg(arg: str) -> str:
        return shlex.quote(arg)
