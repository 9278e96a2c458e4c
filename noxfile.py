"""The test matrix across Python versions: ``make ci-matrix`` (``nox``).

Each session installs the project with its dev extra under the pinned constraints into its
own environment, then runs the tests. Pythons missing on the machine are reported and
skipped; CI's matrix in .github/workflows/ci.yml covers all four.
``make ci-matrix NOX_ARGS='-- tests/unit'`` passes pytest arguments through.
"""

from __future__ import annotations

import os
from pathlib import Path

import nox

PYTHONS = ["3.11", "3.12", "3.13", "3.14"]


def _expose_pyenv_pythons() -> None:
    """Put pyenv's installed interpreters on PATH: its shims answer only for the active one."""
    versions = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    found = sorted(versions.glob("3.1[1-4].*/bin"), reverse=True) if versions.is_dir() else []
    if found:
        os.environ["PATH"] = os.pathsep.join([*map(str, found), os.environ.get("PATH", "")])


_expose_pyenv_pythons()

nox.options.sessions = ["tests"]
nox.options.reuse_venv = "yes"
# Under build/ (ignored by git, removed by make clean) rather than a new top-level folder.
nox.options.envdir = "build/nox"
nox.options.error_on_missing_interpreters = False


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    """Run the tests (all tiers unless pytest arguments are given) on one Python."""
    session.install("-c", "requirements/constraints.txt", "-e", ".[dev]")
    args = session.posargs or ["-n", "auto", "-p", "no:cacheprovider"]
    session.run("python", "-m", "pytest", *args, env={"PYTHONDONTWRITEBYTECODE": "1"})
