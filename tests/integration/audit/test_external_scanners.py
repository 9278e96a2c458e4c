"""The external scanners, each on a file that has what it looks for; "not run" when absent."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from claude_tui.audit.options import AuditOptions
from claude_tui.audit.policy import Policy
from claude_tui.audit.runner import run_audit
from claude_tui.audit.tools import TOOL_PATH_ENV, find_tool
from servers import unavailable

DOCKERFILE = "FROM python:3.12\nUSER root\nADD . /app\n"
MANIFEST = textwrap.dedent(
    """\
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
    spec:
      selector:
        matchLabels: {app: web}
      template:
        metadata:
          labels: {app: web}
        spec:
          containers:
            - name: web
              image: web:1.0
              securityContext:
                privileged: true
    """
)
WORKFLOW = textwrap.dedent(
    """\
    name: ci
    on: [pull_request_target]
    jobs:
      build:
        runs-on: ubuntu-latest
        steps:
          - uses: actions/checkout@v4
            with:
              ref: ${{ github.event.pull_request.head.sha }}
          - run: echo "${{ github.event.pull_request.title }}"
    """
)
PYTHON = "import subprocess\n\n\ndef run(cmd):\n    return subprocess.run(cmd, shell=True)\n"


@pytest.fixture(scope="module")
def infra_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("infra")
    (root / "Dockerfile").write_text(DOCKERFILE)
    (root / "k8s").mkdir()
    (root / "k8s" / "deploy.yaml").write_text(MANIFEST)
    (root / ".github" / "workflows").mkdir(parents=True)
    (root / ".github" / "workflows" / "ci.yml").write_text(WORKFLOW)
    (root / "app.py").write_text(PYTHON)
    return root


@pytest.fixture(scope="module")
def report_by_scanner(infra_project: Path) -> dict[str, object]:
    report = run_audit(infra_project, Policy(), AuditOptions(online=False, only=("code", "infra")))
    return {o.scanner: o for o in report.outcomes}


def need(tool: str) -> None:
    if find_tool(tool) is None:
        unavailable(f"{tool} not installed: bash .ci/setup.d/50-audit.sh")


@pytest.mark.parametrize(
    ("scanner", "tool", "rule", "path"),
    [
        ("infra.hadolint", "hadolint", "DL3020", "Dockerfile"),
        ("infra.trivy", "trivy", "KSV-0017", "k8s/deploy.yaml"),
        ("infra.zizmor", "zizmor", "dangerous-triggers", ".github/workflows/ci.yml"),
        ("infra.actionlint", "actionlint", "expression", ".github/workflows/ci.yml"),
        ("code.rules", "", "subprocess-shell-with-variable", "app.py"),
        ("code.bandit", "bandit", "B602", "app.py"),
    ],
)
def test_scanner_finds_its_issue(
    report_by_scanner: dict[str, object], scanner: str, tool: str, rule: str, path: str
) -> None:
    if tool not in ("bandit", ""):  # bandit is a dependency; the own rules run in-process
        need(tool)
    outcome = report_by_scanner[scanner]
    assert outcome.status.value == "completed", outcome.reason  # type: ignore[attr-defined]
    found = {(f.rule_id, f.path) for f in outcome.findings}  # type: ignore[attr-defined]
    assert (rule, path) in found, sorted(found)
    assert outcome.tool  # type: ignore[attr-defined]


def test_gitleaks_engine_adds_providers_our_rules_lack(tmp_path: Path) -> None:
    need("gitleaks")
    import random
    import string

    rng = random.SystemRandom()
    token = "shpat_" + "".join(rng.choice(string.hexdigits.lower()[:16]) for _ in range(32))
    (tmp_path / "publish.sh").write_text(f"SHOPIFY={token} ./sync-store\n")
    report = run_audit(tmp_path, Policy(), AuditOptions(online=False, only=("secrets",)))
    (outcome,) = report.outcomes
    assert "gitleaks" in outcome.tool
    assert [(f.rule_id, f.path, f.line) for f in outcome.findings] == [
        ("gitleaks.shopify-access-token", "publish.sh", 1)
    ]
    assert token not in json.dumps([f.message for f in outcome.findings])


def test_absent_tools_are_not_run_and_optional(
    infra_project: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(TOOL_PATH_ENV, str(tmp_path))  # an empty directory: no scanner found
    report = run_audit(infra_project, Policy(), AuditOptions(online=False, only=("code", "infra")))
    status = {o.scanner: (o.status.value, o.required) for o in report.outcomes}
    assert status == {
        "code.bandit": ("completed", True),
        "code.rules": ("completed", False),
        "code.semgrep": ("nothing to scan", False),  # no rules added by the policy
        "infra.hadolint": ("not run", False),
        "infra.trivy": ("not run", False),
        "infra.zizmor": ("not run", False),
        "infra.actionlint": ("not run", False),
    }
    hadolint = next(o for o in report.outcomes if o.scanner == "infra.hadolint")
    assert hadolint.reason == "hadolint is not installed (1 file(s) not checked)"
    assert report.incomplete == []


def test_an_absent_tool_the_policy_requires_fails_the_audit(
    infra_project: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(TOOL_PATH_ENV, str(tmp_path))
    policy = Policy(required=("infra.hadolint",))
    report = run_audit(infra_project, policy, AuditOptions(online=False, only=("infra.hadolint",)))
    assert report.exit_code == 2
    assert [o.scanner for o in report.incomplete] == ["infra.hadolint"]
