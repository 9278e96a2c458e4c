"""The audit's own Python rules, checked in-process: each rule on code it must flag and on code
it must leave alone, and the same findings semgrep gives with the same rules in YAML."""

from __future__ import annotations

import json
import re
import shutil
import textwrap
from pathlib import Path

import pytest

from claude_tui.audit.code import scan_semgrep
from claude_tui.audit.options import AuditOptions
from claude_tui.audit.policy import Policy, PolicyError, load_policy
from claude_tui.audit.project import Project
from claude_tui.audit.runner import run_audit
from claude_tui.audit.tools import find_tool, run_tool
from servers import unavailable

SEMGREP_RULES = Path(__file__).resolve().parents[2] / "fixtures" / "audit" / "semgrep_python.yml"

# Every line that must be flagged ends with "# expect: RULE"; every other line must not be.
CASES = {
    "subprocess-shell-with-variable": """\
        import asyncio
        import subprocess
        import subprocess as sp
        from subprocess import check_output

        def run(cmd, name):
            subprocess.run(cmd, shell=True)  # expect: subprocess-shell-with-variable
            subprocess.Popen(f"ls {name}", shell=True)  # expect: subprocess-shell-with-variable
            sp.call("echo " + name, cwd="/", shell=True)  # expect: subprocess-shell-with-variable
            check_output(cmd, shell=True)  # expect: subprocess-shell-with-variable
            asyncio.create_subprocess_shell(cmd)  # expect: subprocess-shell-with-variable
            subprocess.run("ls -l", shell=True)
            subprocess.run(cmd, shell=False)
            subprocess.run(["ls", name])
            asyncio.create_subprocess_shell("ls -l")
            asyncio.create_subprocess_exec(cmd)
        """,
    "yaml-load-without-safe-loader": """\
        import yaml
        from yaml import load

        def read(text):
            yaml.load(text)  # expect: yaml-load-without-safe-loader
            yaml.load(text, Loader=yaml.FullLoader)  # expect: yaml-load-without-safe-loader
            load(text)  # expect: yaml-load-without-safe-loader
            yaml.load(text, Loader=yaml.SafeLoader)
            yaml.load(text, Loader=yaml.CSafeLoader)
            yaml.safe_load(text)
        """,
    "tls-verification-disabled": """\
        import httpx
        import requests

        def fetch(url):
            requests.get(url, verify=False)  # expect: tls-verification-disabled
            requests.post(url, data={}, verify=False)  # expect: tls-verification-disabled
            httpx.get(url, verify=False)  # expect: tls-verification-disabled
            httpx.AsyncClient(verify=False)  # expect: tls-verification-disabled
            requests.get(url)
            requests.get(url, verify=True)
            httpx.Client(verify="/etc/ssl/ca.pem")
        """,
    "jwt-decode-without-verification": """\
        import jwt

        def claims(token, key):
            jwt.decode(  # expect: jwt-decode-without-verification
                token, options={"verify_signature": False}
            )
            jwt.decode(token, key, verify=False)  # expect: jwt-decode-without-verification
            jwt.decode(token, key, algorithms=["HS256"])
            jwt.decode(token, key, options={"verify_signature": True})
            jwt.decode(token, key, options={"require": ["exp"]})
        """,
    "pickle-load-of-untrusted-data": """\
        import pickle

        def restore(blob, handle):
            pickle.loads(blob)  # expect: pickle-load-of-untrusted-data
            pickle.load(handle)  # expect: pickle-load-of-untrusted-data
            pickle.dumps(blob)
        """,
    "secret-compared-with-equals": """\
        def check(user, given, request):
            if given == user.password:  # expect: secret-compared-with-equals
                return True
            if request.api_key == given:  # expect: secret-compared-with-equals
                return True
            if signature == expected:  # expect: secret-compared-with-equals
                return True
            if given != user.password:
                return False
            if user.password_hash == given:
                return False
            return given == user.name
        """,
}
EXPECT_RE = re.compile(r"#\s*expect:\s*([\w-]+)")


def expected(files: dict[str, str]) -> set[tuple[str, str, int]]:
    return {
        (match.group(1), name, number)
        for name, text in files.items()
        for number, line in enumerate(text.splitlines(), start=1)
        if (match := EXPECT_RE.search(line))
    }


@pytest.fixture(scope="module")
def rules_project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("rules")
    files = {}
    for rule, code in CASES.items():
        name = f"{rule.replace('-', '_')}.py"
        files[name] = textwrap.dedent(code)
        (root / name).write_text(files[name])
    return root, files


@pytest.mark.parametrize("rule", sorted(CASES))
def test_rule_flags_what_it_must_and_nothing_else(
    rules_project: tuple[Path, dict[str, str]], rule: str
) -> None:
    root, files = rules_project
    report = run_audit(root, Policy(), AuditOptions(online=False, only=("code.rules",)))
    (outcome,) = report.outcomes
    assert outcome.status.value == "completed", outcome.reason
    name = f"{rule.replace('-', '_')}.py"
    found = {(f.rule_id, f.path, f.line) for f in outcome.findings if f.path == name}
    assert found == expected({name: files[name]})
    assert all(f.severity.label in ("high", "medium") for f in outcome.findings)


