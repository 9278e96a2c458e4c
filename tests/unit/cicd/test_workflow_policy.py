"""The GitHub workflows follow the project's hardening rules, read from the files themselves.

Every action pinned by a full commit SHA with its release tag in a comment, explicit
``permissions`` and ``timeout-minutes`` on every job, ``persist-credentials: false`` on every
checkout, no ``${{ }}`` expression expanded inside a ``run:`` script, and every ``make``
target a workflow calls exists with a ``make help`` line. Each rule is also shown to catch a
workflow that breaks it, so a rule that silently stopped matching would fail here.
"""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[3]
WORKFLOWS = ROOT / ".github" / "workflows"
EXPECTED = {"ci.yml", "cd.yml", "release.yml", "security.yml"}

# owner/repo[/path]@<40 hex> # v1.2.3
PINNED_USES = re.compile(
    r"^\s*-?\s*uses:\s*(?P<action>[\w.-]+/[\w./-]+)@(?P<ref>[0-9a-f]{40})\s+#\s*v\d+(\.\d+)*\s*$"
)
USES_LINE = re.compile(r"^\s*-?\s*uses:\s*(?P<target>\S+)")
MAKE_CALL = re.compile(r"(?:^|[;&|(]\s*|\bsudo\s+(?:--?\S+\s+)*)make\s+(?P<args>[^;&|\n]*)")


def load(path: Path) -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return document


