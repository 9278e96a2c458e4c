"""The Makefile covers the project's workflows, and nothing in it is left unexercised.

Every target listed by ``make help`` must be run somewhere that fails loudly when it breaks:
a GitHub workflow step, ``.ci/run``, a test that invokes make, or another target (as a
prerequisite, a ``$(MAKE)`` call or a tier list such as ``CI_TIERS``).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
MINIMUM_TARGETS = 40
RULE = re.compile(r"^(?P<name>[a-zA-Z0-9_.-]+):(?P<prereqs>[^=#]*)(?:##.*)?$")
ASSIGNMENT = re.compile(r"^[A-Z_]+\s*[?:+]?=(?P<value>.*)$")


def help_targets() -> list[str]:
    output = subprocess.run(
        ["make", "--no-print-directory", "-s", "help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin", "TERM": "dumb"},
    ).stdout
    return [re.sub(r"\x1b\[[0-9;]*m", "", line).split()[0] for line in output.splitlines() if line]


def makefiles() -> list[Path]:
    return [ROOT / "Makefile", *sorted((ROOT / "mk").glob("*.mk"))]


def called_by_other_targets() -> set[str]:
    """Targets named as another rule's prerequisite, in a recipe's make call, or a tier list."""
    named: set[str] = set()
    for path in makefiles():
        current = None
        for line in path.read_text(encoding="utf-8").splitlines():
            rule = RULE.match(line)
            if rule and not line.startswith("\t"):
                current = rule["name"]
                named.update(w for w in rule["prereqs"].split() if "$" not in w)
                continue
            assignment = ASSIGNMENT.match(line)
            if assignment:
                named.update(assignment["value"].split())
            elif line.startswith("\t") and current is not None:
                for call in re.finditer(r"\$\(MAKE\)((?:\s+[^\s;&|]+)+)", line):
                    named.update(w for w in call[1].split() if not w.startswith(("-", "$")))
    return named


def called_by_ci() -> set[str]:
    text = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    for workflow in sorted((ROOT / ".github" / "workflows").glob("*.yml")):
        text += "\n" + workflow.read_text(encoding="utf-8")
    named: set[str] = set()
    for call in re.finditer(r"\bmake\s+((?:[^\s;&|'\"]+\s*)+)", text):
        named.update(w for w in call[1].split() if not w.startswith("-") and "=" not in w)
    return named


def called_by_tests(targets: list[str]) -> set[str]:
    """Targets that a test file quotes and hands to make (directly or through run_make)."""
    named: set[str] = set()
    for path in (ROOT / "tests").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if not re.search(r"\bmake\b|run_make", text):
            continue
        named.update(t for t in targets if re.search(rf"[\"']{re.escape(t)}[\"' ]", text))
    return named


def test_the_makefile_has_at_least_forty_documented_targets() -> None:
    targets = help_targets()
    assert len(targets) == len(set(targets)), "a target is listed twice in make help"
    assert len(targets) >= MINIMUM_TARGETS, f"{len(targets)} targets: {targets}"


def test_the_workflows_the_project_promises_have_targets() -> None:
    targets = set(help_targets())
    for expected in (
        "dev-setup",
        "run",
        "test",
        "test-unit",
        "test-integration",
        "lint",
        "format",
        "typecheck",
        "security",
        "docker-build",
        "compose-up",
        "k8s-validate",
        "monitoring",
        "docs",
        "release-dry-run",
        "build",
        "benchmark",
        "clean",
    ):
        assert expected in targets, f"make {expected} is missing"


def test_every_target_is_exercised_by_ci_a_test_or_another_target() -> None:
    targets = help_targets()
    exercised = called_by_other_targets() | called_by_ci() | called_by_tests(targets)
    missing = sorted(set(targets) - exercised - {"help"})
    assert missing == [], f"targets no test or CI step runs: {missing}"


def test_the_reference_finder_sees_each_kind_of_call() -> None:
    assert {"lint", "typecheck", "test"} <= called_by_ci()  # .ci/run
    assert "coverage-gate" in called_by_ci()  # a workflow step
    assert {"dist", "twine-check", "executable"} <= called_by_other_targets()  # build's prereqs
    assert "workflow-lint" in called_by_other_targets()  # the CI_TIERS list
    absent = "never-" + "called"  # spelt apart so that this file does not quote it
    assert called_by_tests(["smoke-test", absent]) == {"smoke-test"}
