"""Infrastructure scanners: Dockerfiles (hadolint), manifests (trivy config, offline) and GitHub
workflows (zizmor, actionlint). Each runs when installed and says "not run" when it is not."""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from claude_tui.audit.model import Finding, ScannerOutcome, Severity, Status
from claude_tui.audit.options import AuditOptions
from claude_tui.audit.project import Project
from claude_tui.audit.tools import ToolFailure, ToolRun, find_tool, run_tool, tool_version

DOCKERFILE_RE = re.compile(r"(^|/)(Dockerfile|Containerfile)([.\-][^/]*)?$|\.dockerfile$")
WORKFLOW_RE = re.compile(r"^\.github/workflows/[^/]+\.ya?ml$")
MANIFEST_RE = re.compile(r"\.(ya?ml|tf)$")
HADOLINT_SEVERITY = {
    "error": Severity.MEDIUM,
    "warning": Severity.LOW,
    "info": Severity.INFO,
    "style": Severity.INFO,
}
TRIVY_SEVERITY = {
    "LOW": Severity.LOW,
    "MEDIUM": Severity.MEDIUM,
    "HIGH": Severity.HIGH,
    "CRITICAL": Severity.CRITICAL,
}
ZIZMOR_SEVERITY = {
    "unknown": Severity.LOW,
    "informational": Severity.INFO,
    "low": Severity.LOW,
    "medium": Severity.MEDIUM,
    "high": Severity.HIGH,
}

Parser = Callable[[ToolRun, Project], list[Finding]]


def _line_identity(project: Project, rel: str, line: int | None, rule: str) -> str:
    text = project.read_text(rel) or ""
    lines = text.splitlines()
    return f"{rule}:{lines[line - 1].strip()}" if line and 0 < line <= len(lines) else rule


def _run_scanner(
    name: str,
    tool: str,
    targets: list[str],
    project: Project,
    argv: Callable[[str], list[str]],
    parse: Parser,
    ok_codes: tuple[int, ...],
    options: AuditOptions,
    version_flag: str = "--version",
) -> ScannerOutcome:
    if not targets:
        return ScannerOutcome(name, Status.NOTHING_TO_SCAN, reason="no files of its kind")
    executable = find_tool(tool)
    if executable is None:
        return ScannerOutcome(
            name,
            Status.NOT_RUN,
            reason=f"{tool} is not installed ({len(targets)} file(s) not checked)",
        )
    try:
        run = run_tool(argv(executable), cwd=project.root, timeout=options.tool_timeout)
        if run.returncode not in ok_codes:
            raise ToolFailure(f"{tool} failed (exit {run.returncode}): {run.first_error_line()}")
        findings = parse(run, project)
    except ToolFailure as exc:
        return ScannerOutcome(name, Status.FAILED, reason=str(exc))
    except (ValueError, KeyError, TypeError) as exc:
        return ScannerOutcome(name, Status.FAILED, reason=f"{tool} output unreadable: {exc}")
    return ScannerOutcome(
        name,
        Status.COMPLETED,
        findings,
        reason=f"{len(targets)} file(s)",
        tool=tool_version(executable, version_flag),
    )


def _parse_hadolint(run: ToolRun, project: Project) -> list[Finding]:
    findings = []
    for item in json.loads(run.stdout or "[]"):
        rel = str(item["file"])
        line = int(item.get("line") or 0) or None
        findings.append(
            Finding(
                scanner="infra.hadolint",
                rule_id=str(item["code"]),
                severity=HADOLINT_SEVERITY.get(str(item.get("level")), Severity.LOW),
                message=str(item["message"]),
                path=rel,
                line=line,
                column=item.get("column"),
                identity=_line_identity(project, rel, line, str(item["code"])),
                help_uri=f"https://github.com/hadolint/hadolint/wiki/{item['code']}"
                if str(item["code"]).startswith("DL")
                else None,
            )
        )
    return findings


def scan_hadolint(project: Project, options: AuditOptions) -> ScannerOutcome:
    """hadolint on every Dockerfile and Containerfile."""
    targets = [f for f in project.files if DOCKERFILE_RE.search(f)]
    return _run_scanner(
        "infra.hadolint",
        "hadolint",
        targets,
        project,
        lambda exe: [exe, "--no-color", "-f", "json", "--no-fail", *targets],
        _parse_hadolint,
        (0, 1),
        options,
    )


KUSTOMIZATION_NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
PATCH_REF_RE = re.compile(r"^\s*(?:-\s*)?(?:path:\s*)?([\w./\-]+\.ya?ml)\s*$")


def kustomize_patches(project: Project) -> set[str]:
    """Files a kustomization applies as patches: partial objects that only make sense merged
    into their base, so checking them alone reports settings the base already has."""
    patches: set[str] = set()
    for rel in project.files:
        if Path(rel).name not in KUSTOMIZATION_NAMES:
            continue
        in_patches = False
        for line in (project.read_text(rel) or "").splitlines():
            if re.match(r"^(patches|patchesStrategicMerge|patchesJson6902):", line):
                in_patches = True
                continue
            if re.match(r"^\S", line):
                in_patches = False
            match = PATCH_REF_RE.match(line) if in_patches else None
            if match:
                patches.add((Path(rel).parent / match.group(1)).as_posix())
    return patches


