"""Do a project's own tests give the same pass/fail counts through ``validate`` as in its CI?

For click 8.1.8 and requests 2.32.3, from their sdists (cached in ~/.cache/claude-tui-bench/py):
1. their own CI command, in a virtualenv made the way their docs say (click: tox's
   ``deps = -r requirements/tests.txt`` with the package installed; requests:
   ``pip install -r requirements-dev.txt``), then ``pytest``;
2. ``claude-tui validate`` with execution on a fresh copy of the same sdist, which finds or
   builds the test environment itself and runs the tests in the sandbox (network off).
Results in benchmarks/results/validation_project_tests.{md,json}; exit 1 when the counts differ.

Run: ``make bench-validation-project-tests`` (or ``python benchmarks/validation/project_tests.py``).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tarfile
import tempfile
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
RESULTS = REPO / "benchmarks" / "results"
ARCHIVES = Path.home() / ".cache" / "claude-tui-bench" / "py"


@dataclass(frozen=True)
class Project:
    name: str
    version: str
    #: pip arguments of the environment the project's CI builds, run in the unpacked sdist.
    ci_install: tuple[str, ...]
    ci_command: tuple[str, ...]


PROJECTS = (
    Project("click", "8.1.8", (".", "-r", "requirements/tests.txt"), ("pytest", "tests")),
    Project("requests", "2.32.3", ("-r", "requirements-dev.txt"), ("pytest", "tests")),
)


def sdist(project: Project) -> Path:
    """The project's sdist from the cache, downloaded from PyPI the first time."""
    ARCHIVES.mkdir(parents=True, exist_ok=True)
    archive = ARCHIVES / f"{project.name}-{project.version}.tar.gz"
    if not archive.is_file():
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-binary",
                ":all:",
                "--no-deps",
                "--dest",
                str(ARCHIVES),
                f"{project.name}=={project.version}",
            ],
            check=True,
        )
    return archive


def unpack(archive: Path, into: Path) -> Path:
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="data")
    (root,) = [p for p in into.iterdir() if p.is_dir()]
    return root


def junit_outcomes(path: Path) -> dict[str, str]:
    """Each test id (classname::name) with passed, failed, error or skipped."""
    out: dict[str, str] = {}
    for case in ET.parse(path).getroot().iter("testcase"):
        tags = {child.tag for child in case}
        outcome = next((t for t in ("error", "failure", "skipped") if t in tags), "passed")
        classname = case.get("classname") or ""
        name = case.get("name") or "?"
        out[f"{classname}::{name}" if classname else name] = outcome.replace("failure", "failed")
    return out


def counts(outcomes: dict[str, str]) -> dict[str, int]:
    out = {"passed": 0, "failed": 0, "errors": 0, "skipped": 0}
    for outcome in outcomes.values():
        out["errors" if outcome == "error" else outcome] += 1
    return out


