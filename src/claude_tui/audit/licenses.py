"""Licenses of the project's dependencies, normalised to SPDX and judged by the policy.

The dependencies are those installed in the project's own virtualenv or, without one, exactly
the versions its manifests and lockfiles pin, with licenses read offline from a directory of
package metadata or from the lockfile (npm). A pin whose license cannot be read is reported
"not checked", never as clean.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.parser import HeaderParser
from functools import lru_cache
from pathlib import Path
from typing import Any

from claude_tui.audit.dependencies import canonical_name, declared_name, project_python
from claude_tui.audit.environment import Distribution, EnvironmentReadError, read_distributions
from claude_tui.audit.manifests import NPM, PYPI, Package, pinned_packages
from claude_tui.audit.model import Finding, ScannerOutcome, Severity, Status
from claude_tui.audit.options import AuditOptions
from claude_tui.audit.policy import LicensePolicy
from claude_tui.audit.project import Project

SCANNER = "licenses"

# Trove classifiers ("License :: OSI Approved :: <name>") to SPDX identifiers.
CLASSIFIERS = {
    "MIT License": "MIT",
    "MIT No Attribution License (MIT-0)": "MIT-0",
    "Apache Software License": "Apache-2.0",
    "BSD License": "BSD-3-Clause",
    "ISC License (ISCL)": "ISC",
    "Python Software Foundation License": "PSF-2.0",
    "Mozilla Public License 2.0 (MPL 2.0)": "MPL-2.0",
    "Mozilla Public License 1.1 (MPL 1.1)": "MPL-1.1",
    "GNU General Public License v2 (GPLv2)": "GPL-2.0-only",
    "GNU General Public License v2 or later (GPLv2+)": "GPL-2.0-or-later",
    "GNU General Public License v3 (GPLv3)": "GPL-3.0-only",
    "GNU General Public License v3 or later (GPLv3+)": "GPL-3.0-or-later",
    "GNU General Public License (GPL)": "GPL-2.0-or-later",
    "GNU Lesser General Public License v2 (LGPLv2)": "LGPL-2.0-only",
    "GNU Lesser General Public License v2 or later (LGPLv2+)": "LGPL-2.0-or-later",
    "GNU Lesser General Public License v3 (LGPLv3)": "LGPL-3.0-only",
    "GNU Lesser General Public License v3 or later (LGPLv3+)": "LGPL-3.0-or-later",
    "GNU Library or Lesser General Public License (LGPL)": "LGPL-2.0-or-later",
    "GNU Affero General Public License v3": "AGPL-3.0-only",
    "GNU Affero General Public License v3 or later (AGPLv3+)": "AGPL-3.0-or-later",
    "Eclipse Public License 2.0 (EPL-2.0)": "EPL-2.0",
    "The Unlicense (Unlicense)": "Unlicense",
    "Academic Free License (AFL)": "AFL-3.0",
    "Zope Public License": "ZPL-2.1",
    "Historical Permission Notice and Disclaimer (HPND)": "HPND",
    "Boost Software License 1.0 (BSL-1.0)": "BSL-1.0",
    "zlib/libpng License": "Zlib",
    "Universal Permissive License (UPL)": "UPL-1.0",
    "CeCILL-B Free Software License Agreement (CECILL-B)": "CECILL-B",
    "European Union Public Licence 1.2 (EUPL 1.2)": "EUPL-1.2",
    "Public Domain": "LicenseRef-Public-Domain",
}

# Free-text License fields seen in the wild, lower-cased, to SPDX.
ALIASES = {
    "mit": "MIT",
    "mit license": "MIT",
    "the mit license": "MIT",
    "mit-cmu": "MIT-CMU",
    "bsd": "BSD-3-Clause",
    "bsd license": "BSD-3-Clause",
    "new bsd": "BSD-3-Clause",
    "new bsd license": "BSD-3-Clause",
    "3-clause bsd": "BSD-3-Clause",
    "3-clause bsd license": "BSD-3-Clause",
    "bsd 3-clause": "BSD-3-Clause",
    "bsd-3": "BSD-3-Clause",
    "modified bsd": "BSD-3-Clause",
    "simplified bsd": "BSD-2-Clause",
    "bsd 2-clause": "BSD-2-Clause",
    "bsd-2": "BSD-2-Clause",
    "apache": "Apache-2.0",
    "apache 2": "Apache-2.0",
    "apache 2.0": "Apache-2.0",
    "apache-2": "Apache-2.0",
    "apache license 2.0": "Apache-2.0",
    "apache license, version 2.0": "Apache-2.0",
    "apache software license": "Apache-2.0",
    "apache software license 2.0": "Apache-2.0",
    "asl 2": "Apache-2.0",
    "isc": "ISC",
    "isc license": "ISC",
    "psf": "PSF-2.0",
    "psfl": "PSF-2.0",
    "python software foundation license": "PSF-2.0",
    "mpl 2.0": "MPL-2.0",
    "mpl-2": "MPL-2.0",
    "gpl": "GPL-2.0-or-later",
    "gplv2": "GPL-2.0-only",
    "gplv2+": "GPL-2.0-or-later",
    "gplv3": "GPL-3.0-only",
    "gplv3+": "GPL-3.0-or-later",
    "lgpl": "LGPL-2.1-or-later",
    "lgplv2": "LGPL-2.0-only",
    "lgplv2+": "LGPL-2.1-or-later",
    "lgplv3": "LGPL-3.0-only",
    "lgplv3+": "LGPL-3.0-or-later",
    "agplv3": "AGPL-3.0-only",
    "agpl-3.0": "AGPL-3.0-only",
    "unlicense": "Unlicense",
    "public domain": "LicenseRef-Public-Domain",
    "zpl 2.1": "ZPL-2.1",
    "hpnd": "HPND",
}

# The first lines of common license texts, for distributions that ship only the file.
TEXT_SIGNATURES = (
    (re.compile(r"GNU AFFERO GENERAL PUBLIC LICENSE\s+Version 3", re.I), "AGPL-3.0-only"),
    (re.compile(r"GNU LESSER GENERAL PUBLIC LICENSE\s+Version 3", re.I), "LGPL-3.0-only"),
    (re.compile(r"GNU LESSER GENERAL PUBLIC LICENSE\s+Version 2\.1", re.I), "LGPL-2.1-only"),
    (re.compile(r"GNU (?:LIBRARY )?GENERAL PUBLIC LICENSE\s+Version 2", re.I), "GPL-2.0-only"),
    (re.compile(r"GNU GENERAL PUBLIC LICENSE\s+Version 3", re.I), "GPL-3.0-only"),
    (re.compile(r"Mozilla Public License,? Version 2\.0", re.I), "MPL-2.0"),
    (re.compile(r"Apache License\s+Version 2\.0", re.I), "Apache-2.0"),
    (re.compile(r"Permission is hereby granted, free of charge", re.I), "MIT"),
    (
        re.compile(r"Permission to use, copy, modify, and(?:/or)? distribute this software", re.I),
        "ISC",
    ),
    (
        re.compile(
            r"Redistribution and use in source and binary forms.*?Neither the name", re.I | re.S
        ),
        "BSD-3-Clause",
    ),
    (re.compile(r"Redistribution and use in source and binary forms", re.I), "BSD-2-Clause"),
    (re.compile(r"PYTHON SOFTWARE FOUNDATION LICENSE", re.I), "PSF-2.0"),
    (
        re.compile(r"This is free and unencumbered software released into the public domain", re.I),
        "Unlicense",
    ),
)
RANK = {"allow": 0, "review": 1, "deny": 2}


@lru_cache(maxsize=1)
def _licensing() -> Any:
    from license_expression import get_spdx_licensing  # type: ignore[import-untyped]

    return get_spdx_licensing()


@dataclass(frozen=True)
class LicenseInfo:
    """A distribution's license as an SPDX expression, and where that came from."""

    expression: str | None
    origin: str  # License-Expression, classifier, License field, license file


