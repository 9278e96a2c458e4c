"""Secrets in the project's files and, on request, in its git history.

Our provider rules and entropy check run on every file; gitleaks and the detect-secrets
plugins for providers our rules do not cover add what they find when they are installed.
Findings carry the secret masked and a digest, never the value.
"""

from __future__ import annotations

import base64
import json
import os
import re
import tempfile
import tomllib
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from claude_tui.audit.masking import mask_secret, secret_digest
from claude_tui.audit.model import Finding, ScannerOutcome, Severity, Status
from claude_tui.audit.options import AuditOptions
from claude_tui.audit.project import Project
from claude_tui.audit.secret_rules import find_secrets, looks_random
from claude_tui.audit.tools import ToolFailure, find_tool, run_tool, tool_version
from claude_tui.sandbox.git import Git, GitError

SCANNER = "secrets"
# detect-secrets plugins for providers that our own rules do not cover. Its keyword and
# entropy plugins are left out: our generic rule does that job with fewer false positives.
DETECT_SECRETS_PLUGINS = (
    "ArtifactoryDetector",
    "DiscordBotTokenDetector",
    "MailchimpDetector",
    "SquareOAuthDetector",
    "TelegramBotTokenDetector",
)

# gitleaks' catch-all keyword rule reports digests and cache keys as secrets; our generic rule
# does that job with a plausibility check, so only gitleaks' provider rules are merged.
GITLEAKS_SKIPPED_RULES = frozenset({"generic-api-key"})
OWN_GITLEAKS_CONFIG = Path(__file__).with_name("gitleaks.toml")
REPO_GITLEAKS_CONFIG = ".gitleaks.toml"
# What an allow-list entry may hold; anything else in a repository's file (rules, extend) is
# not taken, so a repository can exempt its known test values but never turn rules off.
ALLOWLIST_KEYS = ("description", "condition", "regexTarget", "paths", "regexes", "stopwords")
COMMIT_LINE_RE = re.compile(r"^commit [0-9a-f]{40,64}$")  # SHA-1 and SHA-256 repositories
HUNK_RE = re.compile(r"^@@ -\S+ \+(\d+)")


def _relative_to_project(file_name: str, root: Path, farm: Path) -> str:
    """gitleaks reports either the symlink's path or the resolved target's path."""
    for base in (farm, root, Path(os.path.realpath(root))):
        try:
            return Path(file_name).relative_to(base).as_posix()
        except ValueError:
            continue
    return file_name


def _finding(
    rule_id: str,
    severity: Severity,
    description: str,
    secret: str,
    path: str,
    line: int | None,
    column: int | None = None,
    engine: str = "claude-tui",
    commit: str | None = None,
    visible: int = 0,
    why: str = "",
) -> Finding:
    masked = mask_secret(secret, visible)
    where = f" (commit {commit[:12]})" if commit else ""
    properties: dict[str, str] = {"masked": masked, "engine": engine}
    if commit:
        properties["commit"] = commit
    if why:
        properties["why"] = why
    return Finding(
        scanner=SCANNER,
        rule_id=rule_id,
        severity=severity,
        message=f"{description}: {masked}{where}" + (f" ({why})" if why else ""),
        path=path,
        line=line,
        column=column,
        identity=secret_digest(secret),
        properties=properties,
    )


def scan_text(text: str, path: str, commit: str | None = None) -> list[Finding]:
    """Findings of our own rules in one text."""
    return [
        _finding(
            m.rule.id,
            m.rule.severity,
            m.rule.description,
            m.secret,
            path,
            m.line,
            m.column,
            commit=commit,
            visible=m.rule.visible,
            why=m.reason,
        )
        for m in find_secrets(text, path)
    ]


def _toml_string(value: object) -> str:
    # JSON's escapes are TOML's; surrogate pairs (ensure_ascii) and a raw DEL are not.
    return json.dumps(str(value), ensure_ascii=False).replace("\x7f", "\\u007f")


def _repo_allowlists(project: Project) -> tuple[list[dict[str, object]], str]:
    """The allow-list entries of the repository's ``.gitleaks.toml`` and a note on them."""
    path = project.root / REPO_GITLEAKS_CONFIG
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return [], f"{REPO_GITLEAKS_CONFIG} present but unreadable, not applied: {exc}"
    tables = data.get("allowlists", [])
    entries = [t for t in tables if isinstance(t, dict)] if isinstance(tables, list) else []
    if isinstance(data.get("allowlist"), dict):
        entries.insert(0, data["allowlist"])
    kept: list[dict[str, object]] = []
    for entry in entries:
        item = {k: entry[k] for k in ALLOWLIST_KEYS if k in entry}
        if any(isinstance(item.get(k), list) and item[k] for k in ALLOWLIST_KEYS[3:]):
            kept.append(item)
    return kept, ""


def _describe_allowlist(entry: dict[str, object]) -> str:
    parts = [
        f"{key} {', '.join(repr(str(v)) for v in values)}"
        for key in ("paths", "regexes", "stopwords")
        if isinstance(values := entry.get(key), list) and values
    ]
    return "; ".join(parts)


