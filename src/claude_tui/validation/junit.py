"""JUnit XML results (pytest, jest-junit, go-junit-report, surefire...) as test counts."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
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


@dataclass(frozen=True, slots=True)
class CaseProblem:
    """A test case that did not pass: its id, ``failure`` or ``error``, and what it said."""

    test: str
    kind: str
    text: str


def read_problems(path: Path) -> list[CaseProblem]:
    """The failed and errored cases of a JUnit XML file, in file order."""
    try:
        root = ET.parse(path).getroot()  # noqa: S314 - see the import
    except (ET.ParseError, OSError) as exc:
        raise JUnitError(f"{path.name} is not readable JUnit XML: {exc}") from exc
    out: list[CaseProblem] = []
    for case in root.iter("testcase"):
        for child in case:
            if child.tag in ("error", "failure"):
                classname = case.get("classname") or ""
                name = case.get("name") or "?"
                test = f"{classname}::{name}" if classname else name
                text = f"{child.get('message') or ''}\n{child.text or ''}"
                out.append(CaseProblem(test, child.tag, text))
                break
    return out
