"""Code scanners: bandit and the audit's own rules for Python; semgrep for rules a policy adds."""

from __future__ import annotations

import json
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from claude_tui.audit import python_rules
from claude_tui.audit.model import Finding, ScannerOutcome, Severity, Status
from claude_tui.audit.options import AuditOptions
from claude_tui.audit.project import Project
from claude_tui.audit.tools import ToolFailure, find_tool, run_tool, tool_version
from claude_tui.audit.triage import is_test_path

# "assert used": asserting is what tests do; only shipped code loses it under python -O.
TEST_ONLY_RULES = frozenset({"B101"})
LISTED_UNPARSABLE = 20
# bandit is single-threaded and the audit's longest scanner: a large project's files are
# split between processes (one per core, at most this many) so it is not the critical path.
BANDIT_PROCESSES = 2
BANDIT_MIN_FILES_PER_PROCESS = 50
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


def _bandit_chunks(files: list[str]) -> list[list[str]]:
    """The file list dealt round-robin between processes, so each gets tests and code alike."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    count = min(BANDIT_PROCESSES, cores or 1, len(files) // BANDIT_MIN_FILES_PER_PROCESS)
    return [files[i::count] for i in range(count)] if count > 1 else [files]


def _run_bandit(files: list[str], project: Project, options: AuditOptions) -> dict[str, Any]:
    """One bandit process's JSON report; ToolFailure when it did not produce one."""
    run = run_tool(
        [sys.executable, "-m", "bandit", "-f", "json", "-q", *files],
        cwd=project.root,
        timeout=options.tool_timeout,
    )
    try:
        report: dict[str, Any] = json.loads(run.stdout) if run.stdout.strip() else {}
    except json.JSONDecodeError:
        raise ToolFailure(f"bandit: {run.first_error_line()}") from None
    if run.returncode not in (0, 1) or "results" not in report:
        raise ToolFailure(f"bandit: {run.first_error_line()}")
    return report


def _unparsable_outcome(
    name: str,
    findings: list[Finding],
    unparsable: list[str],
    checked: int,
    first_reason: str,
    tool: str,
) -> ScannerOutcome:
    """A file a scanner could not parse was not checked: say which. When most were checked,
    the scanner is partial (its findings stand); when most were not, it failed."""
    unparsable = sorted(unparsable)
    listed = ", ".join(unparsable[:LISTED_UNPARSABLE])
    if len(unparsable) > LISTED_UNPARSABLE:
        listed += f" and {len(unparsable) - LISTED_UNPARSABLE} more"
    if len(unparsable) * 2 > checked:
        return ScannerOutcome(
            name,
            Status.FAILED,
            findings,
            reason=f"{name.removeprefix('code.')} could not check {len(unparsable)} of "
            f"{checked} file(s): {listed} ({first_reason})",
            tool=tool,
        )
    return ScannerOutcome(
        name,
        Status.PARTIAL,
        findings,
        reason=f"{len(unparsable)} file{'s' if len(unparsable) > 1 else ''} unparsable "
        f"of {checked}: {listed} (a policy exclusion accepts them unchecked)",
        tool=tool,
    )


def scan_bandit(project: Project, options: AuditOptions) -> ScannerOutcome:
    """bandit over the project's Python files (its own ``# nosec`` comments are honoured)."""
    name = "code.bandit"
    files = _python_files(project)
    if not files:
        return ScannerOutcome(name, Status.NOTHING_TO_SCAN, reason="no Python files")
    chunks = _bandit_chunks(files)
    try:
        with ThreadPoolExecutor(len(chunks), thread_name_prefix="bandit") as pool:
            reports = list(pool.map(lambda chunk: _run_bandit(chunk, project, options), chunks))
    except ToolFailure as exc:
        return ScannerOutcome(name, Status.FAILED, reason=str(exc))
    findings = []
    for result in (r for report in reports for r in report["results"]):
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
    errors = [e for report in reports for e in report.get("errors") or []]
    if errors:
        return _unparsable_outcome(
            name,
            findings,
            [str(e.get("filename", "")).removeprefix("./") for e in errors],
            len(files),
            str(errors[0].get("reason", "")).strip(),
            _bandit_version(),
        )
    return ScannerOutcome(
        name,
        Status.COMPLETED,
        findings,
        reason=f"{len(files)} Python files",
        tool=_bandit_version(),
    )


