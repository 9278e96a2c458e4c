"""SARIF 2.1.0 output with stable fingerprints (they survive unrelated line moves)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from claude_tui.validation.model import ENGINE_VERSION, Severity, ValidationReport

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "claudeTuiValidation/v1"
_LEVELS = {
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}


def to_sarif(report: ValidationReport) -> dict[str, Any]:
    """The report as a SARIF 2.1.0 log with one run."""
    rules: dict[str, int] = {}
    rule_objects: list[dict[str, Any]] = []
    results: list[dict[str, Any]] = []
    for finding, fingerprint in zip(report.findings, report.fingerprints(), strict=True):
        if finding.rule not in rules:
            rules[finding.rule] = len(rule_objects)
            rule_objects.append(
                {
                    "id": finding.rule,
                    "name": finding.rule.replace(".", "-"),
                    "shortDescription": {"text": f"{finding.check.value}: {finding.rule}"},
                    "defaultConfiguration": {"level": _LEVELS[finding.severity]},
                    "properties": {"check": finding.check.value},
                }
            )
        location: dict[str, Any] = {
            "physicalLocation": {
                "artifactLocation": {"uri": finding.path or ".", "uriBaseId": "SRCROOT"},
                "region": {
                    "startLine": max(1, finding.line),
                    "startColumn": max(1, finding.column),
                },
            }
        }
        results.append(
            {
                "ruleId": finding.rule,
                "ruleIndex": rules[finding.rule],
                "level": _LEVELS[finding.severity],
                "message": {"text": finding.message},
                "locations": [location],
                "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
                "properties": {"severity": finding.severity.value, "check": finding.check.value},
            }
        )
    notifications = [
        {
            "level": "error",
            "message": {"text": f"{failure.check.value} could not run: {failure.reason}"},
            "descriptor": {"id": f"{failure.check.value}.not-run"},
        }
        for failure in report.failures
    ]
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "claude-tui-validate",
                        "version": ENGINE_VERSION,
                        "semanticVersion": ENGINE_VERSION,
                        "rules": rule_objects,
                    }
                },
                "originalUriBaseIds": {
                    "SRCROOT": {"uri": Path(report.root).resolve().as_uri() + "/"}
                },
                "invocations": [
                    {
                        "executionSuccessful": report.complete,
                        "toolExecutionNotifications": notifications,
                    }
                ],
                "results": results,
            }
        ],
    }
