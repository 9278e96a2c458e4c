"""The audit report as text, JSON, SARIF 2.1.0 (one run per scanner) and Markdown."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from claude_tui import __version__
from claude_tui.audit.model import Finding, ScannerOutcome, Severity, Status
from claude_tui.audit.runner import AuditReport
from claude_tui.audit.triage import rank

FORMATS = ("text", "json", "sarif", "markdown")
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "claudeTuiAudit/v1"
TOP_FINDINGS = 10
SEVERITIES = sorted(Severity, key=lambda s: -s.value)


def _sarif_level(severity: Severity) -> str:
    if severity.value >= Severity.HIGH.value:
        return "error"
    return "warning" if severity is Severity.MEDIUM else "note"


def _counts(outcome: ScannerOutcome) -> dict[str, int]:
    counts = {s.label: 0 for s in SEVERITIES}
    for finding in outcome.findings:
        counts[finding.severity.label] += 1
    return counts


def _ordered(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=rank)


def _gap(outcome: ScannerOutcome) -> str:
    # "partial: 13 files unparsable ..." reads as one statement; other statuses are a label.
    joint = ": " if outcome.status is Status.PARTIAL else " - "
    return f"{outcome.status.value}{joint}{outcome.reason}"


def _status_text(outcome: ScannerOutcome) -> str:
    text = outcome.status.value
    if outcome.incomplete and not outcome.required:
        text += " (optional)"
    return text


def render_json(report: AuditReport) -> str:
    """Machine-readable report; the schema is stable (``version``)."""

    def finding(f: Finding) -> dict[str, Any]:
        return {
            "scanner": f.scanner,
            "rule": f.rule_id,
            "severity": f.severity.label,
            "message": f.message,
            "path": f.path,
            "line": f.line,
            "column": f.column,
            "fingerprint": f.fingerprint,
            "help_uri": f.help_uri,
            "properties": f.properties,
        }

    payload = {
        "version": 1,
        "tool": f"claude-tui {__version__}",
        "project": str(report.project),
        "started": report.started.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "duration_seconds": round(report.duration_seconds, 3),
        "fail_on": report.fail_on.label,
        "verdict": report.verdict,
        "exit_code": report.exit_code,
        "notes": report.notes,
        "scanners": [
            {
                "name": o.scanner,
                "status": o.status.value,
                "required": o.required,
                "reason": o.reason,
                "tool": o.tool,
                "duration_seconds": round(o.duration_seconds, 3),
                "counts": _counts(o),
                "suppressed": o.suppressed,
            }
            for o in report.outcomes
        ],
        "findings": [finding(f) for f in _ordered(report.findings)],
    }
    return json.dumps(payload, indent=2)


def _sarif_run(outcome: ScannerOutcome) -> dict[str, Any]:
    rules: dict[str, dict[str, Any]] = {}
    results = []
    for f in _ordered(outcome.findings):
        if f.rule_id not in rules:
            rule: dict[str, Any] = {
                "id": f.rule_id,
                "shortDescription": {"text": f.message.split(":", 1)[0][:200] or f.rule_id},
                "defaultConfiguration": {"level": _sarif_level(f.severity)},
            }
            if f.help_uri:
                rule["helpUri"] = f.help_uri
            rules[f.rule_id] = rule
        result: dict[str, Any] = {
            "ruleId": f.rule_id,
            "ruleIndex": list(rules).index(f.rule_id),
            "level": _sarif_level(f.severity),
            "message": {"text": f.message},
            "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint},
            "properties": {"severity": f.severity.label},
        }
        if f.path:
            location: dict[str, Any] = {
                "artifactLocation": {"uri": quote(f.path), "uriBaseId": "%SRCROOT%"}
            }
            if f.line:
                region: dict[str, Any] = {"startLine": f.line}
                if f.column:
                    region["startColumn"] = f.column
                location["region"] = region
            result["locations"] = [{"physicalLocation": location}]
        results.append(result)
    invocation: dict[str, Any] = {"executionSuccessful": not outcome.incomplete}
    if outcome.reason:
        invocation["toolExecutionNotifications"] = [
            {
                "level": "error" if outcome.incomplete else "note",
                "message": {"text": f"{outcome.status.value}: {outcome.reason}"},
            }
        ]
    return {
        "tool": {
            "driver": {
                "name": f"claude-tui-audit/{outcome.scanner}",
                "version": __version__,
                "informationUri": "https://github.com/claude-tui/claude-tui",
                "rules": list(rules.values()),
                "properties": {"engine": outcome.tool},
            }
        },
        "invocations": [invocation],
        "results": results,
        "properties": {"status": outcome.status.value, "required": outcome.required},
    }


def render_sarif(report: AuditReport) -> str:
    """SARIF 2.1.0: one run per scanner, fingerprints under ``claudeTuiAudit/v1``."""
    runs = [_sarif_run(o) for o in report.outcomes]
    for run in runs:
        run["originalUriBaseIds"] = {"%SRCROOT%": {"uri": report.project.as_uri() + "/"}}
    return json.dumps({"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": runs}, indent=2)


def render_text(report: AuditReport) -> str:
    """A terminal summary: counts per scanner, what was not checked, and the top findings."""
    head = f"{'scanner':<18} {'status':<24} " + " ".join(f"{s.label:>8}" for s in SEVERITIES)
    lines = [f"Security audit of {report.project}", "", head + f" {'time':>7}"]
    for o in report.outcomes:
        counts = _counts(o)
        lines.append(
            f"{o.scanner:<18} {_status_text(o):<24} "
            + " ".join(f"{counts[s.label]:>8}" for s in SEVERITIES)
            + f" {o.duration_seconds:>6.1f}s"
        )
    not_done = [
        o for o in report.outcomes if o.status not in (Status.COMPLETED, Status.NOTHING_TO_SCAN)
    ]
    if not_done:
        lines += ["", "Not checked:"]
        lines += [f"  {o.scanner}: {_gap(o)}" for o in not_done]
    remarks = [o for o in report.outcomes if o.reason and o not in not_done]
    if remarks:
        lines += ["", "Notes:"]
        lines += [f"  {o.scanner}: {o.reason}" for o in remarks]
    top = _ordered(report.findings)[:TOP_FINDINGS]
    if top:
        lines += ["", f"Top findings ({len(report.findings)} in all):"]
        lines += [f"  [{f.severity.label}] {f.location} {f.rule_id}: {f.message}" for f in top]
    lines += [f"note: {n}" for n in report.notes]
    suppressed = sum(o.suppressed for o in report.outcomes)
    lines += [
        "",
        f"Result: {report.verdict.upper()} (fail on {report.fail_on.label}; "
        f"{len(report.failing)} at or above it; {suppressed} suppressed; "
        f"{len(report.incomplete)} required scanner(s) incomplete; {report.duration_seconds:.1f}s)",
    ]
    return "\n".join(lines)


def render_markdown(report: AuditReport) -> str:
    """A pull-request comment: the verdict, a table per scanner, failing findings, gaps."""
    lines = [
        f"## Security audit: {report.verdict}",
        "",
        "| scanner | status | " + " | ".join(s.label for s in SEVERITIES) + " |",
        "|---|---|" + "---:|" * len(SEVERITIES),
    ]
    for o in report.outcomes:
        counts = _counts(o)
        lines.append(
            f"| {o.scanner} | {_status_text(o)} | "
            + " | ".join(str(counts[s.label]) for s in SEVERITIES)
            + " |"
        )
    failing = _ordered(report.failing)
    if failing:
        lines += ["", f"### Findings at or above {report.fail_on.label}", ""]
        lines += [
            f"- **{f.severity.label}** `{f.location}` {f.rule_id}: {f.message.replace('|', '/')}"
            for f in failing[:50]
        ]
        if len(failing) > 50:
            lines.append(f"- ... and {len(failing) - 50} more")
    gaps = [
        o for o in report.outcomes if o.status not in (Status.COMPLETED, Status.NOTHING_TO_SCAN)
    ]
    if gaps:
        lines += ["", "### Not checked", ""]
        lines += [f"- `{o.scanner}`: {_gap(o)}" for o in gaps]
    remarks = [o for o in report.outcomes if o.reason and o not in gaps]
    if remarks:
        lines += ["", "### Notes", ""]
        lines += [f"- `{o.scanner}`: {o.reason.replace('|', '/')}" for o in remarks]
    return "\n".join(lines) + "\n"


RENDERERS: dict[str, Callable[[AuditReport], str]] = {
    "text": render_text,
    "json": render_json,
    "sarif": render_sarif,
    "markdown": render_markdown,
}