def gitleaks_config(
    project: Project, respect_repo_config: bool, directory: Path
) -> tuple[Path, str]:
    """The configuration file gitleaks runs with and what the report says about the repository's.

    gitleaks would otherwise read the scanned tree's ``.gitleaks.toml`` and let the audited
    repository replace the rules or allow-list everything.
    """
    if not (project.root / REPO_GITLEAKS_CONFIG).is_file():
        return OWN_GITLEAKS_CONFIG, ""
    if not respect_repo_config:
        return OWN_GITLEAKS_CONFIG, (
            f"gitleaks: the repository's {REPO_GITLEAKS_CONFIG} is present and not applied "
            "(--respect-repo-config merges its allow-list)"
        )
    entries, problem = _repo_allowlists(project)
    if problem:
        return OWN_GITLEAKS_CONFIG, f"gitleaks: {problem}"
    if not entries:
        return OWN_GITLEAKS_CONFIG, (
            f"gitleaks: the repository's {REPO_GITLEAKS_CONFIG} has no allow-list entry to merge"
        )
    lines = [OWN_GITLEAKS_CONFIG.read_text(encoding="utf-8")]
    for entry in entries:
        lines.append("[[allowlists]]")
        for key, value in entry.items():
            if isinstance(value, list):
                rendered = "[" + ", ".join(_toml_string(v) for v in value) + "]"
            else:
                rendered = _toml_string(value)
            lines.append(f"{key} = {rendered}")
    merged = directory / "gitleaks.toml"
    merged.write_text("\n".join(lines) + "\n", encoding="utf-8")
    listed = " | ".join(_describe_allowlist(e) for e in entries)
    return merged, (
        f"gitleaks: merged the allow-list of the repository's {REPO_GITLEAKS_CONFIG}: {listed}"
    )


def _secret_position(
    match: str, secret: str, start_line: int, end_line: int
) -> tuple[int, int | None]:
    """Line and column of the secret inside a match spanning several lines.

    gitleaks gives the match's first line (``kind: Secret`` for a Kubernetes Secret); the
    secret itself is further down, and where it is decoded from base64 it is not in the match
    at all: those rules end their match with the value, so the last line holds it.
    """
    index = match.find(secret)
    if index < 0:
        return end_line, None
    before = match[:index]
    return start_line + before.count("\n"), index - before.rfind("\n")


def _gitleaks_plausible(secret: str) -> bool:
    """gitleaks' match, unless it is filler (``sk-ant-api03-XXXX…``) or a public certificate."""
    # Key material is binary: an OpenSSH key's base64 holds long runs of ``A`` by nature.
    if "PRIVATE KEY" not in secret and not looks_random(secret, 2.0):
        return False
    # The Kubernetes rule's secret is the whole ``key: value`` entry.
    value = secret.rsplit(":", 1)[-1].strip() if ": " in secret else secret
    try:
        decoded = base64.b64decode(value, validate=True)[:64]
    except ValueError:
        decoded = b""
    # A Kubernetes TLS Secret holds the certificate beside the key; only the key is secret.
    return b"BEGIN CERTIFICATE" not in decoded and "BEGIN CERTIFICATE" not in secret


def _gitleaks_findings(
    project: Project, files: list[str], timeout: float, config: Path
) -> list[Finding]:
    """gitleaks over exactly the files we audit (a tree of symlinks), so policy paths hold."""
    executable = find_tool("gitleaks")
    if executable is None:
        return []
    with tempfile.TemporaryDirectory(prefix="ctui-gitleaks-") as tmp:
        farm = Path(tmp) / "tree"
        farm.mkdir()
        for rel in files:
            target = farm / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            os.symlink(project.root / rel, target)
        report = Path(tmp) / "report.json"
        # Scanned from inside the tree so an allow-list's path patterns see repository paths.
        run = run_tool(
            [
                executable,
                "dir",
                ".",
                "--config",
                str(config),
                "--follow-symlinks",
                "--no-banner",
                "--log-level",
                "error",
                "--report-format",
                "json",
                "--report-path",
                str(report),
                "--exit-code",
                "0",
                "--gitleaks-ignore-path",
                str(farm / ".gitleaksignore-none"),
            ],
            cwd=farm,
            timeout=timeout,
        )
        if run.returncode != 0 or not report.exists():
            raise ToolFailure(f"gitleaks failed: {run.first_error_line()}")
        try:
            records = json.loads(report.read_text(encoding="utf-8") or "[]")
        except json.JSONDecodeError as exc:
            raise ToolFailure(f"gitleaks wrote an unreadable report: {exc}") from exc
    findings = []
    for record in records:
        secret = str(record.get("Secret", ""))
        file_name = str(record.get("File", ""))
        rule = str(record.get("RuleID", "unknown"))
        if not secret or rule in GITLEAKS_SKIPPED_RULES or not _gitleaks_plausible(secret):
            continue
        rel = _relative_to_project(file_name, project.root, farm)
        line = int(record.get("StartLine") or 0) or None
        column = int(record.get("StartColumn") or 0) or None
        end_line = int(record.get("EndLine") or 0) or None
        if line and end_line and end_line > line:
            line, column = _secret_position(str(record.get("Match", "")), secret, line, end_line)
        findings.append(
            _finding(
                f"gitleaks.{rule}",
                Severity.HIGH,
                str(record.get("Description") or "Secret found by gitleaks"),
                secret,
                rel,
                line,
                column,
                engine="gitleaks",
            )
        )
    return findings


