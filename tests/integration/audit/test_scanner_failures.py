"""Scanners that cannot do their job say so: failed tools, unparsable files, timeouts."""

from __future__ import annotations

import random
import string
import sys
from pathlib import Path

import pytest

from claude_tui.audit.options import AuditOptions
from claude_tui.audit.policy import Policy
from claude_tui.audit.project import Project
from claude_tui.audit.runner import run_audit
from claude_tui.audit.secrets_scanner import scan
from claude_tui.audit.tools import ToolFailure, run_tool


def test_a_python_file_bandit_cannot_parse_leaves_the_code_scanner_partial(
    tmp_path: Path,
) -> None:
    (tmp_path / "ok.py").write_text("import subprocess\nsubprocess.call('ls', shell=True)\n")
    (tmp_path / "fine.py").write_text("VALUE = 1\n")
    (tmp_path / "broken.py").write_text("def f(:\n")
    report = run_audit(tmp_path, Policy(), AuditOptions(online=False, only=("code.bandit",)))
    (outcome,) = report.outcomes
    assert outcome.status.value == "partial"
    assert outcome.reason.startswith("1 file unparsable of 3: broken.py")
    assert "B602" in {f.rule_id for f in outcome.findings}  # what it did check is kept
    assert report.exit_code == 2


def test_a_project_without_python_has_nothing_for_bandit(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("hello\n")
    report = run_audit(
        tmp_path, Policy(), AuditOptions(online=False, only=("code", "licenses", "dependencies"))
    )
    assert {o.scanner: o.status.value for o in report.outcomes} == {
        "dependencies": "nothing to scan",
        "licenses": "nothing to scan",
        "code.bandit": "nothing to scan",
        "code.rules": "nothing to scan",
        "code.semgrep": "nothing to scan",
    }
    assert report.exit_code == 0


def test_detect_secrets_engine_adds_providers_on_request(tmp_path: Path) -> None:
    rng = random.SystemRandom()
    key = "".join(rng.choice(string.digits + "abcdef") for _ in range(32)) + "-us14"
    (tmp_path / "mail.py").write_text(f'MAILCHIMP = "{key}"\n')
    project = Project.open(tmp_path, Policy())
    assert scan(project, AuditOptions(secret_engines=())).findings == []
    outcome = scan(project, AuditOptions(secret_engines=("detect-secrets",)))
    assert [(f.rule_id, f.line) for f in outcome.findings] == [
        ("detect-secrets.mailchimp-access-key", 1)
    ]
    assert "detect-secrets" in outcome.tool
    assert key not in repr(outcome.findings)


def test_tool_failures_are_typed() -> None:
    with pytest.raises(ToolFailure, match="could not be started"):
        run_tool(["/nonexistent/scanner", "--version"])
    with pytest.raises(ToolFailure, match=r"did not finish within 0\.2s"):
        run_tool([sys.executable, "-c", "import time; time.sleep(5)"], timeout=0.2)
    run = run_tool([sys.executable, "-c", "import sys; sys.exit(3)"])
    assert (run.returncode, run.first_error_line()) == (3, "exit code 3")


def test_a_scanner_that_crashes_does_not_hide_the_others(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("x = 1\n")
    report = run_audit(
        tmp_path,
        Policy(),
        AuditOptions(online=False, only=("secrets", "dependencies"), python=tmp_path / "no-python"),
    )
    status = {o.scanner: (o.status.value, o.reason) for o in report.outcomes}
    assert status["secrets"][0] == "completed"
    assert status["dependencies"][0] == "failed"
    assert "could not list the packages installed for" in status["dependencies"][1]
    assert report.exit_code == 2


def test_bandit_fails_when_most_files_cannot_be_parsed(tmp_path: Path) -> None:
    (tmp_path / "ok.py").write_text("VALUE = 1\n")
    (tmp_path / "old.py").write_text("print 'python 2'\n")
    (tmp_path / "older.py").write_text("exec 'x = 1'\n")
    report = run_audit(tmp_path, Policy(), AuditOptions(online=False, only=("code.bandit",)))
    (outcome,) = report.outcomes
    assert outcome.status.value == "failed"
    assert "bandit could not check 2 of 3 file(s): old.py, older.py" in outcome.reason
    assert report.exit_code == 2
