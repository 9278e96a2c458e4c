"""The project's own ``src/`` passes its own engine (what ``make validate-self`` enforces)."""

from __future__ import annotations

from pathlib import Path

import pytest

from claude_tui.validation import Severity, validate_path

SRC = Path(__file__).resolve().parents[3] / "src"


@pytest.mark.slow
def test_src_has_no_finding_at_medium_or_above() -> None:
    report = validate_path(SRC, workers=2)
    assert report.complete, report.failures
    assert report.files_checked > 50
    blocking = [
        f"{f.path}:{f.line} {f.rule} {f.message}" for f in report.at_or_above(Severity.MEDIUM)
    ]
    assert blocking == []
