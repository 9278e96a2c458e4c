"""OSV advisories: ranges, version lists and ecosystems decide what is affected."""

from __future__ import annotations

from pathlib import Path

import pytest

from claude_tui.audit.dependencies import (
    Advisory,
    AdvisorySourceError,
    Package,
    compare_versions,
    load_advisories,
    match_offline,
)
from claude_tui.audit.model import Severity


def advisory(
    events: list[dict[str, str]], ecosystem: str = "PyPI", name: str = "Demo_Pkg", **extra: object
) -> Advisory:
    return Advisory.from_osv(
        {
            "id": "T-1",
            "summary": "s",
            "affected": [
                {
                    "package": {"ecosystem": ecosystem, "name": name},
                    "ranges": [{"type": "ECOSYSTEM", "events": events}],
                    **extra,
                }
            ],
        }
    )


@pytest.mark.parametrize(
    ("version", "affected"),
    [
        ("0.9", False),
        ("1.0", True),
        ("1.4.2", True),
        ("2.0", False),
        ("2.0.1", False),
        ("1.0rc1", False),
    ],
)
def test_introduced_and_fixed(version: str, affected: bool) -> None:
    adv = advisory([{"introduced": "1.0"}, {"fixed": "2.0"}])
    assert adv.affects(Package("PyPI", "demo-pkg", version, "requirements.txt")) is affected


def test_last_affected_is_inclusive() -> None:
    adv = advisory(
        [{"introduced": "0"}, {"last_affected": "1.3.0"}], ecosystem="npm", name="left-pad"
    )
    assert adv.affects(Package("npm", "left-pad", "1.3.0", "l"))
    assert not adv.affects(Package("npm", "left-pad", "1.3.1", "l"))
    assert not adv.affects(Package("PyPI", "left-pad", "1.0.0", "l"))


def test_several_ranges_in_one_advisory() -> None:
    adv = advisory(
        [{"introduced": "1.0"}, {"fixed": "1.2"}, {"introduced": "2.0"}, {"fixed": "2.1"}]
    )
    assert [
        adv.affects(Package("PyPI", "demo-pkg", v, "r")) for v in ("1.1", "1.5", "2.0.5", "2.1")
    ] == [
        True,
        False,
        True,
        False,
    ]


def test_explicit_versions_and_fixed_versions() -> None:
    adv = advisory([], versions=["0.5.1"])
    package = Package("PyPI", "demo.pkg", "0.5.1", "r")
    assert adv.affects(package)
    fixed = advisory([{"introduced": "0"}, {"fixed": "3.0"}])
    assert fixed.fixed_versions(package) == ["3.0"]


def test_semver_prereleases_sort_before_releases() -> None:
    assert compare_versions("npm", "1.0.0-rc.1", "1.0.0") == -1
    assert compare_versions("npm", "1.0.0-rc.2", "1.0.0-rc.10") == -1
    assert compare_versions("npm", "v2.0.0", "2.0.0") == 0
    assert compare_versions("PyPI", "not a version", "1.0") == -1


def test_severity_from_database_specific() -> None:
    assert (
        Advisory.from_osv({"id": "a", "database_specific": {"severity": "MODERATE"}}).severity
        is Severity.MEDIUM
    )
    assert Advisory.from_osv({"id": "a"}).severity is Severity.HIGH


def test_shipped_advisories_load_and_match(audit_fixtures: Path) -> None:
    advisories = load_advisories(audit_fixtures / "advisories")
    assert len(advisories) == 4
    hits = match_offline(
        [
            Package("PyPI", "Jinja2", "3.1.4", "requirements.txt"),
            Package("PyPI", "jinja2", "3.1.5", "requirements.txt"),
            Package("PyPI", "urllib3", "2.2.1", "requirements.txt"),
            Package("npm", "left-pad", "1.3.0", "package-lock.json"),
        ],
        advisories,
    )
    assert sorted((p.name, p.version, a.id) for p, a in hits) == [
        ("Jinja2", "3.1.4", "CTUI-TEST-2026-0001"),
        ("left-pad", "1.3.0", "CTUI-TEST-2026-0002"),
        ("urllib3", "2.2.1", "CTUI-TEST-2026-0003"),
    ]


@pytest.mark.parametrize(
    ("content", "message"), [(None, "does not exist"), ("{}", "not OSV JSON"), ("", "holds no OSV")]
)
def test_unusable_advisory_directories(tmp_path: Path, content: str | None, message: str) -> None:
    directory = tmp_path / "adv"
    if content is not None:
        directory.mkdir()
        if content:
            (directory / "x.json").write_text(content)
    with pytest.raises(AdvisorySourceError, match=message):
        load_advisories(directory)
