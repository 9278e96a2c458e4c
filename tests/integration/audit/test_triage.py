"""Triage: the finding that matters comes first, test code does not drown it, and a scanner
that checked most files says which it could not."""

from __future__ import annotations

from pathlib import Path

from planted_secrets import SecretFactory

from claude_tui.audit.model import Severity
from claude_tui.audit.options import AuditOptions
from claude_tui.audit.policy import Policy
from claude_tui.audit.reporting import render_text
from claude_tui.audit.runner import AuditReport, run_audit

FACTORY = SecretFactory(seed=6)
SHELL_CALLS = "import subprocess\n\n\ndef run(cmd):\n    return subprocess.call(cmd, shell=True)\n"


def _audit(root: Path, *only: str) -> AuditReport:
    return run_audit(root, Policy(), AuditOptions(online=False, secret_engines=(), only=only))


def _write(root: Path, rel: str, text: str) -> None:
    (root / rel).parent.mkdir(parents=True, exist_ok=True)
    (root / rel).write_text(text)


def test_a_leaked_token_heads_the_report_above_code_findings(tmp_path: Path) -> None:
    for n in range(12):
        _write(tmp_path, f"app/tool{n}.py", SHELL_CALLS)
    oauth = FACTORY.vendor_token("anthropic-oauth")
    github = FACTORY.github_token("ghp_")
    _write(tmp_path, "ci/oauth.txt", oauth + "\n")
    _write(tmp_path, "ci/github.txt", github + "\n")
    report = _audit(tmp_path, "secrets", "code.bandit")
    text = render_text(report)
    top = text.split("Top findings", 1)[1].splitlines()[1:3]
    # The GitHub token is as severe as shell=True in code, and still comes first.
    assert "ci/oauth.txt:1 anthropic-oauth-token" in top[0]
    assert "ci/github.txt:1 github-token" in top[1]
    # A person can tell which token it is without opening the file, and still not use it.
    assert oauth[:17] + "…" in top[0]
    assert github[:8] + "…" in top[1]
    assert oauth[:18] not in text
    assert github[:9] not in text


def test_assert_in_tests_is_not_a_finding_and_test_code_is_down_ranked(tmp_path: Path) -> None:
    _write(tmp_path, "app/main.py", SHELL_CALLS + "\n\ndef check(x):\n    assert x\n")
    _write(tmp_path, "tests/test_main.py", "def test_it():\n    assert 1 + 1 == 2\n")
    _write(tmp_path, "tests/helpers.py", SHELL_CALLS)
    _write(tmp_path, "examples/demo.py", SHELL_CALLS)
    report = _audit(tmp_path, "code.bandit")
    found = {(f.path, f.rule_id): f.severity for f in report.findings}
    assert ("tests/test_main.py", "B101") not in found
    assert ("app/main.py", "B101") in found  # an assert in shipped code is still reported
    shipped = found[("app/main.py", "B602")]
    assert found[("tests/helpers.py", "B602")].value < shipped.value
    assert found[("examples/demo.py", "B602")].value < shipped.value


def test_a_private_key_fixture_is_low_unless_shipped_code_uses_it(tmp_path: Path) -> None:
    _write(tmp_path, "tests/fixtures/certs/client.key", FACTORY.private_key_pem())
    _write(tmp_path, "certs/server.key", FACTORY.private_key_pem())
    _write(tmp_path, "tests/fixtures/certs/used.key", FACTORY.private_key_pem())
    _write(tmp_path, "app/tls.py", 'KEY_FILE = "tests/fixtures/certs/used.key"\n')
    report = _audit(tmp_path, "secrets")
    found = {f.path: f.severity for f in report.findings}
    assert found["tests/fixtures/certs/client.key"] is Severity.LOW
    assert found["certs/server.key"] is Severity.LOW
    assert found["tests/fixtures/certs/used.key"] is Severity.CRITICAL


def test_a_key_fixture_listed_in_packaging_metadata_is_still_low(tmp_path: Path) -> None:
    # An sdist lists every file it holds (requests 2.32.3 does so for its test certificates):
    # a file list is not code that uses the key.
    _write(tmp_path, "tests/certs/server/server.key", FACTORY.private_key_pem())
    _write(tmp_path, "src/pkg.egg-info/SOURCES.txt", "setup.py\ntests/certs/server/server.key\n")
    _write(tmp_path, "MANIFEST", "tests/certs/server/server.key\n")
    report = _audit(tmp_path, "secrets")
    found = {f.path: f for f in report.findings}
    key = found["tests/certs/server/server.key"]
    assert key.severity is Severity.LOW
    assert key.properties["triage"] == "key fixture: not referenced from shipped code"


def test_a_scanner_that_checked_most_files_is_partial_with_the_list(tmp_path: Path) -> None:
    for n in range(5):
        _write(tmp_path, f"pkg/ok{n}.py", SHELL_CALLS)
    _write(tmp_path, "legacy/old.py", "print 'python 2'\n")
    _write(tmp_path, "legacy/older.py", "exec 'x = 1'\n")
    report = _audit(tmp_path, "code.bandit")
    (outcome,) = report.outcomes
    assert outcome.status.value == "partial"
    assert outcome.reason.startswith("2 files unparsable")
    assert {f.path for f in outcome.findings} == {f"pkg/ok{n}.py" for n in range(5)}
    text = render_text(report)
    assert "code.bandit: partial: 2 files unparsable of 7: legacy/old.py, legacy/older.py" in text
    assert report.exit_code == 2  # unchecked files are never a silent pass