def steps_of(workflow: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [
        (job_id, step)
        for job_id, job in workflow.get("jobs", {}).items()
        for step in job.get("steps", [])
    ]


def uses_violations(text: str) -> list[str]:
    """Lines whose ``uses:`` is not a SHA-pinned action with its tag in a comment."""
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        found = USES_LINE.match(line)
        if found is None:
            continue
        if found["target"].startswith("./"):
            continue  # a local action is versioned with the repository itself
        if PINNED_USES.match(line) is None:
            problems.append(f"line {number}: {line.strip()}")
    return problems


def job_violations(workflow: dict[str, Any]) -> list[str]:
    """Jobs without explicit permissions or a timeout, and a workflow without a default."""
    problems = []
    if workflow.get("permissions") != {}:
        problems.append("the workflow's default permissions are not `{}`")
    for job_id, job in workflow.get("jobs", {}).items():
        if "permissions" not in job:
            problems.append(f"job {job_id} has no explicit permissions")
        elif job["permissions"] in ("write-all", "read-all"):
            problems.append(f"job {job_id} uses the blanket {job['permissions']}")
        timeout = job.get("timeout-minutes")
        if not isinstance(timeout, int) or not 0 < timeout <= 60:
            problems.append(f"job {job_id} has no timeout-minutes of at most 60")
    return problems


def step_violations(workflow: dict[str, Any]) -> list[str]:
    """Checkouts that keep the token, and run scripts that expand expressions."""
    problems = []
    for job_id, step in steps_of(workflow):
        keeps_token = (step.get("with") or {}).get("persist-credentials") is not False
        if str(step.get("uses", "")).startswith("actions/checkout@") and keeps_token:
            problems.append(f"job {job_id}: checkout without persist-credentials: false")
        script = step.get("run")
        if script is not None and "${{" in str(script):
            problems.append(f"job {job_id}: `${{{{ }}}}` expanded inside run: {script!r}")
    return problems


def make_targets_called(workflow: dict[str, Any]) -> set[str]:
    """Names of the make targets the workflow's run steps call."""
    targets: set[str] = set()
    for _, step in steps_of(workflow):
        for match in MAKE_CALL.finditer(str(step.get("run", ""))):
            for word in shlex.split(match["args"]):
                if word.startswith("-") or "=" in word:
                    continue
                targets.add(word)
    return targets


def help_targets() -> set[str]:
    output = subprocess.run(
        ["make", "--no-print-directory", "-s", "help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin", "TERM": "dumb"},
    ).stdout
    return {re.sub(r"\x1b\[[0-9;]*m", "", line).split()[0] for line in output.splitlines() if line}


@pytest.fixture(scope="module")
def workflows() -> dict[str, tuple[str, dict[str, Any]]]:
    return {
        path.name: (path.read_text(encoding="utf-8"), load(path))
        for path in sorted(WORKFLOWS.glob("*.yml"))
    }


def test_the_four_pipelines_exist(workflows: dict[str, tuple[str, dict[str, Any]]]) -> None:
    assert set(workflows) >= EXPECTED


def test_every_action_is_pinned_by_commit_sha_with_its_tag(
    workflows: dict[str, tuple[str, dict[str, Any]]],
) -> None:
    problems = {name: uses_violations(text) for name, (text, _) in workflows.items()}
    assert {name: found for name, found in problems.items() if found} == {}
    # The same action is pinned to one commit everywhere, so an update moves all of them.
    pins: dict[str, set[str]] = {}
    for text, _ in workflows.values():
        for line in text.splitlines():
            found = PINNED_USES.match(line)
            if found:
                repo = "/".join(found["action"].split("/")[:2])
                pins.setdefault(repo, set()).add(found["ref"])
    assert {repo: refs for repo, refs in pins.items() if len(refs) > 1} == {}


def test_every_job_has_explicit_permissions_and_a_timeout(
    workflows: dict[str, tuple[str, dict[str, Any]]],
) -> None:
    problems = {name: job_violations(doc) for name, (_, doc) in workflows.items()}
    assert {name: found for name, found in problems.items() if found} == {}


def test_checkouts_drop_the_token_and_run_steps_expand_no_expressions(
    workflows: dict[str, tuple[str, dict[str, Any]]],
) -> None:
    problems = {name: step_violations(doc) for name, (_, doc) in workflows.items()}
    assert {name: found for name, found in problems.items() if found} == {}


def test_every_make_target_a_workflow_calls_exists_with_a_help_line(
    workflows: dict[str, tuple[str, dict[str, Any]]],
) -> None:
    called = set().union(*(make_targets_called(doc) for _, doc in workflows.values()))
    assert {"lint", "typecheck", "ci-check", "pre-commit", "dist", "twine-check"} <= called
    assert sorted(called - help_targets()) == []


def test_rules_catch_a_workflow_that_breaks_them() -> None:
    bad_text = """\
name: bad
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@a26af69be951a213d495a4c3e4e4022e16d87065
      - run: echo "${{ github.event.head_commit.message }}"
      - run: make lint no-such-target VAR=1
"""
    bad = yaml.safe_load(bad_text)
    assert len(uses_violations(bad_text)) == 2  # a tag, and a SHA without its tag comment
    assert job_violations(bad) == [
        "the workflow's default permissions are not `{}`",
        "job build has no explicit permissions",
        "job build has no timeout-minutes of at most 60",
    ]
    assert len(step_violations(bad)) == 2
    assert make_targets_called(bad) == {"lint", "no-such-target"}
    assert "no-such-target" not in help_targets()


def test_ci_runs_every_tier_on_the_promised_platforms(
    workflows: dict[str, tuple[str, dict[str, Any]]],
) -> None:
    ci = workflows["ci.yml"][1]
    jobs = ci["jobs"]
    assert ci["concurrency"]["cancel-in-progress"] is True
    assert jobs["test"]["strategy"]["matrix"]["python"] == ["3.11", "3.12", "3.13", "3.14"]
    assert {"postgres", "redis"} <= set(jobs["test"]["services"])
    other_os = jobs["unit-other-os"]["strategy"]["matrix"]["os"]
    assert any(os.startswith("macos") for os in other_os)
    assert any(os.startswith("windows") for os in other_os)
    runs = {job: " ".join(str(s.get("run", "")) for s in j["steps"]) for job, j in jobs.items()}
    assert "make monitoring-check" in runs["monitoring"]
    assert "make monitoring-test" in runs["monitoring"]
    assert "make test-containers" in runs["container"]
    assert "make k8s-validate" in runs["deploy-config"]
    assert "coverage-gate" in runs["coverage"]
    assert set(jobs["coverage"]["needs"]) == {"test", "monitoring", "container"}
    uploads = [
        step
        for _, step in steps_of(ci)
        if str(step.get("uses", "")).startswith("actions/upload-artifact@")
    ]
    assert any(
        s["with"]["path"] == "snapshot_report.html" and s.get("if") == "failure()" for s in uploads
    )


def test_security_scans_weekly_and_uploads_sarif(
    workflows: dict[str, tuple[str, dict[str, Any]]],
) -> None:
    text, security = workflows["security.yml"]
    # PyYAML reads the bare `on` key as the boolean True.
    triggers = security.get("on", security.get(True))
    assert re.fullmatch(r"\d+ \d+ \* \* \d", triggers["schedule"][0]["cron"])
    assert "claude-tui audit . --format sarif" in text
    for action in ("codeql-action/init", "dependency-review-action", "trivy-action"):
        assert action in text
    assert "zizmor" in text
    assert security["jobs"]["dependency-review"]["if"] == "github.event_name == 'pull_request'"


def test_production_deploys_only_through_the_protected_environment_with_rollback(
    workflows: dict[str, tuple[str, dict[str, Any]]],
) -> None:
    cd = workflows["cd.yml"][1]["jobs"]
    assert cd["production"]["environment"]["name"] == "production"
    assert "github.ref_type == 'tag'" in cd["production"]["if"]
    steps = cd["production"]["steps"]
    deploy = next(s for s in steps if "claude-tui deploy production" in str(s.get("run", "")))
    assert "--strategy blue-green" in deploy["run"]
    rollback = next(s for s in steps if "claude-tui rollback" in str(s.get("run", "")))
    # Only a release that passed its gates and then failed the public smoke test is rolled
    # back by hand; a failed deploy has already put traffic back by itself.
    assert rollback["if"] == "failure() && steps.smoke.outcome == 'failure'"
    assert "--yes" in rollback["run"]
    scan = next(i for i, s in enumerate(steps) if "trivy-action" in str(s.get("uses")))
    assert scan < steps.index(deploy), "production deploys only a scanned image"
    assert any("claude-tui deploy staging" in str(s.get("run", "")) for s in cd["staging"]["steps"])
    build = next(s for s in cd["image"]["steps"] if "build-push-action" in str(s.get("uses")))
    assert build["with"]["sbom"] is True
    assert build["with"]["provenance"] == "mode=max"


def test_release_publishes_by_trusted_publishing_without_a_password(
    workflows: dict[str, tuple[str, dict[str, Any]]],
) -> None:
    release = workflows["release.yml"][1]
    pypi = release["jobs"]["pypi"]
    assert pypi["permissions"] == {"id-token": "write"}
    publish = next(s for s in pypi["steps"] if "gh-action-pypi-publish" in str(s.get("uses")))
    assert "password" not in (publish.get("with") or {})
    assert "secrets." not in str(pypi)
    executables = release["jobs"]["executables"]["strategy"]["matrix"]["os"]
    assert {os.split("-")[0] for os in executables} == {"ubuntu", "macos", "windows"}
    image = next(
        s for s in release["jobs"]["image"]["steps"] if "build-push-action" in str(s.get("uses"))
    )
    assert image["with"]["platforms"] == "linux/amd64,linux/arm64"


def test_dependabot_updates_pip_actions_and_docker_weekly_in_groups() -> None:
    config = load(ROOT / ".github" / "dependabot.yml")
    updates = {u["package-ecosystem"]: u for u in config["updates"]}
    assert set(updates) == {"pip", "github-actions", "docker"}
    for update in updates.values():
        assert update["schedule"]["interval"] == "weekly"
        assert update["groups"]
