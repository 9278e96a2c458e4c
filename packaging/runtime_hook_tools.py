"""PyInstaller runtime hook: the tools bundled under ``bin/`` are found on PATH.

The validation engine runs ruff as a separate program, looked up beside the interpreter or on
PATH; in the one-file executable it is unpacked with the program instead.
"""

import os
import sys

bundled = os.path.join(getattr(sys, "_MEIPASS", ""), "bin")
if os.path.isdir(bundled):
    os.environ["PATH"] = os.pathsep.join([bundled, os.environ.get("PATH", "")])