def test_same_findings_as_semgrep_with_the_same_rules(
    rules_project: tuple[Path, dict[str, str]],
) -> None:
    semgrep = find_tool("semgrep")
    if semgrep is None:
        unavailable("semgrep not installed: bash .ci/setup.d/50-audit.sh")
    root, files = rules_project
    run = run_tool(
        [
            *(semgrep, "scan", "--config", str(SEMGREP_RULES), "--json", "--metrics", "off"),
            *("--disable-version-check", "--quiet", "--no-git-ignore", *sorted(files)),
        ],
        cwd=root,
        env={"SEMGREP_SEND_METRICS": "off", "SEMGREP_ENABLE_VERSION_CHECK": "0"},
    )
    theirs = {
        (r["check_id"].rsplit(".", 1)[-1], r["path"], r["start"]["line"], r["start"]["col"])
        for r in json.loads(run.stdout)["results"]
    }
    report = run_audit(root, Policy(), AuditOptions(online=False, only=("code.rules",)))
    ours = {(f.rule_id, f.path, f.line, f.column) for f in report.outcomes[0].findings}
    assert ours == theirs
    assert {(r, p, n) for r, p, n, _ in ours} == expected(files)


def test_a_file_that_does_not_parse_is_listed_not_skipped(tmp_path: Path) -> None:
    (tmp_path / "ok.py").write_text("import pickle\npickle.loads(b'')\n")
    (tmp_path / "fine.py").write_text("VALUE = 1\n")
    (tmp_path / "broken.py").write_text("def f(:\n")
    report = run_audit(tmp_path, Policy(), AuditOptions(online=False, only=("code.rules",)))
    (outcome,) = report.outcomes
    assert outcome.status.value == "partial"
    assert outcome.reason.startswith("1 file unparsable of 3: broken.py")
    assert [(f.rule_id, f.path, f.line) for f in outcome.findings] == [
        ("pickle-load-of-untrusted-data", "ok.py", 2)
    ]


def test_semgrep_runs_only_on_rules_the_policy_adds(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text("import pickle\npickle.loads(b'')\n")
    outcome = scan_semgrep(Project.open(tmp_path, Policy()), AuditOptions(online=False))
    assert outcome.status.value == "nothing to scan"
    assert "no semgrep rules in the policy" in outcome.reason
    if find_tool("semgrep") is None:
        unavailable("semgrep not installed: bash .ci/setup.d/50-audit.sh")
    (tmp_path / "rules").mkdir()
    shutil.copyfile(SEMGREP_RULES, tmp_path / "rules" / "extra.yml")
    policy = Policy(semgrep_rules=("rules/extra.yml",))
    outcome = scan_semgrep(Project.open(tmp_path, policy), AuditOptions(online=False))
    assert outcome.status.value == "completed", outcome.reason
    assert [(f.rule_id, f.path, f.line) for f in outcome.findings] == [
        ("pickle-load-of-untrusted-data", "app.py", 2)
    ]


def test_policy_rules_that_do_not_exist_fail_the_scanner(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text("VALUE = 1\n")
    policy = Policy(semgrep_rules=("rules/missing.yml",))
    outcome = scan_semgrep(Project.open(tmp_path, policy), AuditOptions(online=False))
    assert outcome.status.value == "failed"
    assert "semgrep rules not found" in outcome.reason
    assert "rules/missing.yml" in outcome.reason


def test_policy_rules_outside_the_audited_directory_are_refused(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "app.py").write_text("VALUE = 1\n")
    (tmp_path / "elsewhere.yml").write_text("rules: []\n")
    (project / "escape").symlink_to(tmp_path)
    for rules in ("../elsewhere.yml", "/etc/hostname", "escape/elsewhere.yml"):
        outcome = scan_semgrep(
            Project.open(project, Policy(semgrep_rules=(rules,))), AuditOptions(online=False)
        )
        assert outcome.status.value == "failed", rules
        assert f"semgrep rules outside the audited directory: {rules}" == outcome.reason


def test_policy_file_names_semgrep_rules(tmp_path: Path) -> None:
    (tmp_path / "audit.toml").write_text('[scanners]\nsemgrep_rules = ["rules/extra.yml"]\n')
    assert load_policy(tmp_path, tmp_path / "audit.toml").semgrep_rules == ("rules/extra.yml",)
    (tmp_path / "audit.toml").write_text('[scanners]\nsemgrep_rule = ["rules/extra.yml"]\n')
    with pytest.raises(PolicyError, match=r"unknown key\(s\) in \[scanners\]: semgrep_rule"):
        load_policy(tmp_path, tmp_path / "audit.toml")
