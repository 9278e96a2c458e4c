"""Code scanners: bandit for Python, semgrep with the rule files shipped in this package."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from claude_tui.audit.model import Finding, ScannerOutcome, Severity, Status
from claude_tui.audit.options import AuditOptions
from claude_tui.audit.project import Project
from claude_tui.audit.tools import ToolFailure, find_tool, run_tool, tool_version
from claude_tui.audit.triage import is_test_path

SEMGREP_RULES = Path(__file__).parent / "semgrep_rules"
# "assert used": asserting is what tests do; only shipped code loses it under python -O.
TEST_ONLY_RULES = frozenset({"B101"})
LISTED_UNPARSABLE = 20
BANDIT_SEVERITY = {"LOW": Severity.LOW, "MEDIUM": Severity.MEDIUM, "HIGH": Severity.HIGH}
SEMGREP_SEVERITY = {
    "INFO": Severity.LOW,
    "WARNING": Severity.MEDIUM,
    "ERROR": Severity.HIGH,
    "LOW": Severity.LOW,
    "MEDIUM": Severity.MEDIUM,
    "HIGH": Severity.HIGH,
    "CRITICAL": Severity.CRITICAL,
}


def _source_line(project: Project, rel: str, line: int) -> str:
    """The stripped source line: what identifies a code finding when lines move."""
    text = project.read_text(rel) or ""
    lines = text.splitlines()
    return lines[line - 1].strip() if 0 < line <= len(lines) else ""


def _python_files(project: Project) -> list[str]:
    return [f for f in project.files if f.endswith(".py")]


def scan_bandit(project: Project, options: AuditOptions) -> ScannerOutcome:
    """bandit over the project's Python files (its own ``# nosec`` comments are honoured)."""
    name = "code.bandit"
    files = _python_files(project)
    if not files:
        return ScannerOutcome(name, Status.NOTHING_TO_SCAN, reason="no Python files")
    try:
        run = run_tool(
            [sys.executable, "-m", "bandit", "-f", "json", "-q", *files],
            cwd=project.root,
            timeout=options.tool_timeout,
        )
        report: dict[str, Any] = json.loads(run.stdout) if run.stdout.strip() else {}
    except ToolFailure as exc:
        return ScannerOutcome(name, Status.FAILED, reason=str(exc))
    except json.JSONDecodeError:
        return ScannerOutcome(name, Status.FAILED, reason=f"bandit: {run.first_error_line()}")
    if run.returncode not in (0, 1) or "results" not in report:
        return ScannerOutcome(name, Status.FAILED, reason=f"bandit: {run.first_error_line()}")
    findings = []
    for result in report["results"]:
        rel = Path(result["filename"]).as_posix().removeprefix("./")
        line = int(result.get("line_number") or 0)
        if str(result["test_id"]) in TEST_ONLY_RULES and is_test_path(rel):
            continue
        findings.append(
            Finding(
                scanner=name,
                rule_id=str(result["test_id"]),
                severity=BANDIT_SEVERITY.get(str(result.get("issue_severity")), Severity.MEDIUM),
                message=f"{result.get('test_name')}: {result.get('issue_text')}",
                path=rel,
                line=line or None,
                column=(int(result.get("col_offset") or 0) + 1) if line else None,
                identity=_source_line(project, rel, line),
                help_uri=result.get("more_info"),
                properties={"confidence": str(result.get("issue_confidence", "")).lower()},
            )
        )
    errors = report.get("errors") or []
    reason = f"{len(files)} Python files"
    if errors:
        # A file bandit could not parse was not checked: say which. When most were checked,
        # the scanner is partial (its findings stand); when most were not, it failed.
        unparsable = sorted(str(e.get("filename", "")).removeprefix("./") for e in errors)
        listed = ", ".join(unparsable[:LISTED_UNPARSABLE])
        if len(unparsable) > LISTED_UNPARSABLE:
            listed += f" and {len(unparsable) - LISTED_UNPARSABLE} more"
        first_reason = str(errors[0].get("reason", "")).strip()
        if len(errors) * 2 > len(files):
            return ScannerOutcome(
                name,
                Status.FAILED,
                findings,
                reason=f"bandit could not check {len(errors)} of {len(files)} file(s): "
                f"{listed} ({first_reason})",
                tool=_bandit_version(),
            )
        return ScannerOutcome(
            name,
            Status.PARTIAL,
            findings,
            reason=f"{len(errors)} file{'s' if len(errors) > 1 else ''} unparsable "
            f"of {len(files)}: {listed} (a policy exclusion accepts them unchecked)",
            tool=_bandit_version(),
        )
    return ScannerOutcome(name, Status.COMPLETED, findings, reason=reason, tool=_bandit_version())


def _bandit_version() -> str:
    from importlib.metadata import version

    return f"bandit {version('bandit')}"


def scan_semgrep(project: Project, options: AuditOptions) -> ScannerOutcome:
    """semgrep with the local rule files only (never the registry), when semgrep is installed."""
    name = "code.semgrep"
    executable = find_tool("semgrep")
    targets = [f for f in project.files if f.endswith((".py", ".yml", ".yaml"))]
    if not targets:
        return ScannerOutcome(
            name, Status.NOTHING_TO_SCAN, reason="no files semgrep rules apply to"
        )
    if executable is None:
        return ScannerOutcome(name, Status.NOT_RUN, reason="semgrep is not installed")
    try:
        run = run_tool(
            [
                executable,
                "scan",
                "--config",
                str(SEMGREP_RULES),
                "--json",
                "--metrics",
                "off",
                "--disable-version-check",
                "--quiet",
                "--no-git-ignore",
                *targets,
            ],
            cwd=project.root,
            timeout=options.tool_timeout,
            env={"SEMGREP_SEND_METRICS": "off", "SEMGREP_ENABLE_VERSION_CHECK": "0"},
        )
        report: dict[str, Any] = json.loads(run.stdout)
    except ToolFailure as exc:
        return ScannerOutcome(name, Status.FAILED, reason=str(exc))
    except json.JSONDecodeError:
        return ScannerOutcome(name, Status.FAILED, reason=f"semgrep: {run.first_error_line()}")
    findings = []
    for result in report.get("results", []):
        rel = Path(result["path"]).as_posix()
        line = int(result.get("start", {}).get("line") or 0)
        extra = result.get("extra", {})
        rule = str(result["check_id"]).rsplit(".", 1)[-1]
        findings.append(
            Finding(
                scanner=name,
                rule_id=rule,
                severity=SEMGREP_SEVERITY.get(str(extra.get("severity")).upper(), Severity.MEDIUM),
                message=str(extra.get("message", rule)).strip(),
                path=rel,
                line=line or None,
                column=result.get("start", {}).get("col"),
                identity=_source_line(project, rel, line),
            )
        )
    errors = [e for e in report.get("errors", []) if e.get("level", "error") == "error"]
    if errors or run.returncode not in (0, 1):
        message = errors[0].get("message", "") if errors else run.first_error_line()
        return ScannerOutcome(
            name, Status.FAILED, findings, reason=f"semgrep: {str(message)[:200]}"
        )
    return ScannerOutcome(
        name,
        Status.COMPLETED,
        findings,
        reason=f"{len(targets)} files, rules in {SEMGREP_RULES.name}/",
        tool=f"semgrep {tool_version(executable)}",
    )
