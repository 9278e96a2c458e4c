"""Fingerprints survive line moves; the baseline and inline comments accept findings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claude_tui.audit.model import Finding, Severity, assign_fingerprints
from claude_tui.audit.policy import Policy
from claude_tui.audit.project import Project
from claude_tui.audit.suppression import Baseline, BaselineError, inline_allowed


def make(
    line: int, identity: str = "subprocess.call(cmd, shell=True)", rule: str = "B602"
) -> Finding:
    return Finding(
        "code.bandit", rule, Severity.HIGH, "m", path="a.py", line=line, identity=identity
    )


def test_fingerprint_ignores_the_line_number() -> None:
    (before,) = assign_fingerprints([make(10)])
    (after,) = assign_fingerprints([make(42)])
    assert before.fingerprint == after.fingerprint
    assert len(before.fingerprint) == 32


def test_identical_findings_in_one_file_get_distinct_fingerprints() -> None:
    first, second = assign_fingerprints([make(30), make(10)])
    assert first.line == 10
    assert first.fingerprint != second.fingerprint
    # Moving both keeps both fingerprints.
    moved = assign_fingerprints([make(11), make(31)])
    assert [f.fingerprint for f in moved] == [first.fingerprint, second.fingerprint]


def test_a_different_rule_or_content_changes_the_fingerprint() -> None:
    base = assign_fingerprints([make(1)])[0].fingerprint
    assert assign_fingerprints([make(1, rule="B603")])[0].fingerprint != base
    assert assign_fingerprints([make(1, identity="other()")])[0].fingerprint != base


def test_baseline_round_trip(tmp_path: Path) -> None:
    findings = assign_fingerprints([make(1), make(2, identity="x")])
    target = tmp_path / "sub" / "baseline.json"
    Baseline.write(target, findings)
    loaded = Baseline.load(target)
    assert loaded.fingerprints == {f.fingerprint for f in findings}
    assert json.loads(target.read_text())["findings"][0]["rule"] == "B602"


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "does not exist"), ("{", "cannot be read"), ('{"version": 9}', "not a claude-tui")],
)
def test_bad_baselines_are_refused(tmp_path: Path, content: str | None, message: str) -> None:
    path = tmp_path / "b.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(BaselineError, match=message):
        Baseline.load(path)


@pytest.mark.parametrize(
    ("lines", "rule", "allowed"),
    [
        (["x = call()  # ctui-audit: allow"], "B602", True),
        (["x = call()  # ctui-audit: allow B602, B603 -- reviewed"], "B602", True),
        (["x = call()  # ctui-audit: allow B603"], "B602", False),
        (["# ctui-audit: allow B602", "x = call()"], "B602", True),
        (["y = 1  # ctui-audit: allow B602", "x = call()"], "B602", False),
        (["x = call()"], "B602", False),
    ],
)
def test_inline_allow_comments(tmp_path: Path, lines: list[str], rule: str, allowed: bool) -> None:
    (tmp_path / "a.py").write_text("\n".join(lines) + "\n")
    project = Project.open(tmp_path, Policy())
    finding = make(len(lines), rule=rule)
    assert inline_allowed(project, finding, {}) is allowed


def test_other_scanners_allow_comments_count_for_secrets(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(
        'key = "..."  # gitleaks:allow\nk2 = "..."  # pragma: allowlist secret\n'
    )
    project = Project.open(tmp_path, Policy())
    for line in (1, 2):
        secret = Finding("secrets", "github-token", Severity.HIGH, "m", path="a.py", line=line)
        assert inline_allowed(project, secret, {})
    code = Finding("code.bandit", "B105", Severity.LOW, "m", path="a.py", line=1)
    assert not inline_allowed(project, code, {})


def test_findings_from_history_or_without_a_line_are_never_inline_allowed(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("x  # ctui-audit: allow\n")
    project = Project.open(tmp_path, Policy())
    history = Finding(
        "secrets", "jwt", Severity.HIGH, "m", path="a.py", line=1, properties={"commit": "ab"}
    )
    nowhere = Finding("licenses", "license-deny", Severity.HIGH, "m")
    beyond = Finding("secrets", "jwt", Severity.HIGH, "m", path="a.py", line=5)
    assert not any(inline_allowed(project, f, {}) for f in (history, nowhere, beyond))
