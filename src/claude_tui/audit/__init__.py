"""The security audit: secrets, vulnerable dependencies, licenses, code and infrastructure,
under one policy and one report. A library usable without the server; ``claude-tui audit``,
the API and the MCP server call :func:`run_audit`."""

from __future__ import annotations

from claude_tui.audit.model import Finding, ScannerOutcome, Severity, Status
from claude_tui.audit.options import AuditOptions
from claude_tui.audit.policy import Policy, PolicyError, load_policy
from claude_tui.audit.runner import AuditReport, run_audit

__all__ = [
    "AuditOptions",
    "AuditReport",
    "Finding",
    "Policy",
    "PolicyError",
    "ScannerOutcome",
    "Severity",
    "Status",
    "load_policy",
    "run_audit",
]
