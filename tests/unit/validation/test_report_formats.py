"""Report model, SARIF 2.1.0 (schema-valid, stable fingerprints), JUnit, progress scoring."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from claude_tui.validation import (
    Check,
    ExecutionResult,
    Finding,
    ProgressClaim,
    Severity,
    TestCounts,
    ValidationReport,
    score_progress,
    to_sarif,
    validate_path,
)
from claude_tui.validation.junit import JUnitError, parse_junit

SCHEMA = json.loads((Path(__file__).parent / "sarif-schema-2.1.0.json").read_text())
STUBBY = "import os\n\n\ndef load(path):\n    pass\n\n\ndef save(path):\n    pass\n"


def test_sarif_is_valid_against_the_schema(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(STUBBY + "import nosuchpkgxyz\n")
    (tmp_path / "b.js").write_text("function f( {\n")
    report = validate_path(tmp_path)
    sarif = to_sarif(report)
    jsonschema.validate(sarif, SCHEMA)
    results = sarif["runs"][0]["results"]
    assert {r["ruleId"] for r in results} >= {
        "placeholder.stub-body",
        "imports.unresolved",
        "syntax.error",
    }
    assert all(r["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1 for r in results)


def test_fingerprints_survive_unrelated_line_moves(tmp_path: Path) -> None:
    target = tmp_path / "a.py"
    target.write_text(STUBBY)
    before = to_sarif(validate_path(tmp_path))["runs"][0]["results"]
    target.write_text('"""Module doc."""\n\nVALUE = 1\n\n' + STUBBY)
    after = to_sarif(validate_path(tmp_path))["runs"][0]["results"]
    key = "claudeTuiValidation/v1"
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in after] != [
        r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in before
    ]
    assert [r["partialFingerprints"][key] for r in after] == [
        r["partialFingerprints"][key] for r in before
    ]
    assert len({r["partialFingerprints"][key] for r in after}) == len(after)


def test_json_report_round_trips_findings() -> None:
    finding = Finding(Check.NAMES, "names.undefined", Severity.HIGH, "m", "a.py", 3, 4, "x = y")
    assert Finding.from_dict(finding.to_dict()) == finding
    report = ValidationReport(root=".", findings=[finding])
    data = report.to_dict()
    assert data["counts"]["high"] == 1
    assert data["findings"][0]["fingerprint"] == finding.fingerprint(0)


def test_junit_counts(tmp_path: Path) -> None:
    xml = tmp_path / "junit.xml"
    xml.write_text(
        '<?xml version="1.0"?><testsuites><testsuite name="s">'
        '<testcase name="a"/><testcase name="b"><failure message="x"/></testcase>'
        '<testcase name="c"><error message="y"/></testcase>'
        '<testcase name="d"><skipped/></testcase><testcase name="e"/>'
        "</testsuite></testsuites>"
    )
    assert parse_junit(xml) == TestCounts(passed=2, failed=1, errors=1, skipped=1)
    xml.write_text("<html></html>")
    with pytest.raises(JUnitError):
        parse_junit(xml)
    xml.write_text("not xml")
    with pytest.raises(JUnitError):
        parse_junit(xml)


def _report(findings: list[Finding], counts: TestCounts | None = None) -> ValidationReport:
    execution = None
    if counts is not None:
        exit_code = 0 if counts.failed == counts.errors == 0 else 1
        execution = ExecutionResult(("pytest",), "bwrap", exit_code, 1.0, counts)
    return ValidationReport(root=".", findings=findings, execution=execution)


def test_honest_claim_scores_full_authenticity() -> None:
    claim = ProgressClaim(files_done=("a.py", "b.py"), tests_passing=4, percent_complete=50)
    result = score_progress(claim, _report([], TestCounts(passed=4)), ["a.py", "b.py"])
    assert result.authenticity == 1.0
    assert result.verified_percent == 50
    assert result.deductions == ()


def test_every_point_lost_has_a_reason() -> None:
    stub = Finding(Check.PLACEHOLDERS, "placeholder.stub-body", Severity.HIGH, "stub", "b.py", 5)
    claim = ProgressClaim(files_done=("a.py", "b.py", "c.py", "d.py"), tests_passing=10)
    report = _report([stub], TestCounts(passed=5, failed=5))
    result = score_progress(claim, report, ["a.py", "b.py", "c.py"])
    reasons = " | ".join(d.reason for d in result.deductions)
    assert "d.py is claimed done but does not exist" in reasons
    assert "b.py is claimed done but has placeholder.stub-body" in reasons
    assert "10 passing tests claimed, 5 passed" in reasons
    assert result.authenticity == pytest.approx(0.0)
    assert result.claimed_percent == 100
    assert result.verified_percent == pytest.approx(100 * 0.5 * 0.5)


def test_claimed_tests_without_a_run_lose_points() -> None:
    result = score_progress(ProgressClaim(tests_passing=3), _report([]))
    assert result.authenticity == 0.75
    assert "no test run verified it" in result.deductions[0].reason


@pytest.mark.parametrize(
    "data",
    [{"files_done": "a.py"}, {"tests_passing": -1}, {"percent_complete": 150}],
)
def test_bad_claims_are_rejected(data: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="must be"):
        ProgressClaim.from_dict(data)
