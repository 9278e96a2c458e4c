"""The exact package versions a project pins in its own manifests and lockfiles.

Each package carries the file and line that pin it, so a finding points at what to change.
Version ranges are not pins: they say nothing about what is installed, so they are skipped.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from claude_tui.audit.project import Project

PYPI = "PyPI"
NPM = "npm"
GO = "Go"
CRATES = "crates.io"
PIN_RE = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*===?\s*([^\s;#,]+)")
REQUIREMENTS_RE = re.compile(r"(^|/)(requirements[^/]*|constraints[^/]*)\.txt$")
GO_REQUIRE_RE = re.compile(r"^\s*(?:require\s+)?([\w.\-~/]+\.[\w.\-~/]+)\s+(v[\w.\-+]+)")


@dataclass(frozen=True)
class Package:
    """One package version and the file (and line) that brings it into the project."""

    ecosystem: str
    name: str
    version: str
    source: str
    line: int | None = None
    license: str | None = None  # what the lockfile itself declares (npm), if anything


class ManifestError(Exception):
    """A manifest or lockfile that cannot be parsed."""


def _line_of(lines: list[str], needle: str, start: int = 0) -> int | None:
    for index in range(start, len(lines)):
        if needle in lines[index]:
            return index + 1
    return None


def _requirements(text: str, rel: str) -> Iterator[Package]:
    for number, line in enumerate(text.splitlines(), start=1):
        match = PIN_RE.match(line)
        if match:
            yield Package(PYPI, match.group(1), match.group(2), rel, number)


def _pyproject(text: str, rel: str) -> Iterator[Package]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ManifestError(str(exc)) from exc
    project = data.get("project") or {}
    requirements = list(project.get("dependencies") or [])
    for extra in (project.get("optional-dependencies") or {}).values():
        requirements += list(extra or [])
    for group in (data.get("dependency-groups") or {}).values():
        requirements += [r for r in group or [] if isinstance(r, str)]
    lines = text.splitlines()
    for requirement in requirements:
        match = PIN_RE.match(str(requirement))
        if match:
            line = _line_of(lines, str(requirement))
            yield Package(PYPI, match.group(1), match.group(2), rel, line)


def _toml_packages(text: str, rel: str, ecosystem: str) -> Iterator[Package]:
    """``[[package]]`` tables of poetry.lock, uv.lock and Cargo.lock, with their lines.

    The project's own entries are left out: uv marks them editable or virtual, Cargo lists
    workspace members without a source.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ManifestError(str(exc)) from exc
    lines = text.splitlines()
    headers = [i for i, line in enumerate(lines) if line.strip() == "[[package]]"]
    for index, entry in enumerate(data.get("package") or []):
        name, version = entry.get("name"), entry.get("version")
        if not isinstance(name, str) or not isinstance(version, str):
            continue
        source = entry.get("source")
        if ecosystem == CRATES and source is None:
            continue
        if isinstance(source, dict) and ({"editable", "virtual"} & set(source)):
            continue
        start = headers[index] if index < len(headers) else 0
        line = _line_of(lines, f'name = "{name}"', start)
        yield Package(ecosystem, name, version, rel, line)


def _pipfile_lock(text: str, rel: str) -> Iterator[Package]:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ManifestError(str(exc)) from exc
    lines = text.splitlines()
    for section in ("default", "develop"):
        for name, meta in (data.get(section) or {}).items():
            version = str((meta or {}).get("version", ""))
            if version.startswith("=="):
                yield Package(PYPI, name, version[2:], rel, _line_of(lines, f'"{name}": {{'))


def _npm_lock(text: str, rel: str) -> Iterator[Package]:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ManifestError(str(exc)) from exc
    if not isinstance(data, dict):
        raise ManifestError("not a JSON object")
    lines = text.splitlines()
    packages = data.get("packages") or {}
    for key, meta in packages.items():
        if key and isinstance(meta, dict) and meta.get("version") and not meta.get("link"):
            name = meta.get("name") or key.rsplit("node_modules/", 1)[-1]
            license_ = meta.get("license")
            yield Package(
                NPM,
                name,
                meta["version"],
                rel,
                _line_of(lines, f'"{key}": {{'),
                license_ if isinstance(license_, str) else None,
            )

    def walk(deps: dict[str, Any]) -> Iterator[Package]:
        for name, meta in deps.items():
            if isinstance(meta, dict) and meta.get("version"):
                yield Package(NPM, name, meta["version"], rel, _line_of(lines, f'"{name}": {{'))
                yield from walk(meta.get("dependencies") or {})

    if not packages:
        yield from walk(data.get("dependencies") or {})


