"""What every scanner produces: findings with a severity and a stable fingerprint, and an outcome
that says honestly whether the scanner ran."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from enum import Enum, StrEnum
from typing import Any


class Severity(Enum):
    """Ordered severities; ``--fail-on`` compares against them."""

    INFO = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        """The severity named ``text`` (case-insensitive); ValueError names the choices."""
        try:
            return cls[text.strip().upper()]
        except KeyError:
            choices = ", ".join(s.label for s in cls)
            raise ValueError(f"unknown severity {text!r} (choose from {choices})") from None


class Status(StrEnum):
    """How a scanner's run ended. Only ``COMPLETED`` means the area was really checked."""

    COMPLETED = "completed"
    NOT_RUN = "not run"  # its tool is not installed, or it has nothing to look at
    NOT_CHECKED = "not checked"  # it started but could not reach what it needs (e.g. advisories)
    FAILED = "failed"  # it crashed or its tool answered with an error
    PARTIAL = "partial"  # it checked most files; the reason lists those it could not
    NOTHING_TO_SCAN = "nothing to scan"  # ran, and the project has nothing of its kind


@dataclass(frozen=True)
class Finding:
    """One problem found. ``fingerprint`` ignores line numbers so baselines survive line moves."""

    scanner: str
    rule_id: str
    severity: Severity
    message: str
    path: str | None = None
    line: int | None = None
    column: int | None = None
    # What identifies the problem independently of where the line moved to: the masked secret's
    # digest, the package and advisory, the stripped source line...
    identity: str = ""
    help_uri: str | None = None
    properties: dict[str, Any] = field(default_factory=dict)
    fingerprint: str = ""

    def with_fingerprint(self, occurrence: int = 0) -> Finding:
        """A copy with its fingerprint; ``occurrence`` separates identical problems in a file."""
        material = "\x1f".join(
            [self.scanner, self.rule_id, self.path or "", self.identity, str(occurrence)]
        )
        digest = hashlib.sha256(material.encode("utf-8")).hexdigest()[:32]
        return replace(self, fingerprint=digest)

    @property
    def location(self) -> str:
        if self.path is None:
            return "-"
        return f"{self.path}:{self.line}" if self.line else self.path


@dataclass
class ScannerOutcome:
    """The result of one scanner: its status, why it did not complete, and what it found."""

    scanner: str
    status: Status
    findings: list[Finding] = field(default_factory=list)
    reason: str = ""
    required: bool = True
    duration_seconds: float = 0.0
    tool: str = ""  # the engine(s) behind it with versions, for the report
    suppressed: int = 0  # findings hidden by policy, inline comments or the baseline

    @property
    def incomplete(self) -> bool:
        return self.status not in (Status.COMPLETED, Status.NOTHING_TO_SCAN)


def assign_fingerprints(findings: list[Finding]) -> list[Finding]:
    """Fingerprint every finding; identical problems in one file are numbered in line order."""
    seen: dict[tuple[str, str, str, str], int] = {}
    ordered = sorted(findings, key=lambda f: (f.path or "", f.line or 0, f.column or 0))
    result: list[Finding] = []
    for finding in ordered:
        key = (finding.scanner, finding.rule_id, finding.path or "", finding.identity)
        occurrence = seen.get(key, 0)
        seen[key] = occurrence + 1
        result.append(finding.with_fingerprint(occurrence))
    return result
