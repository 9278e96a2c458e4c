"""Progress authenticity: what an agent claims against what the engine verified.

Every point lost has a reason. Verified progress counts only files that exist and carry no
blocking finding, scaled by the share of tests that actually passed when tests ran.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from claude_tui.validation.model import Check, Severity, ValidationReport

#: Findings at or above this severity mean a file is not done.
BLOCKING = Severity.MEDIUM
_BLOCKING_CHECKS = {Check.SYNTAX, Check.PLACEHOLDERS, Check.IMPORTS, Check.NAMES}


@dataclass(frozen=True, slots=True)
class ProgressClaim:
    """What an agent says it did."""

    files_done: tuple[str, ...] = ()
    tests_passing: int | None = None
    percent_complete: float | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ProgressClaim:
        files = data.get("files_done") or ()
        if isinstance(files, str) or not all(isinstance(f, str) for f in files):
            raise ValueError("files_done must be a list of paths")
        tests = data.get("tests_passing")
        percent = data.get("percent_complete")
        if tests is not None and (not isinstance(tests, int) or tests < 0):
            raise ValueError("tests_passing must be a non-negative integer")
        if percent is not None and (
            not isinstance(percent, int | float) or not 0 <= float(percent) <= 100
        ):
            raise ValueError("percent_complete must be a number from 0 to 100")
        return cls(tuple(files), tests, None if percent is None else float(percent))


@dataclass(frozen=True, slots=True)
class Deduction:
    points: float
    reason: str


@dataclass(frozen=True, slots=True)
class ProgressAssessment:
    """Claimed and verified progress (percent), the authenticity score (0-1), and why."""

    claimed_percent: float
    verified_percent: float
    authenticity: float
    deductions: tuple[Deduction, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {
            "claimed_percent": round(self.claimed_percent, 2),
            "verified_percent": round(self.verified_percent, 2),
            "authenticity": round(self.authenticity, 4),
            "deductions": [
                {"points": round(d.points, 2), "reason": d.reason} for d in self.deductions
            ],
        }


def score_progress(
    claim: ProgressClaim,
    report: ValidationReport,
    existing_files: Sequence[str] | None = None,
) -> ProgressAssessment:
    """Compare ``claim`` with ``report``; ``existing_files`` are the paths the report covered."""
    claimed = (
        claim.percent_complete
        if claim.percent_complete is not None
        else (100.0 if claim.files_done or claim.tests_passing else 0.0)
    )
    deductions: list[Deduction] = []
    known = set(existing_files) if existing_files is not None else None
    blocking: dict[str, list[str]] = {}
    for finding in report.findings:
        if finding.check in _BLOCKING_CHECKS and finding.severity.at_least(BLOCKING):
            blocking.setdefault(_norm(finding.path), []).append(
                f"{finding.rule} at line {finding.line}: {finding.message}"
            )
    for failure in report.failures:
        deductions.append(
            Deduction(0.0, f"not verified: {failure.check.value} could not run ({failure.reason})")
        )

    files = [_norm(f) for f in claim.files_done]
    share = 100.0 / len(files) if files else 0.0
    verified_files = 0
    for path in files:
        if known is not None and path not in known:
            deductions.append(Deduction(share, f"{path} is claimed done but does not exist"))
        elif path in blocking:
            first = blocking[path][0]
            more = len(blocking[path]) - 1
            extra = f" and {more} more" if more else ""
            deductions.append(Deduction(share, f"{path} is claimed done but has {first}{extra}"))
        else:
            verified_files += 1
    file_ratio = verified_files / len(files) if files else 1.0

    test_ratio = 1.0
    execution = report.execution
    if claim.tests_passing is not None:
        if execution is None:
            deductions.append(
                Deduction(
                    25.0, f"{claim.tests_passing} passing tests claimed but no test run verified it"
                )
            )
            test_ratio = 0.75
        elif execution.counts.passed < claim.tests_passing:
            missing = claim.tests_passing - execution.counts.passed
            points = 100.0 * missing / max(claim.tests_passing, 1)
            deductions.append(
                Deduction(
                    points,
                    f"{claim.tests_passing} passing tests claimed, "
                    f"{execution.counts.passed} passed ({execution.counts.failed} failed, "
                    f"{execution.counts.errors} errors)",
                )
            )
    if execution is not None:
        ran = execution.counts.passed + execution.counts.failed + execution.counts.errors
        if ran:
            test_ratio = execution.counts.passed / ran
        elif not execution.succeeded:
            test_ratio = 0.0
        if not execution.succeeded and not any(
            "passing tests claimed" in d.reason for d in deductions
        ):
            deductions.append(
                Deduction(
                    100.0 * (1.0 - test_ratio) if ran else 50.0,
                    f"the test run did not succeed (exit {execution.exit_code}"
                    + (", timed out" if execution.timed_out else "")
                    + ")",
                )
            )
    points = max(0.0, 100.0 - sum(d.points for d in deductions))
    verified = claimed * file_ratio * test_ratio
    return ProgressAssessment(
        claimed_percent=claimed,
        verified_percent=min(verified, claimed),
        authenticity=points / 100.0 if claimed or deductions else 1.0,
        deductions=tuple(deductions),
    )


def _norm(path: str) -> str:
    return path.replace("\\", "/").removeprefix("./")