def _valid_spdx(text: str) -> str | None:
    licensing = _licensing()
    try:
        info = licensing.validate(text)
    except Exception:  # noqa: BLE001 - license_expression raises bare exception types
        return None
    if info.errors or not info.normalized_expression:
        return None
    return str(info.normalized_expression)


def _from_free_text(text: str) -> str | None:
    stripped = text.strip()
    if not stripped or stripped.upper() in ("UNKNOWN", "NONE", "OTHER"):
        return None
    if "\n" not in stripped and len(stripped) < 120:
        alias = ALIASES.get(stripped.lower().rstrip("."))
        if alias:
            return alias
        valid = _valid_spdx(stripped)
        if valid:
            return valid
    for pattern, spdx in TEXT_SIGNATURES:
        if pattern.search(stripped[:3000]):
            return spdx
    return None


def identify(dist: Distribution) -> LicenseInfo:
    """The best SPDX expression for ``dist``: declared expression, classifiers, field, text."""
    if dist.expression:
        valid = _valid_spdx(dist.expression)
        if valid:
            return LicenseInfo(valid, "License-Expression")
    from_classifiers = sorted(
        {
            CLASSIFIERS[c.rsplit(" :: ", 1)[-1]]
            for c in dist.classifiers
            if c.rsplit(" :: ", 1)[-1] in CLASSIFIERS
        }
    )
    field = _from_free_text(dist.license) if dist.license else None
    if field:
        return LicenseInfo(field, "License field")
    if from_classifiers:
        # Several license classifiers mean the user may choose among them.
        return LicenseInfo(" OR ".join(from_classifiers), "classifiers")
    for text in dist.texts:
        found = _from_free_text(text)
        if found:
            return LicenseInfo(found, "license file")
    return LicenseInfo(None, "none")


