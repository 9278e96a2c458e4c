"""The report model: severities, findings, per-file results, execution results, the report."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

#: Bumped whenever a check changes what it reports, so cached results of older engines are
#: never reused.
ENGINE_VERSION = "1.4.1"


class Severity(StrEnum):
    """How much a finding matters; ordered ``info < low < medium < high``."""

    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def rank(self) -> int:
        return _RANKS[self]

    def at_least(self, other: Severity) -> bool:
        """True when this severity is ``other`` or worse."""
        return self.rank >= other.rank


_RANKS = {Severity.INFO: 0, Severity.LOW: 1, Severity.MEDIUM: 2, Severity.HIGH: 3}


class Check(StrEnum):
    """The checks of the engine; every finding belongs to one."""

    SYNTAX = "syntax"
    PLACEHOLDERS = "placeholders"
    IMPORTS = "imports"
    NAMES = "names"
    EXECUTION = "execution"


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem at one place. ``rule`` is stable (``placeholder.stub-body``...)."""

    check: Check
    rule: str
    severity: Severity
    message: str
    path: str
    line: int = 1
    column: int = 1
    #: The text of the offending line, stripped; it anchors the fingerprint.
    line_text: str = ""

    def fingerprint(self, occurrence: int = 0) -> str:
        """A hash that survives unrelated line moves: rule, path, line content, occurrence."""
        basis = "\x1f".join(
            (self.rule, self.path, " ".join(self.line_text.split()), str(occurrence))
        )
        return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:32]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["check"] = self.check.value
        data["severity"] = self.severity.value
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        return cls(
            check=Check(data["check"]),
            rule=str(data["rule"]),
            severity=Severity(data["severity"]),
            message=str(data["message"]),
            path=str(data["path"]),
            line=int(data.get("line", 1)),
            column=int(data.get("column", 1)),
            line_text=str(data.get("line_text", "")),
        )

    def with_path(self, path: str) -> Finding:
        return Finding(
            self.check,
            self.rule,
            self.severity,
            self.message,
            path,
            self.line,
            self.column,
            self.line_text,
        )


@dataclass(frozen=True, slots=True)
class CheckFailure:
    """A check that could not run; a report with one is never clean."""

    check: Check
    reason: str
    path: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"check": self.check.value, "reason": self.reason, "path": self.path}


@dataclass(frozen=True, slots=True)
class TestCounts:
    """What a test run reported."""

    __test__ = False  # not a pytest test class despite the name
    passed: int = 0
    failed: int = 0
    errors: int = 0
    skipped: int = 0

    @property
    def total(self) -> int:
        return self.passed + self.failed + self.errors + self.skipped

    def to_dict(self) -> dict[str, int]:
        return {
            "passed": self.passed,
            "failed": self.failed,
            "errors": self.errors,
            "skipped": self.skipped,
            "total": self.total,
        }


@dataclass(frozen=True, slots=True)
class ExecutionResult:
    """How the project's tests ran: the command, the sandbox used, the counts, the outcome."""

    command: tuple[str, ...]
    sandbox: str
    exit_code: int | None
    duration_seconds: float
    counts: TestCounts
    timed_out: bool = False
    notes: tuple[str, ...] = ()
    output_tail: str = ""
    #: The interpreter or environment the tests ran with, in words.
    environment: str = ""
    #: Tests that failed or errored on their own, by id.
    failing_tests: tuple[str, ...] = ()
    #: Why (some of) the tests could not run: collection, import, fixture or plugin errors.
    environment_errors: tuple[str, ...] = ()

    @property
    def succeeded(self) -> bool:
        return (
            self.exit_code == 0
            and not self.timed_out
            and self.counts.failed == 0
            and self.counts.errors == 0
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "command": list(self.command),
            "sandbox": self.sandbox,
            "exit_code": self.exit_code,
            "duration_seconds": round(self.duration_seconds, 3),
            "counts": self.counts.to_dict(),
            "timed_out": self.timed_out,
            "succeeded": self.succeeded,
            "notes": list(self.notes),
            "output_tail": self.output_tail,
            "environment": self.environment,
            "failing_tests": list(self.failing_tests),
            "environment_errors": list(self.environment_errors),
        }


@dataclass(slots=True)
class ValidationReport:
    """Everything one validation run found, and what it could not check."""

    root: str
    files_checked: int = 0
    files_from_cache: int = 0
    findings: list[Finding] = field(default_factory=list)
    failures: list[CheckFailure] = field(default_factory=list)
    execution: ExecutionResult | None = None
    checks: tuple[Check, ...] = ()
    #: Which checker read each language's syntax ("checked with node --check", "tree-sitter
    #: only: ..."), so a reader knows how far a clean result goes.
    checkers: dict[str, str] = field(default_factory=dict)
    duration_seconds: float = 0.0
    engine_version: str = ENGINE_VERSION

    @property
    def complete(self) -> bool:
        """False when some check could not run: the result must not be read as clean."""
        return not self.failures

    def at_or_above(self, threshold: Severity) -> list[Finding]:
        return [f for f in self.findings if f.severity.at_least(threshold)]

    def counts_by_severity(self) -> dict[str, int]:
        out = {s.value: 0 for s in Severity}
        for finding in self.findings:
            out[finding.severity.value] += 1
        return out

    def fingerprints(self) -> list[str]:
        """Fingerprints in finding order; repeated identical lines get distinct occurrences."""
        seen: dict[tuple[str, str, str], int] = {}
        out: list[str] = []
        for finding in self.findings:
            key = (finding.rule, finding.path, " ".join(finding.line_text.split()))
            occurrence = seen.get(key, 0)
            seen[key] = occurrence + 1
            out.append(finding.fingerprint(occurrence))
        return out

    def sort(self) -> None:
        self.findings.sort(key=lambda f: (f.path, f.line, f.column, f.rule))

    def to_dict(self) -> dict[str, Any]:
        return {
            "root": self.root,
            "engine_version": self.engine_version,
            "complete": self.complete,
            "files_checked": self.files_checked,
            "files_from_cache": self.files_from_cache,
            "checks": [c.value for c in self.checks],
            "checkers": dict(self.checkers),
            "duration_seconds": round(self.duration_seconds, 3),
            "counts": self.counts_by_severity(),
            "findings": [
                f.to_dict() | {"fingerprint": fp}
                for f, fp in zip(self.findings, self.fingerprints(), strict=True)
            ],
            "failures": [f.to_dict() for f in self.failures],
            "execution": None if self.execution is None else self.execution.to_dict(),
        }