def ci_run(project: Project, archive: Path, work: Path) -> dict[str, object]:
    root = unpack(archive, work / "ci")
    venv = work / "ci-venv"
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    subprocess.run(
        [python, "-m", "pip", "install", "-q", "--disable-pip-version-check", *project.ci_install],
        cwd=root,
        check=True,
    )
    installed = time.monotonic()
    junit = work / "ci-junit.xml"
    run = subprocess.run(
        [python, "-m", *project.ci_command, "-q", "-p", "no:cacheprovider", f"--junitxml={junit}"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    outcomes = junit_outcomes(junit)
    return {
        "command": " ".join(project.ci_command),
        "exit_code": run.returncode,
        "install_seconds": round(installed - started, 1),
        "test_seconds": round(time.monotonic() - installed, 1),
        "counts": counts(outcomes),
        "not_passed": sorted(k for k, v in outcomes.items() if v in ("failed", "error")),
        "summary": run.stdout.strip().splitlines()[-1:] if run.stdout.strip() else [],
    }


def validate_run(archive: Path, work: Path, cache: Path | None) -> dict[str, object]:
    root = unpack(archive, work / "validate")
    argv = [
        sys.executable,
        "-m",
        "claude_tui",
        "validate",
        str(root),
        "--format",
        "json",
        "--no-cache",
        "--timeout",
        "1800",
    ]
    env = None
    if cache is not None:
        import os

        env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    started = time.monotonic()
    run = subprocess.run(argv, capture_output=True, text=True, check=False, env=env)
    seconds = time.monotonic() - started
    try:
        report = json.loads(run.stdout)
    except ValueError:
        return {"exit_code": run.returncode, "error": run.stderr.strip()[-600:]}
    execution = report.get("execution") or {}
    return {
        "exit_code": run.returncode,
        "seconds": round(seconds, 1),
        "environment": execution.get("environment"),
        "counts": {k: v for k, v in (execution.get("counts") or {}).items() if k != "total"},
        "not_passed": sorted(execution.get("failing_tests") or []),
        "environment_errors": execution.get("environment_errors") or [],
        "execution_findings": [
            {"rule": f["rule"], "severity": f["severity"], "message": f["message"][:400]}
            for f in report.get("findings", [])
            if f.get("check") == "execution"
        ],
        "failures": report.get("failures", []),
    }


def write(results: list[dict[str, object]]) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "validation_project_tests.json").write_text(json.dumps(results, indent=2) + "\n")
    lines = [
        "# Project tests through `validate` vs. the project's own CI command",
        "",
        "| project | CI: passed / failed / errors / skipped | validate: passed / failed / "
        "errors / skipped | same | validate's environment |",
        "|---|---|---|---|---|",
    ]
    for result in results:
        ci = result["ci"]
        ours = result["validate"]
        assert isinstance(ci, dict)
        assert isinstance(ours, dict)

        def cell(c: object) -> str:
            if not isinstance(c, dict) or not c:
                return "?"
            return f"{c['passed']} / {c['failed']} / {c['errors']} / {c['skipped']}"

        lines.append(
            f"| {result['project']} | {cell(ci.get('counts'))} | {cell(ours.get('counts'))} | "
            f"{'yes' if result['same'] else 'NO'} | {ours.get('environment')} |"
        )
    for result in results:
        only_ci = result.get("not_passed_only_in_ci") or []
        only_ours = result.get("not_passed_only_in_validate") or []
        if only_ci or only_ours:
            lines += ["", f"## {result['project']}: tests whose outcome differs", ""]
            lines += [f"- not passed in CI only: `{t}`" for t in only_ci]  # type: ignore[union-attr]
            lines += [f"- not passed in validate only: `{t}`" for t in only_ours]  # type: ignore[union-attr]
    (RESULTS / "validation_project_tests.md").write_text("\n".join(lines) + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=[p.name for p in PROJECTS])
    parser.add_argument(
        "--fresh-cache",
        action="store_true",
        help="Build validate's test environments in a new cache (measures the install too).",
    )
    args = parser.parse_args()
    results: list[dict[str, object]] = []
    for project in PROJECTS:
        if args.only and project.name != args.only:
            continue
        archive = sdist(project)
        with tempfile.TemporaryDirectory(prefix=f"bench-{project.name}-") as tmp:
            work = Path(tmp)
            cache = work / "cache" if args.fresh_cache else None
            ci = ci_run(project, archive, work)
            ours = validate_run(archive, work, cache)
        same = ci.get("counts") == ours.get("counts")
        not_ci = set(ci.get("not_passed", []))  # type: ignore[arg-type]
        not_ours = set(ours.get("not_passed", []))  # type: ignore[arg-type]
        results.append(
            {
                "project": f"{project.name} {project.version}",
                "same": same,
                "ci": ci,
                "validate": ours,
                "not_passed_only_in_ci": sorted(not_ci - not_ours),
                "not_passed_only_in_validate": sorted(not_ours - not_ci),
            }
        )
        print(
            f"{project.name} {project.version}: CI {ci.get('counts')}, "
            f"validate {ours.get('counts')} -> {'same' if same else 'DIFFERENT'}",
            flush=True,
        )
    write(results)
    return 0 if all(r["same"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