def judge(expression: str, policy: LicensePolicy) -> tuple[str, list[str]]:
    """The policy's verdict on an expression: OR takes the best choice, AND the worst part."""
    parsed = _licensing().parse(expression)

    def walk(node: Any) -> tuple[str, list[str]]:
        operator = getattr(node, "operator", None)
        if operator is None:
            key = str(getattr(node, "license_symbol", node).key)
            verdict = policy.verdict(key)
            return verdict, [key] if verdict != "allow" else []
        results = [walk(arg) for arg in node.args]
        if operator.strip() == "OR":
            return min(results, key=lambda r: RANK[r[0]])
        worst = max(results, key=lambda r: RANK[r[0]])
        return worst[0], [k for r in results for k in r[1]]

    return walk(parsed)


def _finding(
    dist: Distribution, policy: LicensePolicy, path: str | None, line: int | None
) -> Finding | None:
    info = identify(dist)
    props = {"package": dist.name, "version": dist.version, "origin": info.origin}
    if info.expression is None:
        return Finding(
            SCANNER,
            "license-unknown",
            policy.unknown,
            f"{dist.name} {dist.version}: license could not be identified",
            path=path,
            line=line,
            identity=dist.name.lower(),
            properties=props,
        )
    verdict, offending = judge(info.expression, policy)
    if verdict == "allow":
        return None
    severity = Severity.HIGH if verdict == "deny" else Severity.MEDIUM
    return Finding(
        SCANNER,
        f"license-{verdict}",
        severity,
        f"{dist.name} {dist.version}: {info.expression} ({', '.join(offending)} "
        f"{'denied' if verdict == 'deny' else 'needs review'} by the license policy)",
        path=path,
        line=line,
        identity=dist.name.lower(),
        properties={**props, "spdx": info.expression},
    )


