"""``audit PATH``: the security audit of a project (secrets, dependencies, licenses, code,
infrastructure). Exit 0 pass, 1 findings at or above the threshold, 2 a required scanner
could not complete (or the command could not be used as given)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from claude_tui.cli.common import CliError, one_line_errors


def _parse_reports(values: list[str]) -> list[tuple[str, Path]]:
    from claude_tui.audit.reporting import FORMATS

    reports = []
    for value in values:
        fmt, sep, target = value.partition(":")
        if not sep or fmt not in FORMATS or not target:
            raise CliError(
                f"--report takes FORMAT:PATH with FORMAT one of {', '.join(FORMATS)}, got {value!r}"
            )
        reports.append((fmt, Path(target)))
    return reports


def audit(
    path: Annotated[Path, typer.Argument(help="Project directory to audit.")] = Path("."),
    output_format: Annotated[
        str, typer.Option("--format", "-f", help="Format on stdout: text, json, sarif, markdown.")
    ] = "text",
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Write the --format report to this file; print the summary."
        ),
    ] = None,
    report: Annotated[
        list[str] | None,
        typer.Option(help="Also write FORMAT:PATH (repeatable), e.g. sarif:audit.sarif."),
    ] = None,
    fail_on: Annotated[
        str | None,
        typer.Option(help="Lowest severity that fails: info, low, medium, high, critical."),
    ] = None,
    policy_file: Annotated[
        Path | None,
        typer.Option("--policy", help="Policy file (default PATH/.claude-tui/audit.toml)."),
    ] = None,
    baseline: Annotated[
        Path | None, typer.Option(help="Baseline file: its findings do not fail.")
    ] = None,
    write_baseline: Annotated[
        Path | None, typer.Option(help="Record the current findings as the baseline and exit 0.")
    ] = None,
    history: Annotated[bool, typer.Option(help="Also scan the git history for secrets.")] = False,
    advisories: Annotated[
        Path | None, typer.Option(help="Directory of OSV JSON advisories (offline source).")
    ] = None,
    offline: Annotated[
        bool, typer.Option(help="Never contact the OSV service (dependencies need --advisories).")
    ] = False,
    osv_url: Annotated[str | None, typer.Option(help="Base URL of the OSV service.")] = None,
    python: Annotated[
        Path | None,
        typer.Option(help="Interpreter whose installed packages are audited (default PATH/.venv)."),
    ] = None,
    only: Annotated[
        list[str] | None, typer.Option(help="Run only this scanner or group (repeatable).")
    ] = None,
    license_metadata: Annotated[
        Path | None,
        typer.Option(
            help="Directory of package metadata files (*.metadata): licenses of pinned "
            "packages when the project has no virtualenv."
        ),
    ] = None,
    respect_repo_config: Annotated[
        bool,
        typer.Option(
            "--respect-repo-config",
            help="Merge the allow-list of the project's .gitleaks.toml (never its rules).",
        ),
    ] = False,
) -> None:
    """Audit PATH for secrets, vulnerable dependencies, licenses, code and infrastructure."""
    from claude_tui.audit.model import Severity
    from claude_tui.audit.options import OSV_URL, AuditOptions
    from claude_tui.audit.policy import SCANNERS, PolicyError, load_policy
    from claude_tui.audit.project import ProjectError
    from claude_tui.audit.reporting import FORMATS, RENDERERS
    from claude_tui.audit.runner import run_audit
    from claude_tui.audit.suppression import Baseline, BaselineError

    if output_format not in FORMATS:
        raise CliError(f"--format must be one of {', '.join(FORMATS)}, got {output_format!r}")
    extra_reports = _parse_reports(report or [])
    if output is not None:
        extra_reports.append((output_format, output))
    for name in only or []:
        if name not in SCANNERS:
            raise CliError(f"--only {name!r} is not a scanner (known: {', '.join(SCANNERS)})")
    try:
        threshold = Severity.parse(fail_on) if fail_on is not None else None
    except ValueError as exc:
        raise CliError(f"--fail-on: {exc}") from exc
    if advisories is not None and not advisories.is_dir():
        raise CliError(f"--advisories {advisories} is not a directory")
    if license_metadata is not None and not license_metadata.is_dir():
        raise CliError(f"--license-metadata {license_metadata} is not a directory")
    if python is not None and not python.exists():
        raise CliError(f"--python {python} does not exist")
    try:
        policy = load_policy(path.resolve(), policy_file)
        accepted = Baseline.load(baseline) if baseline is not None else None
        options = AuditOptions(
            history=history,
            advisories=advisories,
            online=not offline,
            osv_url=osv_url or OSV_URL,
            python=python,
            only=tuple(only or ()),
            respect_repo_config=respect_repo_config,
            license_metadata=license_metadata,
        )
        result = run_audit(path, policy, options, baseline=accepted, fail_on=threshold)
    except (PolicyError, BaselineError, ProjectError) as exc:
        raise CliError(str(exc)) from exc
    if write_baseline is not None:
        Baseline.write(write_baseline, result.findings)
        typer.echo(f"baseline of {len(result.findings)} finding(s) written to {write_baseline}")
        raise typer.Exit(0)
    for fmt, target in extra_reports:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(RENDERERS[fmt](result) + "\n", encoding="utf-8")
        except OSError as exc:
            raise CliError(f"cannot write {target}: {exc.strerror}") from exc
    typer.echo(RENDERERS["text" if output is not None else output_format](result))
    raise typer.Exit(result.exit_code)


def register(app: typer.Typer) -> None:
    app.command()(one_line_errors(audit))
