"""Triage: which findings a person should read first.

Leaked credentials come before everything else of the same severity; findings in tests,
fixtures and examples lose a severity step (that code does not ship); a private key kept as
a test or certificate fixture is low unless shipped code names its file.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import PurePosixPath

from claude_tui.audit.model import Finding, ScannerOutcome, Severity
from claude_tui.audit.project import Project

# Directories whose content does not ship: tests, their data, and examples for readers.
NON_SHIPPED_DIRS = frozenset(
    {
        "test",
        "tests",
        "testing",
        "__tests__",
        "spec",
        "specs",
        "testdata",
        "test_data",
        "fixtures",
        "__fixtures__",
        "examples",
        "example",
        "samples",
        "sample",
    }
)
CERT_DIRS = frozenset({"certs", "certificates", "ssl", "tls"})
# Lists of the files a package holds: they name every key fixture without using any.
FILE_LISTS = frozenset({"SOURCES.txt", "MANIFEST", "RECORD", "installed-files.txt"})
SECRETS_SCANNER = "secrets"
PRIVATE_KEY_RULE = "private-key"


def is_test_path(path: str | None) -> bool:
    """True for files in tests, fixtures and examples, and for test modules anywhere."""
    if not path:
        return False
    pure = PurePosixPath(path)
    if any(part.lower() in NON_SHIPPED_DIRS for part in pure.parts[:-1]):
        return True
    name = pure.name.lower()
    return (
        name.startswith("test_")
        or name == "conftest.py"
        or any(name.endswith(s) for s in ("_test.py", "_test.go", ".test.js", ".test.ts"))
        or any(name.endswith(s) for s in (".spec.js", ".spec.ts", "_spec.rb"))
    )


def _is_key_fixture(path: str | None) -> bool:
    if not path:
        return False
    parts = {p.lower() for p in PurePosixPath(path).parts[:-1]}
    return is_test_path(path) or bool(parts & CERT_DIRS)


def _step_down(severity: Severity) -> Severity:
    return Severity(max(Severity.LOW.value, severity.value - 1))


def _shipped_texts(project: Project) -> list[str]:
    texts = []
    for rel in project.files:
        if PurePosixPath(rel).name in FILE_LISTS:
            continue
        if not is_test_path(rel) and not _is_key_fixture(rel):
            text = project.read_text(rel)
            if text is not None:
                texts.append(text)
    return texts


def _referenced(path: str, texts: list[str]) -> bool:
    """A key file is in use when shipped code or configuration names it.

    Its last directory and name (``certs/server.key``) are enough: code joins the rest.
    """
    short = "/".join(PurePosixPath(path).parts[-2:])
    return any(short in text for text in texts)


def _triaged(finding: Finding, referenced: bool) -> Finding:
    properties = dict(finding.properties)
    if finding.scanner == SECRETS_SCANNER:
        if finding.rule_id == PRIVATE_KEY_RULE and _is_key_fixture(finding.path):
            if referenced:
                properties["triage"] = "key fixture used by shipped code"
                return replace(finding, properties=properties)
            properties["triage"] = "key fixture: not referenced from shipped code"
            properties["original_severity"] = finding.severity.label
            return replace(finding, severity=Severity.LOW, properties=properties)
        if is_test_path(finding.path):
            # A live-looking token is a leak wherever it sits; it only ranks after others.
            properties["triage"] = "in tests, fixtures or examples"
            return replace(finding, properties=properties)
        return finding
    if not is_test_path(finding.path) or finding.severity.value <= Severity.LOW.value:
        return finding
    properties["triage"] = "in tests, fixtures or examples"
    properties["original_severity"] = finding.severity.label
    return replace(finding, severity=_step_down(finding.severity), properties=properties)


def triage(outcomes: list[ScannerOutcome], project: Project) -> None:
    """Adjust severities of ``outcomes``' findings in place, before thresholds apply."""
    shipped: list[str] | None = None
    for outcome in outcomes:
        adjusted = []
        for finding in outcome.findings:
            referenced = False
            if (
                finding.scanner == SECRETS_SCANNER
                and finding.rule_id == PRIVATE_KEY_RULE
                and finding.path
                and _is_key_fixture(finding.path)
            ):
                if shipped is None:
                    shipped = _shipped_texts(project)
                referenced = _referenced(finding.path, shipped)
            adjusted.append(_triaged(finding, referenced))
        outcome.findings = adjusted


def rank(finding: Finding) -> tuple[int, int, int, str, str, int]:
    """Sort key: severity, then leaked credentials, then shipped code before tests."""
    return (
        -finding.severity.value,
        0 if finding.scanner == SECRETS_SCANNER else 1,
        1 if is_test_path(finding.path) else 0,
        finding.scanner,
        finding.path or "",
        finding.line or 0,
    )