def read_metadata_cache(directory: Path) -> dict[tuple[str, str], Distribution]:
    """Core-metadata files under ``directory``, by canonical name and version."""
    found: dict[tuple[str, str], Distribution] = {}
    for path in sorted(directory.rglob("*")):
        if not path.is_file() or not (
            path.suffix.lower() == ".metadata" or path.name in ("METADATA", "PKG-INFO")
        ):
            continue
        try:
            headers = HeaderParser().parsestr(path.read_text(encoding="utf-8", errors="replace"))
        except OSError:
            continue
        name, version = headers.get("Name"), headers.get("Version")
        if not name or not version:
            continue
        found[(canonical_name(PYPI, name), version)] = Distribution(
            name=name,
            version=version,
            expression=headers.get("License-Expression") or "",
            license=(headers.get("License") or "")[:3000],
            classifiers=tuple(
                c for c in headers.get_all("Classifier") or [] if c.startswith("License ::")
            ),
            texts=(),
        )
    return found


def _pinned_distribution(
    pin: Package, cache: dict[tuple[str, str], Distribution]
) -> Distribution | None:
    if pin.ecosystem == PYPI:
        return cache.get((canonical_name(PYPI, pin.name), pin.version))
    if pin.ecosystem == NPM and pin.license:
        return Distribution(pin.name, pin.version, pin.license, pin.license, (), ())
    return None


def _environment_findings(
    project: Project, python: Path, timeout: float
) -> tuple[list[Finding], int]:
    distributions = read_distributions(python, timeout)
    own = canonical_name(PYPI, declared_name(project) or "")
    findings = []
    for dist in distributions:
        if canonical_name(PYPI, dist.name) == own:
            continue
        finding = _finding(dist, project.policy.licenses, None, None)
        if finding is not None:
            findings.append(finding)
    return findings, len(distributions)


def scan(project: Project, options: AuditOptions) -> ScannerOutcome:
    """Judge the license of every dependency of the project (see the module's docstring)."""
    python = project_python(project, options)
    findings: list[Finding] = []
    checked: list[str] = []
    if python is not None:
        try:
            found, count = _environment_findings(project, python, options.tool_timeout)
        except EnvironmentReadError as exc:
            return ScannerOutcome(SCANNER, Status.FAILED, reason=str(exc))
        findings += found
        checked.append(f"{count} distributions of {python}")
    pins, _ = pinned_packages(project)
    # With a virtualenv, what is installed there is the truth for Python; other ecosystems
    # come from their lockfiles either way.
    unique = {
        (p.ecosystem, canonical_name(p.ecosystem, p.name), p.version): p
        for p in pins
        if python is None or p.ecosystem != PYPI
    }
    if python is None and not unique:
        return ScannerOutcome(
            SCANNER,
            Status.NOTHING_TO_SCAN,
            reason="no virtualenv of the project (.venv, venv or --python) and no pinned "
            "manifest or lockfile",
        )
    cache = read_metadata_cache(options.license_metadata) if options.license_metadata else {}
    unchecked: list[Package] = []
    for pin in unique.values():
        dist = _pinned_distribution(pin, cache)
        if dist is None:
            unchecked.append(pin)
            continue
        finding = _finding(dist, project.policy.licenses, pin.source, pin.line)
        if finding is not None:
            findings.append(finding)
    if unique:
        checked.append(f"{len(unique)} pinned packages")
    tool = "license-expression (SPDX)"
    if unchecked:
        where = (
            f"not in the metadata directory {options.license_metadata}"
            if options.license_metadata
            else "no package metadata offline (--license-metadata DIR)"
        )
        names = ", ".join(f"{p.name} {p.version}" for p in unchecked[:10])
        more = f" and {len(unchecked) - 10} more" if len(unchecked) > 10 else ""
        return ScannerOutcome(
            SCANNER,
            Status.NOT_CHECKED,
            findings,
            reason=f"{len(unchecked)} of {len(unique)} pinned packages not checked, {where}: "
            f"{names}{more}",
            tool=tool,
        )
    return ScannerOutcome(SCANNER, Status.COMPLETED, findings, reason="; ".join(checked), tool=tool)
