"""Vulnerable dependency versions, matched against OSV advisories.

The packages are the exact pins of the project's own manifests and lockfiles (Python, npm, Go,
Rust) and, when the project has its own virtualenv, the distributions installed there; never
those of the environment the audit runs in. Advisories come from a
directory of OSV JSON files (``--advisories``, the offline source) or from the OSV service.
When neither can be read the scanner says "not checked": an unreachable source is never
reported as "no vulnerabilities".
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cmp_to_key
from pathlib import Path
from typing import Any

from packaging.version import InvalidVersion, Version

from claude_tui.audit.environment import EnvironmentReadError, read_distributions
from claude_tui.audit.manifests import NPM, PYPI, Package, pinned_packages
from claude_tui.audit.model import Finding, ScannerOutcome, Severity, Status
from claude_tui.audit.options import AuditOptions
from claude_tui.audit.project import Project

SCANNER = "dependencies"
__all__ = ["NPM", "PYPI", "Package", "collect_packages", "project_python", "scan"]
OSV_SEVERITY = {
    "LOW": Severity.LOW,
    "MODERATE": Severity.MEDIUM,
    "MEDIUM": Severity.MEDIUM,
    "HIGH": Severity.HIGH,
    "CRITICAL": Severity.CRITICAL,
}


class AdvisorySourceError(Exception):
    """The advisories could not be read or the advisory service could not be reached."""


def canonical_name(ecosystem: str, name: str) -> str:
    """PyPI names compare case- and separator-insensitively (PEP 503); npm names exactly."""
    return re.sub(r"[-_.]+", "-", name).lower() if ecosystem == PYPI else name


@dataclass
class Advisory:
    """The parts of an OSV record that matching and reporting need."""

    id: str
    summary: str
    severity: Severity
    affected: list[dict[str, Any]] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)

    @classmethod
    def from_osv(cls, record: dict[str, Any]) -> Advisory:
        if not isinstance(record.get("id"), str):
            raise ValueError("OSV record without an id")
        return cls(
            id=record["id"],
            summary=str(record.get("summary") or record.get("details", "")[:120] or record["id"]),
            severity=_osv_severity(record),
            affected=list(record.get("affected") or []),
            aliases=[str(a) for a in record.get("aliases") or []],
        )

    def fixed_versions(self, package: Package) -> list[str]:
        fixed = []
        for entry in self._entries_for(package):
            for rng in entry.get("ranges") or []:
                fixed += [e["fixed"] for e in rng.get("events", []) if "fixed" in e]
        return fixed

    def _entries_for(self, package: Package) -> Iterator[dict[str, Any]]:
        for entry in self.affected:
            pkg = entry.get("package") or {}
            if pkg.get("ecosystem") == package.ecosystem and canonical_name(
                package.ecosystem, str(pkg.get("name", ""))
            ) == canonical_name(package.ecosystem, package.name):
                yield entry

    def affects(self, package: Package) -> bool:
        """Whether ``package``'s version is listed or falls in an affected range."""
        for entry in self._entries_for(package):
            if package.version in (entry.get("versions") or []):
                return True
            for rng in entry.get("ranges") or []:
                if rng.get("type") in ("ECOSYSTEM", "SEMVER") and _in_range(
                    package.ecosystem, package.version, rng.get("events") or []
                ):
                    return True
        return False


def _osv_severity(record: dict[str, Any]) -> Severity:
    specific = record.get("database_specific") or {}
    label = str(specific.get("severity", "")).upper()
    if label in OSV_SEVERITY:
        return OSV_SEVERITY[label]
    # A known vulnerability of unstated severity is treated as serious until triaged.
    return Severity.HIGH


def _semver_key(version: str) -> tuple[Any, ...]:
    core, _, pre = version.lstrip("v").partition("-")
    core = core.split("+", 1)[0]
    numbers = tuple(int(p) if p.isdigit() else 0 for p in [*core.split("."), "0", "0"][:3])
    # A prerelease sorts before its release (1.0.0-rc.1 < 1.0.0).
    pre_key: tuple[Any, ...] = (
        (1,) if not pre else (0, *((0, int(x)) if x.isdigit() else (1, x) for x in pre.split(".")))
    )
    return (*numbers, pre_key)


