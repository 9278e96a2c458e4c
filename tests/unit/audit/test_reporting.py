"""Report formats: SARIF valid against the 2.1.0 schema, one run per scanner; JSON, text, MD."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest

from claude_tui.audit.model import Finding, ScannerOutcome, Severity, Status, assign_fingerprints
from claude_tui.audit.reporting import render_json, render_markdown, render_sarif, render_text
from claude_tui.audit.runner import AuditReport


@pytest.fixture
def report(tmp_path: Path) -> AuditReport:
    secrets = ScannerOutcome(
        "secrets",
        Status.COMPLETED,
        assign_fingerprints(
            [
                Finding(
                    "secrets",
                    "github-token",
                    Severity.HIGH,
                    "GitHub token: ghp_********",
                    path="dir with space/a.py",
                    line=3,
                    column=5,
                    identity="d1",
                ),
                Finding(
                    "secrets",
                    "jwt",
                    Severity.MEDIUM,
                    "JSON Web Token: eyJ********",
                    path="b.py",
                    line=1,
                    identity="d2",
                ),
            ]
        ),
        tool="claude-tui rules",
    )
    licenses = ScannerOutcome(
        "licenses",
        Status.COMPLETED,
        assign_fingerprints(
            [
                Finding(
                    "licenses",
                    "license-unknown",
                    Severity.LOW,
                    "x 1.0: license could not be identified",
                    identity="x",
                )
            ]
        ),
    )
    deps = ScannerOutcome("dependencies", Status.NOT_CHECKED, reason="OSV could not be reached")
    semgrep = ScannerOutcome(
        "code.semgrep", Status.NOT_RUN, reason="semgrep is not installed", required=False
    )
    return AuditReport(
        project=tmp_path,
        fail_on=Severity.HIGH,
        outcomes=[secrets, licenses, deps, semgrep],
        started=dt.datetime(2026, 11, 27, tzinfo=dt.UTC),
        duration_seconds=1.5,
    )


def test_sarif_is_valid_and_has_one_run_per_scanner(
    report: AuditReport, audit_fixtures: Path
) -> None:
    schema = json.loads((audit_fixtures / "sarif-schema-2.1.0.json").read_text())
    sarif = json.loads(render_sarif(report))
    jsonschema.validate(sarif, schema)
    assert sarif["version"] == "2.1.0"
    assert [r["tool"]["driver"]["name"] for r in sarif["runs"]] == [
        "claude-tui-audit/secrets",
        "claude-tui-audit/licenses",
        "claude-tui-audit/dependencies",
        "claude-tui-audit/code.semgrep",
    ]
    first = sarif["runs"][0]["results"][0]
    assert first["level"] == "error"
    token = next(f for f in report.outcomes[0].findings if f.rule_id == "github-token")
    assert first["ruleId"] == "github-token"
    assert first["partialFingerprints"]["claudeTuiAudit/v1"] == token.fingerprint
    assert (
        first["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        == "dir%20with%20space/a.py"
    )
    deps_run = sarif["runs"][2]
    assert deps_run["invocations"][0]["executionSuccessful"] is False
    assert (
        "OSV could not be reached"
        in deps_run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"]
    )


def test_sarif_fingerprints_are_stable_between_renderings(report: AuditReport) -> None:
    assert render_sarif(report) == render_sarif(report)


def test_json_report(report: AuditReport) -> None:
    data = json.loads(render_json(report))
    assert data["verdict"] == "incomplete"
    assert data["exit_code"] == 2
    assert [s["status"] for s in data["scanners"]] == [
        "completed",
        "completed",
        "not checked",
        "not run",
    ]
    assert data["findings"][0]["rule"] == "github-token"
    assert data["scanners"][0]["counts"]["high"] == 1


def test_text_report_names_what_was_not_checked(report: AuditReport) -> None:
    text = render_text(report)
    assert "dependencies: not checked - OSV could not be reached" in text
    assert "code.semgrep: not run - semgrep is not installed" in text
    assert "not run (optional)" in text
    assert "[high] dir with space/a.py:3 github-token" in text
    assert text.rstrip().splitlines()[-1].startswith("Result: INCOMPLETE")


def test_markdown_report(report: AuditReport) -> None:
    md = render_markdown(report)
    assert md.startswith("## Security audit: incomplete")
    assert "| secrets | completed | 0 | 1 | 1 | 0 | 0 |" in md
    assert "- **high** `dir with space/a.py:3` github-token" in md
    assert "- `dependencies`: not checked - OSV could not be reached" in md


def test_exit_codes(report: AuditReport) -> None:
    assert report.exit_code == 2
    report.outcomes[2].status = Status.COMPLETED
    assert report.exit_code == 1  # the optional semgrep being absent does not block
    report.fail_on = Severity.CRITICAL
    assert report.exit_code == 0
