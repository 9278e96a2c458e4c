"""How an audit run is asked for: which scanners, where advisories come from, history or not."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

OSV_URL = "https://api.osv.dev"


@dataclass(frozen=True)
class AuditOptions:
    """Choices of one run that are not part of the project's policy."""

    history: bool = False
    advisories: Path | None = None  # a directory of OSV JSON advisories: the offline source
    online: bool = True  # query OSV when no advisory directory is given
    osv_url: str = OSV_URL
    network_timeout: float = 20.0
    tool_timeout: float = 600.0
    # Secret engines besides our own rules: gitleaks when installed; detect-secrets' provider
    # plugins on request (they add providers, but cost several times the rest of the scan).
    secret_engines: tuple[str, ...] = ("gitleaks",)
    python: Path | None = None  # interpreter whose installed distributions are audited
    # Core-metadata files (``*.metadata``, as PyPI serves them) of pinned packages: where
    # licenses come from, offline, when the project has no virtualenv of its own.
    license_metadata: Path | None = None
    only: tuple[str, ...] = ()  # run only these scanners (empty: all)
    # Merge the allow-list of the audited repository's own .gitleaks.toml (never its rules).
    respect_repo_config: bool = False