def _npm_spec_name(spec: str) -> str:
    """``@scope/name@^1`` or ``name@npm:^1`` to the package name."""
    head, at, _ = spec.rpartition("@")
    return head if at and head else spec


def _yarn_lock(text: str, rel: str) -> Iterator[Package]:
    """yarn.lock, classic (``version "1.2.3"``) and berry (``version: 1.2.3``)."""
    name: str | None = None
    header = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if line and not line[0].isspace() and line.rstrip().endswith(":"):
            first = line.rstrip()[:-1].split(",")[0].strip().strip('"')
            name = None if first == "__metadata" or "@workspace:" in first else first
            if name is not None:
                name = _npm_spec_name(name)
            header = number
            continue
        match = re.match(r'^\s+version:?\s+"?([^"\s]+)"?\s*$', line)
        if match and name is not None:
            yield Package(NPM, name, match.group(1), rel, header)
            name = None


def _pnpm_lock(text: str, rel: str) -> Iterator[Package]:
    """The ``packages:`` section of pnpm-lock.yaml (``name@1.2.3`` or ``/name/1.2.3`` keys)."""
    in_packages = False
    for number, line in enumerate(text.splitlines(), start=1):
        if line and not line[0].isspace():
            in_packages = line.rstrip() == "packages:"
            continue
        match = re.match(r"^  (['\"]?)(/?[^\s'\"]+?)\1:\s*$", line)
        if not in_packages or match is None:
            continue
        key = match.group(2).lstrip("/").split("(", 1)[0]
        if "@" in key[1:]:
            name, _, version = key.rpartition("@")
        else:
            name, _, version = key.rpartition("/")
        if name and version[:1].isdigit():
            yield Package(NPM, name, version, rel, number)


def _package_json(text: str, rel: str) -> Iterator[Package]:
    """Exact versions in a package.json that has no lockfile beside it."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ManifestError(str(exc)) from exc
    lines = text.splitlines()
    for section in ("dependencies", "devDependencies", "optionalDependencies"):
        for name, spec in ((data or {}).get(section) or {}).items():
            if isinstance(spec, str) and re.fullmatch(r"=?\d+\.\d+\.\d+(?:-[\w.]+)?", spec):
                line = _line_of(lines, f'"{name}"')
                yield Package(NPM, name, spec.lstrip("="), rel, line)


def _go_mod(text: str, rel: str) -> Iterator[Package]:
    in_block = False
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("//", 1)[0].strip()
        if line.startswith("require ("):
            in_block = True
            continue
        if in_block and line == ")":
            in_block = False
            continue
        if in_block or line.startswith("require "):
            match = GO_REQUIRE_RE.match(line)
            if match:
                yield Package(GO, match.group(1), match.group(2), rel, number)


Reader = Callable[[str, str], Iterator[Package]]
READERS: dict[str, Reader] = {
    "pyproject.toml": _pyproject,
    "poetry.lock": lambda text, rel: _toml_packages(text, rel, PYPI),
    "uv.lock": lambda text, rel: _toml_packages(text, rel, PYPI),
    "Pipfile.lock": _pipfile_lock,
    "package-lock.json": _npm_lock,
    "npm-shrinkwrap.json": _npm_lock,
    "yarn.lock": _yarn_lock,
    "pnpm-lock.yaml": _pnpm_lock,
    "go.mod": _go_mod,
    "Cargo.lock": lambda text, rel: _toml_packages(text, rel, CRATES),
}


def _reader(project: Project, rel: str) -> Reader | None:
    name = PurePosixPath(rel).name
    if REQUIREMENTS_RE.search(rel):
        return _requirements
    if name == "package.json":
        folder = PurePosixPath(rel).parent
        has_lock = any(
            (project.root / folder / lock).is_file()
            for lock in ("package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml")
        )
        return None if has_lock else _package_json
    return READERS.get(name)


def pinned_packages(project: Project) -> tuple[list[Package], list[str]]:
    """Every exact pin of the project's manifests and locks, and notes on unreadable ones."""
    packages: list[Package] = []
    notes: list[str] = []
    for rel in project.files:
        reader = _reader(project, rel)
        if reader is None:
            continue
        text = project.read_text(rel)
        if text is None:
            continue
        try:
            packages += list(reader(text, rel))
        except (ManifestError, AttributeError, TypeError) as exc:
            notes.append(f"{rel} could not be parsed: {exc}")
    return packages, notes