def _detect_secrets_findings(project: Project, files: list[str]) -> list[Finding]:
    from detect_secrets.core.scan import scan_file
    from detect_secrets.settings import transient_settings

    findings = []
    config = {"plugins_used": [{"name": name} for name in DETECT_SECRETS_PLUGINS]}
    with transient_settings(config):
        for rel in files:
            for secret in scan_file(str(project.root / rel)):
                value = secret.secret_value or ""
                if not value:
                    continue
                findings.append(
                    _finding(
                        "detect-secrets." + re.sub(r"\W+", "-", secret.type.lower()).strip("-"),
                        Severity.HIGH,
                        secret.type,
                        value,
                        rel,
                        secret.line_number or None,
                        engine="detect-secrets",
                    )
                )
    return findings


def _merge(primary: list[Finding], extra: Iterable[Finding]) -> list[Finding]:
    """Add engine findings that do not repeat a secret already reported at that place."""
    seen = {(f.path, f.identity) for f in primary}
    seen_lines = {(f.path, f.line) for f in primary}
    merged = list(primary)
    for finding in extra:
        if (finding.path, finding.identity) in seen or (finding.path, finding.line) in seen_lines:
            continue
        seen.add((finding.path, finding.identity))
        seen_lines.add((finding.path, finding.line))
        merged.append(finding)
    return merged


def scan_history(project: Project, timeout: float) -> list[Finding]:
    """Secrets in lines added by any commit reachable from any ref."""
    try:
        log = Git(project.root, timeout=timeout).output(
            "log", "-p", "--all", "--no-color", "--unified=0", "--format=commit %H"
        )
    except GitError as exc:
        raise ToolFailure(f"git log could not read the history: {exc}") from exc
    findings: list[Finding] = []
    commit = ""
    path: str | None = None
    added: list[str] = []
    line_numbers: list[int] = []
    next_line = 0

    def flush() -> None:
        if path and added and not project.policy.excluded(path):
            for found in scan_text("\n".join(added), path, commit=commit):
                index = (found.line or 1) - 1
                real_line = line_numbers[index] if index < len(line_numbers) else None
                findings.append(replace(found, line=real_line))
        added.clear()
        line_numbers.clear()

    for raw in log.splitlines():
        if COMMIT_LINE_RE.match(raw):
            flush()
            commit, path = raw[7:], None
        elif raw.startswith("+++ "):
            flush()
            target = raw[4:]
            path = target[2:] if target.startswith("b/") else None
        elif raw.startswith("@@"):
            match = HUNK_RE.match(raw)
            next_line = int(match.group(1)) if match else 0
        elif raw.startswith("+") and path is not None:
            added.append(raw[1:])
            line_numbers.append(next_line)
            next_line += 1
    flush()
    # The oldest commit that introduced a secret in a path is the one worth reporting.
    unique: dict[tuple[str | None, str, str], Finding] = {}
    for finding in findings:
        unique[(finding.path, finding.rule_id, finding.identity)] = finding
    return list(unique.values())


def scan(project: Project, options: AuditOptions) -> ScannerOutcome:
    """Run the secret scan of ``project``."""
    files = list(project.files)
    findings: list[Finding] = []
    for rel in files:
        text = project.read_text(rel)
        if text is not None:
            findings.extend(scan_text(text, rel))
    engines = ["claude-tui rules"]
    notes: list[str] = []
    if "gitleaks" in options.secret_engines:
        if find_tool("gitleaks"):
            gitleaks = find_tool("gitleaks") or "gitleaks"
            with tempfile.TemporaryDirectory(prefix="ctui-gitleaks-config-") as tmp:
                config, note = gitleaks_config(project, options.respect_repo_config, Path(tmp))
                found = _gitleaks_findings(project, files, options.tool_timeout, config)
            findings = _merge(findings, found)
            engines.append(f"gitleaks {tool_version(gitleaks, 'version')}")
            if note:
                notes.append(note)
        else:
            notes.append("gitleaks engine not installed")
    if "detect-secrets" in options.secret_engines:
        findings = _merge(findings, _detect_secrets_findings(project, files))
        engines.append("detect-secrets provider plugins")
    if options.history:
        if not project.is_git:
            return ScannerOutcome(
                SCANNER,
                Status.NOT_CHECKED,
                findings,
                reason=f"--history asked for, but {project.root} is not a git repository",
                tool=", ".join(engines),
            )
        current = {(f.path, f.identity) for f in findings}
        history = [
            f
            for f in scan_history(project, options.tool_timeout)
            if (f.path, f.identity) not in current
        ]
        findings.extend(history)
        engines.append("git history")
    return ScannerOutcome(
        SCANNER,
        Status.COMPLETED,
        findings,
        reason="; ".join(notes),
        tool=", ".join(engines),
    )
