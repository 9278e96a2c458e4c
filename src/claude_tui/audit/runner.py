"""Running an audit: every scanner in parallel, then policy, inline allows and the baseline."""

from __future__ import annotations

import datetime as dt
import fnmatch
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from claude_tui.audit import code, dependencies, infrastructure, licenses, secrets_scanner
from claude_tui.audit.model import Finding, ScannerOutcome, Severity, Status, assign_fingerprints
from claude_tui.audit.options import AuditOptions
from claude_tui.audit.policy import Policy
from claude_tui.audit.project import Project
from claude_tui.audit.suppression import Baseline, inline_allowed
from claude_tui.audit.triage import triage

ScanFunction = Callable[[Project, AuditOptions], ScannerOutcome]

SCANNERS: dict[str, ScanFunction] = {
    "secrets": secrets_scanner.scan,
    "dependencies": dependencies.scan,
    "licenses": licenses.scan,
    "code.bandit": code.scan_bandit,
    "code.rules": code.scan_rules,
    "code.semgrep": code.scan_semgrep,
    "infra.hadolint": infrastructure.scan_hadolint,
    "infra.trivy": infrastructure.scan_trivy,
    "infra.zizmor": infrastructure.scan_zizmor,
    "infra.actionlint": infrastructure.scan_actionlint,
}

EXIT_PASS = 0
EXIT_FINDINGS = 1
EXIT_INCOMPLETE = 2


def scanner_selected(name: str, patterns: tuple[str, ...]) -> bool:
    """``code`` selects ``code.bandit``, ``code.rules`` and ``code.semgrep``; globs work too."""
    return any(
        name == p or name.startswith(p + ".") or fnmatch.fnmatchcase(name, p) for p in patterns
    )


@dataclass
class AuditReport:
    """Everything an audit found and whether it passes."""

    project: Path
    fail_on: Severity
    outcomes: list[ScannerOutcome]
    started: dt.datetime
    duration_seconds: float
    notes: list[str] = field(default_factory=list)

    @property
    def findings(self) -> list[Finding]:
        return [f for o in self.outcomes for f in o.findings]

    @property
    def failing(self) -> list[Finding]:
        return [f for f in self.findings if f.severity.value >= self.fail_on.value]

    @property
    def incomplete(self) -> list[ScannerOutcome]:
        """Required scanners that did not complete: the audit cannot pass without them."""
        return [o for o in self.outcomes if o.required and o.incomplete]

    @property
    def exit_code(self) -> int:
        if self.incomplete:
            return EXIT_INCOMPLETE
        return EXIT_FINDINGS if self.failing else EXIT_PASS

    @property
    def verdict(self) -> str:
        return {EXIT_PASS: "pass", EXIT_FINDINGS: "fail", EXIT_INCOMPLETE: "incomplete"}[
            self.exit_code
        ]


def _timed(name: str, fn: ScanFunction, project: Project, options: AuditOptions) -> ScannerOutcome:
    start = time.perf_counter()
    try:
        outcome = fn(project, options)
    except Exception as exc:  # noqa: BLE001 - one scanner's crash must not hide the others
        outcome = ScannerOutcome(name, Status.FAILED, reason=f"{type(exc).__name__}: {exc}")
    outcome.duration_seconds = time.perf_counter() - start
    return outcome


def _suppress(
    outcome: ScannerOutcome,
    project: Project,
    policy: Policy,
    baseline: Baseline | None,
    today: dt.date,
) -> None:
    kept: list[Finding] = []
    lines: dict[str, list[str]] = {}
    for finding in assign_fingerprints(outcome.findings):
        if (
            policy.ignore_for(finding, today) is not None
            or inline_allowed(project, finding, lines)
            or (baseline is not None and finding.fingerprint in baseline.fingerprints)
        ):
            outcome.suppressed += 1
            continue
        kept.append(finding)
    outcome.findings = kept


def run_audit(
    path: Path,
    policy: Policy,
    options: AuditOptions | None = None,
    baseline: Baseline | None = None,
    fail_on: Severity | None = None,
    today: dt.date | None = None,
    max_workers: int = 4,
) -> AuditReport:
    """Audit ``path``: run the selected scanners in parallel and apply the project's policy."""
    options = options or AuditOptions()
    project = Project.open(path, policy)
    started = dt.datetime.now(dt.UTC)
    clock = time.perf_counter()
    selected = [
        name
        for name in SCANNERS
        if not scanner_selected(name, policy.disabled)
        and (not options.only or scanner_selected(name, options.only))
    ]
    _ = project.files  # list the files once, before the threads share the project
    with ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="audit") as pool:
        futures = {
            name: pool.submit(_timed, name, SCANNERS[name], project, options) for name in selected
        }
        outcomes = [futures[name].result() for name in selected]
    today = today or dt.date.today()
    triage(outcomes, project)
    for outcome in outcomes:
        outcome.required = scanner_selected(outcome.scanner, policy.required)
        _suppress(outcome, project, policy, baseline, today)
    notes = [
        f"ignore of {i.rule} in {policy.source} expired on {i.expires}; it no longer applies"
        for i in policy.expired_ignores(today)
    ]
    return AuditReport(
        project=project.root,
        fail_on=fail_on or policy.fail_on,
        outcomes=outcomes,
        started=started,
        duration_seconds=time.perf_counter() - clock,
        notes=notes,
    )
