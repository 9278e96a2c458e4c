"""The distributions installed in a Python environment, read by that environment's interpreter."""

from __future__ import annotations

import json
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path

from claude_tui.sandbox.bwrap import (
    SandboxSpec,
    SandboxUnavailableError,
    require_sandbox,
    sandbox_argv,
    sandbox_env,
)

# Runs inside the audited interpreter (any Python >= 3.8), so it uses only the standard library.
READ_DISTRIBUTIONS = r"""
import importlib.metadata as m, json
out = []
for d in m.distributions():
    md = d.metadata
    name = md.get("Name")
    if not name:
        continue
    texts = []
    for f in (d.files or []):
        base = f.name.upper()
        if base.startswith(("LICENSE", "LICENCE", "COPYING")) and len(texts) < 2:
            try:
                texts.append(f.read_text()[:1500])
            except Exception:
                pass
    out.append({
        "name": name, "version": d.version,
        "expression": md.get("License-Expression") or "",
        "license": (md.get("License") or "")[:3000],
        "classifiers": [c for c in (md.get_all("Classifier") or []) if c.startswith("License ::")],
        "texts": texts,
    })
print(json.dumps(out))
"""


class EnvironmentReadError(Exception):
    """The interpreter could not be run or printed something unreadable."""


def _contained(argv: list[str], python: Path) -> list[str]:
    """The project's interpreter is the project's code: it runs only in the sandbox."""
    if not python.exists():
        raise EnvironmentReadError(
            f"could not list the packages installed for {python}: no such interpreter"
        )
    try:
        require_sandbox(allow_unsandboxed=False)
    except SandboxUnavailableError as exc:
        raise EnvironmentReadError(
            f"the project's interpreter {python} was not run: {exc}"
        ) from exc
    venv = python.absolute().parent.parent
    return sandbox_argv(argv, SandboxSpec(workspace=venv, workspace_read_only=True))


@dataclass(frozen=True)
class Distribution:
    """One installed distribution and the license information it declares."""

    name: str
    version: str
    expression: str
    license: str
    classifiers: tuple[str, ...]
    texts: tuple[str, ...]


_cache: dict[Path, list[Distribution]] = {}
_lock = threading.Lock()


def read_distributions(python: Path, timeout: float = 120.0) -> list[Distribution]:
    """Every distribution of ``python``'s environment; read once per interpreter and process."""
    key = python.absolute()
    with _lock:
        if key in _cache:
            return _cache[key]
        try:
            run = subprocess.run(  # noqa: S603 - the project's interpreter with a fixed script
                _contained([str(python), "-I", "-c", READ_DISTRIBUTIONS], python),
                capture_output=True,
                timeout=timeout,
                check=True,
                env=sandbox_env(),
            )
            records = json.loads(run.stdout)
        except subprocess.CalledProcessError as exc:
            last = exc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
            raise EnvironmentReadError(f"{python} failed listing its packages: {last[0]}") from exc
        except (OSError, subprocess.SubprocessError, ValueError) as exc:
            raise EnvironmentReadError(
                f"could not list the packages installed for {python}: {exc}"
            ) from exc
        found = [
            Distribution(
                name=str(r["name"]),
                version=str(r["version"]),
                expression=str(r["expression"]),
                license=str(r["license"]),
                classifiers=tuple(r["classifiers"]),
                texts=tuple(r["texts"]),
            )
            for r in records
        ]
        unique = {(d.name.lower(), d.version): d for d in found}
        _cache[key] = sorted(unique.values(), key=lambda d: d.name.lower())
        return _cache[key]