def scan_trivy(project: Project, options: AuditOptions) -> ScannerOutcome:
    """trivy's misconfiguration checks on manifests and Dockerfiles, with its embedded checks
    only (no download), over exactly the project's files (kustomize patches excluded)."""
    patches = kustomize_patches(project)
    targets = [f for f in project.files if MANIFEST_RE.search(f) or DOCKERFILE_RE.search(f)]
    targets = [f for f in targets if not WORKFLOW_RE.match(f) and f not in patches]
    with tempfile.TemporaryDirectory(prefix="ctui-trivy-") as tmp:
        farm = Path(tmp) / "tree"
        # trivy does not follow symlinks, so the files are copied (manifests are small).
        for rel in targets:
            (farm / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(project.root / rel, farm / rel)

        def parse(run: ToolRun, project: Project) -> list[Finding]:
            report: dict[str, Any] = json.loads(run.stdout or "{}")
            findings = []
            for result in report.get("Results") or []:
                rel = str(result.get("Target", ""))
                for item in result.get("Misconfigurations") or []:
                    if item.get("Status") != "FAIL":
                        continue
                    line = (item.get("CauseMetadata") or {}).get("StartLine") or None
                    findings.append(
                        Finding(
                            scanner="infra.trivy",
                            rule_id=str(item["ID"]),
                            severity=TRIVY_SEVERITY.get(str(item.get("Severity")), Severity.MEDIUM),
                            message=f"{item.get('Title')}: {item.get('Message')}",
                            path=rel,
                            line=line,
                            identity=_line_identity(project, rel, line, str(item["ID"])),
                            help_uri=item.get("PrimaryURL"),
                        )
                    )
            return findings

        return _run_scanner(
            "infra.trivy",
            "trivy",
            targets,
            project,
            lambda exe: [
                exe,
                "config",
                "--skip-check-update",
                "--skip-version-check",
                "--quiet",
                "--format",
                "json",
                "--cache-dir",
                str(Path(tmp) / "cache"),
                str(farm),
            ],
            lambda run, p: [_rebase(f, farm) for f in parse(run, p)],
            (0,),
            options,
        )


def _rebase(finding: Finding, farm: Path) -> Finding:
    """trivy names targets relative to the scanned tree already; keep that, strip the farm."""
    from dataclasses import replace

    path = finding.path or ""
    if path.startswith(str(farm)):
        path = Path(path).relative_to(farm).as_posix()
    return replace(finding, path=path)


def _parse_zizmor(run: ToolRun, project: Project) -> list[Finding]:
    findings = []
    for item in json.loads(run.stdout or "[]"):
        if item.get("ignored"):
            continue
        location = (item.get("locations") or [{}])[0]
        key = (location.get("symbolic") or {}).get("key", {}).get("Local", {})
        rel = str(key.get("given_path") or key.get("verbatim_path") or "")
        point = ((location.get("concrete") or {}).get("location") or {}).get("start_point") or {}
        line = int(point["row"]) + 1 if "row" in point else None
        severity = str((item.get("determinations") or {}).get("severity", "unknown")).lower()
        annotation = (location.get("symbolic") or {}).get("annotation", "")
        findings.append(
            Finding(
                scanner="infra.zizmor",
                rule_id=str(item["ident"]),
                severity=ZIZMOR_SEVERITY.get(severity, Severity.LOW),
                message=f"{item.get('desc')}" + (f": {annotation}" if annotation else ""),
                path=rel,
                line=line,
                identity=_line_identity(project, rel, line, str(item["ident"])),
                help_uri=item.get("url"),
            )
        )
    return findings


def scan_zizmor(project: Project, options: AuditOptions) -> ScannerOutcome:
    """zizmor's offline audits of the GitHub workflows."""
    targets = [f for f in project.files if WORKFLOW_RE.match(f)]
    return _run_scanner(
        "infra.zizmor",
        "zizmor",
        targets,
        project,
        lambda exe: [exe, "--offline", "--no-progress", "--format", "json", *targets],
        _parse_zizmor,
        (0, 10, 11, 12, 13, 14),
        options,
    )


def _parse_actionlint(run: ToolRun, project: Project) -> list[Finding]:
    findings = []
    for item in json.loads(run.stdout or "[]") or []:
        rel = str(item["filepath"])
        line = int(item.get("line") or 0) or None
        kind = str(item.get("kind", "lint"))
        findings.append(
            Finding(
                scanner="infra.actionlint",
                rule_id=kind,
                severity=Severity.LOW if kind == "shellcheck" else Severity.MEDIUM,
                message=str(item["message"]),
                path=rel,
                line=line,
                column=item.get("column"),
                identity=_line_identity(project, rel, line, kind),
            )
        )
    return findings


def scan_actionlint(project: Project, options: AuditOptions) -> ScannerOutcome:
    """actionlint on the GitHub workflows, run from the project root as it expects."""
    targets = [f for f in project.files if WORKFLOW_RE.match(f)]
    return _run_scanner(
        "infra.actionlint",
        "actionlint",
        targets,
        project,
        lambda exe: [exe, "-no-color", "-format", "{{json .}}", *targets],
        _parse_actionlint,
        (0, 1),
        options,
    )
