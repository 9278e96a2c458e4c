"""``claude-tui audit`` as a user runs it: exit codes, formats, policy, baseline, history."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import typer
from planted_secrets import SecretFactory
from typer.testing import CliRunner

from claude_tui.cli import audit_cmd

FACTORY = SecretFactory()
runner = CliRunner()
OFFLINE_SECRETS = ["--offline", "--only", "secrets"]


def audit_app() -> typer.Typer:
    app = typer.Typer()
    audit_cmd.register(app)
    app.command("unused", hidden=True)(lambda: None)  # keeps Typer in multi-command mode
    return app


def run(*args: str | Path) -> tuple[int, str]:
    result = runner.invoke(audit_app(), ["audit", *map(str, args)])
    return result.exit_code, result.output


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    (root / "src").mkdir(parents=True)
    (root / "src" / "app.py").write_text('"""App."""\n\nVALUE = 1\n')
    return root


def plant(root: Path, rel: str = "src/settings.py", prefix: str = "") -> str:
    token = FACTORY.github_token()
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'{prefix}GITHUB_TOKEN = "{token}"\n')
    return token


def test_clean_project_passes(project: Path) -> None:
    code, out = run(project, *OFFLINE_SECRETS)
    assert code == 0, out
    assert "Result: PASS" in out


def test_a_secret_fails_and_is_shown_masked(project: Path) -> None:
    token = plant(project)
    code, out = run(project, *OFFLINE_SECRETS)
    assert code == 1
    assert "src/settings.py:1 github-token" in out
    assert token not in out
    assert token[:8] + "…" in out
    assert token[:9] not in out


def test_fail_on_threshold(project: Path) -> None:
    plant(project)
    assert run(project, *OFFLINE_SECRETS, "--fail-on", "critical")[0] == 0


def test_dependencies_not_checked_offline_make_the_audit_incomplete(project: Path) -> None:
    (project / "requirements.txt").write_text("jinja2==3.1.4\n")
    code, out = run(project, "--offline", "--only", "dependencies")
    assert code == 2
    assert "dependencies: not checked - 1 packages not checked: offline" in out
    assert "Result: INCOMPLETE" in out


def test_dependencies_against_offline_advisories(project: Path, audit_fixtures: Path) -> None:
    (project / "requirements.txt").write_text("Jinja2==3.1.4\nurllib3==2.2.2  # fixed\n")
    lock = {
        "name": "web",
        "lockfileVersion": 3,
        "packages": {"": {"name": "web"}, "node_modules/left-pad": {"version": "1.3.0"}},
    }
    (project / "web").mkdir()
    (project / "web" / "package-lock.json").write_text(json.dumps(lock))
    code, out = run(
        project,
        "--only",
        "dependencies",
        "--advisories",
        audit_fixtures / "advisories",
        "-f",
        "json",
    )
    assert code == 1
    report = json.loads(out)
    found = {(f["rule"], f["properties"]["package"], f["path"]) for f in report["findings"]}
    assert found == {
        ("CTUI-TEST-2026-0001", "Jinja2", "requirements.txt"),
        ("CTUI-TEST-2026-0002", "left-pad", "web/package-lock.json"),
    }


@pytest.mark.sandbox
def test_installed_environment_is_audited(project: Path, audit_fixtures: Path) -> None:
    code, out = run(
        project,
        "--only",
        "dependencies",
        "--python",
        sys.executable,
        "--advisories",
        audit_fixtures / "advisories",
        "-f",
        "json",
    )
    report = json.loads(out)
    assert code == 1
    assert [f["rule"] for f in report["findings"]] == ["CTUI-TEST-2026-0004"]
    assert report["findings"][0]["properties"]["source"].startswith("installed")


def test_unreachable_osv_is_not_checked_never_clean(project: Path) -> None:
    from servers import free_port

    (project / "requirements.txt").write_text("jinja2==3.1.4\n")
    code, out = run(
        project, "--only", "dependencies", "--osv-url", f"http://127.0.0.1:{free_port()}"
    )
    assert code == 2
    assert "not checked" in out
    assert "could not be reached" in out


def test_policy_ignore_with_reason_and_expiry(project: Path) -> None:
    plant(project)
    policy = project / ".claude-tui" / "audit.toml"
    policy.parent.mkdir()
    policy.write_text(
        '[[ignore]]\nrule = "github-token"\npath = "src/**"\nreason = "revoked"\n'
        "expires = 2999-01-01\n"
    )
    assert run(project, *OFFLINE_SECRETS)[0] == 0
    policy.write_text(
        '[[ignore]]\nrule = "github-token"\nreason = "revoked"\nexpires = 2020-01-01\n'
    )
    code, out = run(project, *OFFLINE_SECRETS)
    assert code == 1
    assert "expired on 2020-01-01" in out


def test_inline_allow_comment(project: Path) -> None:
    plant(project, prefix="# ctui-audit: allow github-token -- revoked on rotation\n")
    assert run(project, *OFFLINE_SECRETS)[0] == 0


def test_baseline_accepts_known_findings_even_after_lines_move(project: Path) -> None:
    token = plant(project)
    baseline = project / ".claude-tui" / "audit-baseline.json"
    code, out = run(project, *OFFLINE_SECRETS, "--write-baseline", baseline)
    assert code == 0
    assert "baseline of 1 finding(s)" in out
    assert token not in baseline.read_text()
    settings = project / "src" / "settings.py"
    settings.write_text('"""Moved down."""\n\n\n' + settings.read_text())
    assert run(project, *OFFLINE_SECRETS, "--baseline", baseline)[0] == 0
    plant(project, "src/other.py")
    code, out = run(project, *OFFLINE_SECRETS, "--baseline", baseline)
    assert code == 1
    assert "src/other.py:1" in out
    assert "src/settings.py" not in out


def test_sarif_json_and_markdown_reports(project: Path, audit_fixtures: Path) -> None:
    plant(project)
    sarif_path = project.parent / "out" / "audit.sarif"
    md_path = project.parent / "out" / "audit.md"
    code, out = run(
        project,
        *OFFLINE_SECRETS,
        "-f",
        "json",
        "--report",
        f"sarif:{sarif_path}",
        "--report",
        f"markdown:{md_path}",
    )
    assert code == 1
    assert json.loads(out)["verdict"] == "fail"
    schema = json.loads((audit_fixtures / "sarif-schema-2.1.0.json").read_text())
    sarif = json.loads(sarif_path.read_text())
    jsonschema.validate(sarif, schema)
    assert sarif["runs"][0]["results"][0]["ruleId"] == "github-token"
    assert md_path.read_text().startswith("## Security audit: fail")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--fail-on", "severe"], "--fail-on: unknown severity 'severe'"),
        (["--format", "xml"], "--format must be one of"),
        (["--report", "pdf:x"], "--report takes FORMAT:PATH"),
        (["--only", "virus"], "--only 'virus' is not a scanner"),
        (["--advisories", "/nonexistent/adv"], "is not a directory"),
        (["--python", "/nonexistent/python"], "does not exist"),
        (["--baseline", "/nonexistent/b.json"], "baseline file /nonexistent/b.json does not exist"),
        (["--policy", "/nonexistent/p.toml"], "policy file /nonexistent/p.toml does not exist"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(project: Path, args: list[str], message: str) -> None:
    code, out = run(project, *args)
    assert code == 2
    assert message in out
    assert "Traceback" not in out


def test_missing_project_is_one_line(tmp_path: Path) -> None:
    code, out = run(tmp_path / "nope", *OFFLINE_SECRETS)
    assert (code, "does not exist" in out) == (2, True)


def git(root: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
    }
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)


def test_history_finds_a_secret_removed_from_the_tree(project: Path) -> None:
    git(project, "init", "-q")
    token = plant(project)
    git(project, "add", ".")
    git(project, "commit", "-q", "-m", "add settings")
    (project / "src" / "settings.py").write_text('GITHUB_TOKEN = os.environ["GITHUB_TOKEN"]\n')
    git(project, "commit", "-q", "-am", "read from env")
    assert run(project, *OFFLINE_SECRETS)[0] == 0
    code, out = run(project, *OFFLINE_SECRETS, "--history", "-f", "json")
    assert code == 1
    (finding,) = json.loads(out)["findings"]
    assert finding["path"] == "src/settings.py"
    assert finding["line"] == 1
    assert "(commit " in finding["message"]
    assert token not in out


def test_history_outside_git_is_not_checked(project: Path) -> None:
    code, out = run(project, *OFFLINE_SECRETS, "--history")
    assert code == 2
    assert "is not a git repository" in out


def test_the_installed_command(project: Path) -> None:
    """The real entry point, as a user types it."""
    plant(project)
    result = subprocess.run(
        [sys.executable, "-m", "claude_tui", "audit", str(project), *OFFLINE_SECRETS],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stderr
    assert "github-token" in result.stdout


def test_output_file_gets_the_format_and_stdout_the_summary(project: Path) -> None:
    plant(project)
    target = project.parent / "reports" / "audit.sarif"
    code, out = run(project, *OFFLINE_SECRETS, "--format", "sarif", "--output", target)
    assert code == 1
    assert out.startswith("Security audit of")
    assert json.loads(target.read_text())["version"] == "2.1.0"


@pytest.mark.sandbox
def test_the_running_interpreter_is_audited_only_when_named(tmp_path: Path) -> None:
    # A checkout named like a distribution of the audit's own environment is not that
    # environment: without a virtualenv of its own, its licenses have nothing to read.
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "claude-tui"\nversion = "0"\n')
    _, out = run(tmp_path, "--offline", "--only", "licenses", "-f", "json")
    assert json.loads(out)["scanners"][0]["status"] == "nothing to scan"
    _, out = run(
        tmp_path, "--offline", "--only", "licenses", "-f", "json", "--python", sys.executable
    )
    scanner = json.loads(out)["scanners"][0]
    assert scanner["status"] == "completed"
    assert scanner["reason"].endswith(f"distributions of {sys.executable}")
