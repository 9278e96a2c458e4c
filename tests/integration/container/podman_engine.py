"""The podman command line as the container tier uses it, and what a build produced."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
CONTAINERS_CONF = ROOT / "deploy" / "docker" / "containers.conf"
# Figures the tests of the tier measured (name -> one line), printed after the run.
TIER_RESULTS: dict[str, str] = {}


@dataclass(frozen=True)
class Podman:
    """The podman command line with this project's containers.conf."""

    env: dict[str, str]

    def run(
        self, *args: str, check: bool = True, timeout: float = 120
    ) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            ["podman", *args],
            capture_output=True,
            text=True,
            env=self.env,
            timeout=timeout,
            check=False,
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"podman {' '.join(args[:3])} failed ({result.returncode}): {result.stderr[-2000:]}"
            )
        return result


@dataclass(frozen=True)
class BuiltImage:
    tag: str
    revision: str
    size_bytes: int