def _bandit_version() -> str:
    from importlib.metadata import version

    return f"bandit {version('bandit')}"


def scan_rules(project: Project, options: AuditOptions) -> ScannerOutcome:
    """The audit's own Python rules (shell commands, unsafe loaders, TLS and JWT checks turned
    off, secrets compared with ==), matched over each file's syntax tree."""
    name = "code.rules"
    files = _python_files(project)
    if not files:
        return ScannerOutcome(name, Status.NOTHING_TO_SCAN, reason="no Python files")
    findings: list[Finding] = []
    unparsable: list[str] = []
    first_reason = ""
    for rel in files:
        text = project.read_text(rel)
        if text is None:
            unparsable.append(rel)
            first_reason = first_reason or f"{rel}: binary, unreadable or too large"
            continue
        try:
            matches = python_rules.check_source(text, rel)
        except (SyntaxError, ValueError) as exc:
            unparsable.append(rel)
            first_reason = first_reason or f"{rel}: {exc}"
            continue
        lines = text.splitlines()
        findings += [
            Finding(
                scanner=name,
                rule_id=m.rule.rule_id,
                severity=m.rule.severity,
                message=m.rule.message,
                path=rel,
                line=m.line,
                column=m.column,
                identity=lines[m.line - 1].strip() if m.line <= len(lines) else "",
            )
            for m in matches
        ]
    tool = f"{len(python_rules.RULES)} rules in claude_tui.audit.python_rules"
    if unparsable:
        return _unparsable_outcome(name, findings, unparsable, len(files), first_reason, tool)
    return ScannerOutcome(
        name, Status.COMPLETED, findings, reason=f"{len(files)} Python files", tool=tool
    )


def scan_semgrep(project: Project, options: AuditOptions) -> ScannerOutcome:
    """semgrep with the rule files the policy adds (never the registry); none: nothing to run."""
    name = "code.semgrep"
    if not project.policy.semgrep_rules:
        return ScannerOutcome(
            name,
            Status.NOTHING_TO_SCAN,
            reason="no semgrep rules in the policy ([scanners] semgrep_rules); "
            "the audit's own Python rules run as code.rules",
        )
    configs = [project.root / rules for rules in project.policy.semgrep_rules]
    # The policy may come from the audited repository: its rule paths stay inside it, so a hostile
    # policy cannot make the audit read (or reveal the existence of) files elsewhere.
    root = project.root.resolve()
    outside = [
        rules
        for rules, config in zip(project.policy.semgrep_rules, configs, strict=True)
        if not config.resolve().is_relative_to(root)
    ]
    if outside:
        return ScannerOutcome(
            name,
            Status.FAILED,
            reason=f"semgrep rules outside the audited directory: {', '.join(outside)}",
        )
    missing = [str(c) for c in configs if not c.exists()]
    if missing:
        return ScannerOutcome(
            name, Status.FAILED, reason=f"semgrep rules not found: {', '.join(missing)}"
        )
    targets = list(project.files)
    if not targets:
        return ScannerOutcome(name, Status.NOTHING_TO_SCAN, reason="no files to scan")
    executable = find_tool("semgrep")
    if executable is None:
        return ScannerOutcome(
            name,
            Status.NOT_RUN,
            reason=f"semgrep is not installed (rules {', '.join(project.policy.semgrep_rules)} "
            "not checked)",
        )
    config_args = [arg for c in configs for arg in ("--config", str(c))]
    try:
        run = run_tool(
            [
                executable,
                "scan",
                *config_args,
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
        reason=f"{len(targets)} files, rules {', '.join(project.policy.semgrep_rules)}",
        tool=f"semgrep {tool_version(executable)}",
    )