def compare_versions(ecosystem: str, left: str, right: str) -> int:
    """-1, 0 or 1 like a classic comparator, with the ecosystem's ordering."""
    if ecosystem == PYPI:
        try:
            a, b = Version(left), Version(right)
        except InvalidVersion:
            a_s, b_s = _semver_key(left), _semver_key(right)
            return (a_s > b_s) - (a_s < b_s)
        return (a > b) - (a < b)
    a_k, b_k = _semver_key(left), _semver_key(right)
    return (a_k > b_k) - (a_k < b_k)


def _in_range(ecosystem: str, version: str, events: list[dict[str, str]]) -> bool:
    """Walk OSV range events in version order: introduced opens, fixed/last_affected close."""

    def event_version(e: dict[str, str]) -> str:
        return next(iter(e.values()))

    def order(a: dict[str, str], b: dict[str, str]) -> int:
        va, vb = event_version(a), event_version(b)
        if va == "0":
            return -1 if vb != "0" else 0
        if vb == "0":
            return 1
        return compare_versions(ecosystem, va, vb)

    affected = False
    for event in sorted(events, key=cmp_to_key(order)):
        if "introduced" in event:
            v = event["introduced"]
            if v == "0" or compare_versions(ecosystem, version, v) >= 0:
                affected = True
        elif "fixed" in event:
            if compare_versions(ecosystem, version, event["fixed"]) >= 0:
                affected = False
        elif (
            "last_affected" in event
            and compare_versions(ecosystem, version, event["last_affected"]) > 0
        ):
            affected = False
    return affected


