"""A validation or audit finding as a table row."""

from __future__ import annotations

from typing import Any

from rich.text import Text

SEVERITY_STYLE = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "cyan"}


def finding_row(finding: dict[str, Any], kind: str) -> tuple[Text, str, str, str]:
    """Severity, the check or scanner (``kind``), where, and the message."""
    severity = str(finding.get("severity", "?"))
    where = str(finding.get("path") or finding.get("file") or "")
    line = finding.get("line")
    if line:
        where = f"{where}:{line}"
    return (
        Text(severity, style=SEVERITY_STYLE.get(severity, "")),
        str(finding.get(kind) or finding.get("rule") or ""),
        where,
        str(finding.get("message", "")),
    )
