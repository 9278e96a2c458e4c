"""Inline allow comments and the baseline file: the two ways a project accepts a finding.

An inline comment on the finding's line, or alone on the line above it, allows it:

    token = load()  # ctui-audit: allow generic-secret-assignment -- rotated, test only

``allow`` without rule ids allows every rule on that line. For secrets the comments other
scanners use are honoured too (``gitleaks:allow``, ``pragma: allowlist secret``).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path

from claude_tui.audit.model import Finding
from claude_tui.audit.project import Project

ALLOW_RE = re.compile(
    r"ctui-audit:\s*allow\b(?P<rules>[ \t]+[\w.\-*]+(?:[ \t]*,[ \t]*[\w.\-*]+)*)?"
)
FOREIGN_SECRET_ALLOWS = ("gitleaks:allow", "pragma: allowlist secret")
COMMENT_ONLY_RE = re.compile(r"^\s*(#|//|--|;|/\*|\*|<!--)")
BASELINE_VERSION = 1


class BaselineError(Exception):
    """The baseline file is missing or not one this program wrote."""


def _allows(line: str, finding: Finding) -> bool:
    if finding.scanner == "secrets" and any(marker in line for marker in FOREIGN_SECRET_ALLOWS):
        return True
    match = ALLOW_RE.search(line)
    if match is None:
        return False
    rules = match.group("rules")
    if not rules:
        return True
    wanted = {r.strip() for r in rules.split(",")}
    return finding.rule_id in wanted or finding.rule_id.rsplit(".", 1)[-1] in wanted


def inline_allowed(project: Project, finding: Finding, cache: dict[str, list[str]]) -> bool:
    """Whether a comment on the finding's line, or a comment line right above it, allows it."""
    if finding.path is None or finding.line is None or "commit" in finding.properties:
        return False
    if finding.path not in cache:
        cache[finding.path] = (project.read_text(finding.path) or "").splitlines()
    lines = cache[finding.path]
    index = finding.line - 1
    if not 0 <= index < len(lines):
        return False
    if _allows(lines[index], finding):
        return True
    above = index - 1
    return (
        above >= 0 and bool(COMMENT_ONLY_RE.match(lines[above])) and _allows(lines[above], finding)
    )


@dataclass(frozen=True)
class Baseline:
    """Fingerprints of findings accepted as they were when the baseline was written."""

    fingerprints: frozenset[str]

    @classmethod
    def load(cls, path: Path) -> Baseline:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise BaselineError(f"baseline file {path} does not exist") from exc
        except (OSError, ValueError) as exc:
            raise BaselineError(f"baseline file {path} cannot be read: {exc}") from exc
        if not isinstance(data, dict) or data.get("version") != BASELINE_VERSION:
            raise BaselineError(f"baseline file {path} is not a claude-tui audit baseline")
        entries = data.get("findings", [])
        return cls(frozenset(str(e["fingerprint"]) for e in entries if "fingerprint" in e))

    @staticmethod
    def write(path: Path, findings: list[Finding]) -> None:
        """Record ``findings``; the rule and place are kept so a reviewer can read the file."""
        entries = [
            {
                "fingerprint": f.fingerprint,
                "scanner": f.scanner,
                "rule": f.rule_id,
                "path": f.path,
                "severity": f.severity.label,
            }
            for f in sorted(findings, key=lambda f: (f.scanner, f.path or "", f.rule_id))
        ]
        payload = {
            "version": BASELINE_VERSION,
            "created": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "findings": entries,
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