def load_advisories(directory: Path) -> list[Advisory]:
    """Every OSV record under ``directory`` (files holding one record or a list of them)."""
    if not directory.is_dir():
        raise AdvisorySourceError(f"advisory directory {directory} does not exist")
    advisories = []
    for path in sorted(directory.rglob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            records = data if isinstance(data, list) else [data]
            advisories += [Advisory.from_osv(r) for r in records]
        except (OSError, ValueError, TypeError, AttributeError) as exc:
            raise AdvisorySourceError(f"advisory file {path} is not OSV JSON: {exc}") from exc
    if not advisories:
        raise AdvisorySourceError(f"advisory directory {directory} holds no OSV records")
    return advisories


def project_python(project: Project, options: AuditOptions) -> Path | None:
    """The interpreter of the project's own virtualenv, if it has one (or ``--python``).

    Never the interpreter the audit runs in: a project that shares a distribution name with
    one of the audit's own dependencies would otherwise be judged on the audit's packages.
    """
    if options.python is not None:
        return options.python
    for candidate in (".venv/bin/python", "venv/bin/python", ".venv/Scripts/python.exe"):
        path = project.root / candidate
        if path.exists():
            return path
    return None


def declared_name(project: Project) -> str | None:
    """The distribution name in the project's pyproject.toml, if any."""
    try:
        data = tomllib.loads((project.root / "pyproject.toml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    name = data.get("project", {}).get("name")
    return name if isinstance(name, str) else None


def collect_packages(project: Project, options: AuditOptions) -> tuple[list[Package], list[str]]:
    """Every package version of the project, and notes on what was looked at."""
    packages, notes = pinned_packages(project)
    if packages:
        plural = "s" if len(packages) != 1 else ""
        notes.insert(0, f"{len(packages)} pin{plural} in manifests and lockfiles")
    python = project_python(project, options)
    if python is not None:
        try:
            installed = read_distributions(python)
        except EnvironmentReadError as exc:
            raise AdvisorySourceError(str(exc)) from exc
        own = canonical_name(PYPI, declared_name(project) or "")
        packages += [
            Package(PYPI, d.name, d.version, f"installed ({python})")
            for d in installed
            if canonical_name(PYPI, d.name) != own
        ]
        notes.append(f"{len(installed)} installed Python distributions")
    # A pin in a manifest is reported at its file and line, ahead of the same installed version.
    unique: dict[tuple[str, str, str], Package] = {}
    for package in packages:
        unique.setdefault(
            (package.ecosystem, canonical_name(package.ecosystem, package.name), package.version),
            package,
        )
    return list(unique.values()), notes


def match_offline(
    packages: Iterable[Package], advisories: list[Advisory]
) -> list[tuple[Package, Advisory]]:
    """Pairs of a package and an advisory that affects its version."""
    index: dict[tuple[str, str], list[Advisory]] = {}
    for advisory in advisories:
        for entry in advisory.affected:
            pkg = entry.get("package") or {}
            key = (
                str(pkg.get("ecosystem")),
                canonical_name(str(pkg.get("ecosystem")), str(pkg.get("name"))),
            )
            index.setdefault(key, []).append(advisory)
    hits = []
    for package in packages:
        key = (package.ecosystem, canonical_name(package.ecosystem, package.name))
        seen: set[str] = set()
        for advisory in index.get(key, []):
            if advisory.id not in seen and advisory.affects(package):
                seen.add(advisory.id)
                hits.append((package, advisory))
    return hits


def query_osv(
    packages: list[Package], base_url: str, timeout: float
) -> list[tuple[Package, Advisory]]:
    """Ask the OSV service which advisories affect each package version."""
    import httpx

    base = base_url.rstrip("/")
    hits: list[tuple[Package, Advisory]] = []
    cache: dict[str, Advisory] = {}
    try:
        with httpx.Client(timeout=timeout) as client:
            for start in range(0, len(packages), 500):
                chunk = packages[start : start + 500]
                body = {
                    "queries": [
                        {
                            "package": {"ecosystem": p.ecosystem, "name": p.name},
                            "version": p.version,
                        }
                        for p in chunk
                    ]
                }
                response = client.post(f"{base}/v1/querybatch", json=body)
                response.raise_for_status()
                results = response.json().get("results", [])
                if len(results) != len(chunk):
                    raise AdvisorySourceError(
                        f"OSV at {base} answered {len(results)} results for {len(chunk)} queries"
                    )
                for package, result in zip(chunk, results, strict=True):
                    for vuln in result.get("vulns") or []:
                        vid = str(vuln["id"])
                        if vid not in cache:
                            detail = client.get(f"{base}/v1/vulns/{vid}")
                            detail.raise_for_status()
                            cache[vid] = Advisory.from_osv(detail.json())
                        hits.append((package, cache[vid]))
    except httpx.HTTPError as exc:
        raise AdvisorySourceError(f"OSV at {base} could not be reached: {exc}") from exc
    except (ValueError, KeyError, TypeError) as exc:
        raise AdvisorySourceError(f"OSV at {base} answered something unreadable: {exc}") from exc
    return hits


def scan(project: Project, options: AuditOptions) -> ScannerOutcome:
    """Check the project's packages against advisories; "not checked" when none can be read."""
    try:
        packages, notes = collect_packages(project, options)
    except AdvisorySourceError as exc:
        return ScannerOutcome(SCANNER, Status.FAILED, reason=str(exc))
    if not packages:
        return ScannerOutcome(
            SCANNER,
            Status.NOTHING_TO_SCAN,
            reason="no virtualenv of the project and no pinned manifest or lockfile found",
        )
    try:
        if options.advisories is not None:
            hits = match_offline(packages, load_advisories(options.advisories))
            tool = f"OSV advisories in {options.advisories}"
        elif options.online:
            hits = query_osv(packages, options.osv_url, options.network_timeout)
            tool = f"OSV service {options.osv_url}"
        else:
            return ScannerOutcome(
                SCANNER,
                Status.NOT_CHECKED,
                reason=f"{len(packages)} packages not checked: offline and no --advisories given",
            )
    except AdvisorySourceError as exc:
        return ScannerOutcome(
            SCANNER,
            Status.NOT_CHECKED,
            reason=f"{len(packages)} packages not checked: {exc}",
        )
    findings = []
    for package, advisory in hits:
        fixed = advisory.fixed_versions(package)
        fix = f"; fixed in {', '.join(fixed)}" if fixed else "; no fixed version"
        key_name = canonical_name(package.ecosystem, package.name)
        findings.append(
            Finding(
                scanner=SCANNER,
                rule_id=advisory.id,
                severity=advisory.severity,
                message=f"{package.name} {package.version} ({package.ecosystem}): "
                f"{advisory.summary}{fix}",
                path=package.source if not package.source.startswith("installed") else None,
                line=package.line,
                identity=f"{package.ecosystem}:{key_name}:{package.version}",
                help_uri=f"https://osv.dev/vulnerability/{advisory.id}",
                properties={
                    "package": package.name,
                    "version": package.version,
                    "ecosystem": package.ecosystem,
                    "source": package.source,
                    "aliases": advisory.aliases,
                    "fixed": fixed,
                },
            )
        )
    return ScannerOutcome(
        SCANNER,
        Status.COMPLETED,
        findings,
        reason="; ".join([*notes, f"{len(packages)} package versions checked"]),
        tool=tool,
    )
