"""JUnit XML results (pytest, jest-junit, go-junit-report, surefire...) as test counts."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from claude_tui.validation.model import TestCounts


class JUnitError(ValueError):
    """The file is not JUnit XML."""


def parse_junit(path: Path) -> TestCounts:
    """Count passed, failed, errored and skipped test cases of a JUnit XML file."""
    try:
        root = ET.parse(path).getroot()  # noqa: S314 - see the import
    except (ET.ParseError, OSError) as exc:
        raise JUnitError(f"{path.name} is not readable JUnit XML: {exc}") from exc
    if root.tag not in ("testsuites", "testsuite"):
        raise JUnitError(f"{path.name} has root <{root.tag}>, expected <testsuites> or <testsuite>")
    passed = failed = errors = skipped = 0
    for case in root.iter("testcase"):
        tags = {child.tag for child in case}
        if "error" in tags:
            errors += 1
        elif "failure" in tags:
            failed += 1
        elif "skipped" in tags:
            skipped += 1
        else:
            passed += 1
    return TestCounts(passed=passed, failed=failed, errors=errors, skipped=skipped)
