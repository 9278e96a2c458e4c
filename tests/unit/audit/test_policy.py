"""The policy file: its fields, its mistakes reported by name, ignores with expiry."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from claude_tui.audit.model import Finding, Severity
from claude_tui.audit.policy import (
    DEFAULT_REQUIRED,
    LicensePolicy,
    PolicyError,
    load_policy,
    path_matches,
)


def write_policy(root: Path, text: str) -> Path:
    path = root / ".claude-tui" / "audit.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def finding(rule: str = "B602", path: str | None = "src/app.py", **props: str) -> Finding:
    return Finding("code.bandit", rule, Severity.HIGH, "m", path=path, line=3, properties=props)


def test_defaults_without_a_policy_file(tmp_path: Path) -> None:
    policy = load_policy(tmp_path)
    assert policy.fail_on is Severity.HIGH
    assert policy.required == DEFAULT_REQUIRED
    assert policy.source is None


def test_full_policy_is_read(tmp_path: Path) -> None:
    source = write_policy(
        tmp_path,
        """
fail_on = "medium"
[paths]
exclude = ["vendor/**"]
[scanners]
required = ["secrets"]
disabled = ["infra"]
[licenses]
deny = ["AGPL-*"]
review = []
allow = ["GPL-2.0-only"]
unknown = "medium"
[[ignore]]
rule = "B6*"
path = "src/**"
reason = "fixed argument lists"
expires = 2030-01-01
""",
    )
    policy = load_policy(tmp_path)
    assert policy.source == source
    assert policy.fail_on is Severity.MEDIUM
    assert policy.excluded("vendor/lib/x.py")
    assert not policy.excluded("src/vendor.py")
    assert policy.disabled == ("infra",)
    assert policy.licenses.unknown is Severity.MEDIUM
    today = dt.date(2029, 12, 31)
    assert policy.ignore_for(finding(), today) is not None
    assert policy.ignore_for(finding(path="tests/x.py"), today) is None
    assert policy.ignore_for(finding(), dt.date(2030, 1, 2)) is None
    assert [i.rule for i in policy.expired_ignores(dt.date(2030, 1, 2))] == ["B6*"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('fail_on = "severe"', "unknown severity 'severe'"),
        ("colour = 1", "unknown key(s) colour"),
        ('[scanners]\nrequired = ["virus"]', "unknown scanner 'virus'"),
        ('[[ignore]]\nrule = "B101"', "ignore #1 (B101) needs a reason"),
        ('[[ignore]]\nreason = "x"', "ignore #1 needs a rule"),
        ('[[ignore]]\nrule = "B1"\nreason = "r"\nexpires = "soon"', "expires is not a date"),
        ('[[ignore]]\nrule = "B1"\nreason = "r"\nwhere = "x"', "unknown key(s) where"),
        ("[paths]\nexclude = 3", "paths.exclude must be a list of strings"),
        ("paths = 3", "[paths] must be a table"),
        ("fail_on = [", "cannot be read"),
    ],
)
def test_mistakes_name_the_field(tmp_path: Path, text: str, message: str) -> None:
    write_policy(tmp_path, text)
    with pytest.raises(
        PolicyError, match=message.replace("[", r"\[").replace("(", r"\(").replace(")", r"\)")
    ):
        load_policy(tmp_path)


def test_explicit_policy_file_must_exist(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="does not exist"):
        load_policy(tmp_path, tmp_path / "nope.toml")


def test_ignore_by_package_for_license_findings(tmp_path: Path) -> None:
    write_policy(
        tmp_path,
        '[[ignore]]\nrule = "license-deny"\npackage = "YamlLint"\nreason = "dev tool"\n',
    )
    policy = load_policy(tmp_path)
    today = dt.date.today()
    lic = Finding(
        "licenses", "license-deny", Severity.HIGH, "m", properties={"package": "yamllint"}
    )
    other = Finding("licenses", "license-deny", Severity.HIGH, "m", properties={"package": "x"})
    assert policy.ignore_for(lic, today) is not None
    assert policy.ignore_for(other, today) is None


@pytest.mark.parametrize(
    ("path", "pattern", "expected"),
    [
        ("tests/fixtures/a/b.py", "tests/fixtures/**", True),
        ("tests/fixtures", "tests/fixtures/**", False),
        ("tests/fixtures/x.py", "tests/fixtures/", True),
        ("src/a.py", "*.py", True),
        ("src/a.pyc", "*.py", False),
    ],
)
def test_path_patterns(path: str, pattern: str, expected: bool) -> None:
    assert path_matches(path, pattern) is expected


def test_license_verdicts() -> None:
    policy = LicensePolicy(allow=("LGPL-2.1-or-later",))
    assert policy.verdict("AGPL-3.0-only") == "deny"
    assert policy.verdict("LGPL-3.0-only") == "review"
    assert policy.verdict("LGPL-2.1-or-later") == "allow"
    assert policy.verdict("MIT") == "allow"
