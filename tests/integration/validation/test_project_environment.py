"""A project's tests run with the project's interpreter, and its environment's errors are named.

Packages come from a wheelhouse made here from what is installed (no index is reached): the
build step still runs pip in the sandbox, as it does against PyPI.
"""

from __future__ import annotations

import importlib.metadata
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from claude_tui.validation import Severity, ValidationReport, validate_path
from claude_tui.validation.execution import bwrap_status
from claude_tui.validation.model import Check, Finding
from servers import require_sandbox, unavailable

PYTEST_WHEELS = ("pytest", "pluggy", "iniconfig", "packaging", "pygments")

MARKER_TEST = """
import envmarker


def test_the_project_environment_is_used():
    assert envmarker.VALUE == 42
"""


@pytest.fixture
def sandboxed() -> None:
    usable, why = bwrap_status()
    if not usable:
        require_sandbox()  # the install line when bwrap is missing
        unavailable(f"bubblewrap cannot sandbox here: {why}")


def repack(name: str, out: Path) -> None:
    """A wheel of an installed distribution, so pip can install it without an index."""
    dist = importlib.metadata.distribution(name)
    base = Path(str(dist.locate_file("")))
    wheel = out / f"{dist.metadata['Name'].replace('-', '_')}-{dist.version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for file in dist.files or []:
            relative = file.as_posix()
            if relative.startswith("..") or "__pycache__" in relative:
                continue
            archive.write(base / relative, relative)


def marker_wheel(out: Path) -> None:
    """``envmarker``: a package only the project's environment has."""
    info = "envmarker-1.0.dist-info"
    files = {
        "envmarker/__init__.py": "VALUE = 42\n",
        f"{info}/METADATA": "Metadata-Version: 2.1\nName: envmarker\nVersion: 1.0\n",
        f"{info}/WHEEL": "Wheel-Version: 1.0\nGenerator: tests\nRoot-Is-Purelib: true\n"
        "Tag: py3-none-any\n",
    }
    files[f"{info}/RECORD"] = "".join(f"{name},,\n" for name in [*files, f"{info}/RECORD"])
    with zipfile.ZipFile(out / "envmarker-1.0-py3-none-any.whl", "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)


@pytest.fixture(scope="session")
def wheelhouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheels")
    for name in PYTEST_WHEELS:
        repack(name, out)
    marker_wheel(out)
    return out


def execution_findings(report: ValidationReport) -> dict[str, Finding]:
    return {f.rule: f for f in report.findings if f.check is Check.EXECUTION}


def write_pytest_project(root: Path) -> None:
    (root / "tests").mkdir(parents=True)
    (root / "pyproject.toml").write_text('[tool.pytest.ini_options]\ntestpaths = ["tests"]\n')


def test_environment_errors_are_reported_apart_from_failing_tests(
    tmp_path: Path, sandboxed: None
) -> None:
    root = tmp_path / "proj"
    write_pytest_project(root)
    tests = root / "tests"
    (tests / "conftest.py").write_text(
        "import pytest\n\n\n@pytest.fixture\ndef answer():\n    return 42\n"
    )
    (tests / "test_ok.py").write_text(
        "def test_own_conftest_fixture(answer):\n    assert answer == 42\n\n\n"
        "def test_no_plugin_of_the_validator(pytestconfig):\n"
        '    assert not pytestconfig.pluginmanager.has_plugin("asyncio")\n'
    )
    (tests / "test_wrong.py").write_text("def test_wrong_sum():\n    assert 1 + 1 == 3\n")
    (tests / "test_missing.py").write_text(
        "import not_installed_anywhere\n\n\ndef test_x():\n    pass\n"
    )
    (tests / "test_fixture.py").write_text(
        "def test_needs_a_plugin(httpbin_like_fixture):\n    pass\n"
    )

    report = validate_path(
        root, checks=[Check.SYNTAX], execute=True, install_test_env=False, workers=1
    )

    findings = execution_findings(report)
    failed = findings["execution.tests-failed"]
    assert failed.severity is Severity.HIGH
    assert "test_wrong_sum" in failed.message
    assert "test_own_conftest_fixture" not in failed.message
    assert "test_no_plugin_of_the_validator" not in failed.message
    assert "test_missing" not in failed.message
    assert "test_needs_a_plugin" not in failed.message
    broken = findings["execution.environment"]
    assert broken.severity is Severity.MEDIUM
    assert "not_installed_anywhere" in broken.message
    assert "httpbin_like_fixture" in broken.message
    assert report.execution is not None
    assert "claude-tui's own interpreter" in report.execution.environment


def test_only_environment_errors_never_make_a_high_finding(tmp_path: Path, sandboxed: None) -> None:
    root = tmp_path / "proj"
    write_pytest_project(root)
    (root / "tests" / "test_needs.py").write_text(
        "import not_installed_anywhere\n\n\ndef test_x():\n    pass\n"
    )
    report = validate_path(
        root, checks=[Check.SYNTAX], execute=True, install_test_env=False, workers=1
    )
    findings = execution_findings(report)
    assert "execution.tests-failed" not in findings
    assert findings["execution.environment"].severity is Severity.MEDIUM
    assert not report.at_or_above(Severity.HIGH)


@pytest.mark.slow
def test_the_projects_own_virtualenv_runs_the_tests(
    tmp_path: Path, sandboxed: None, wheelhouse: Path
) -> None:
    root = tmp_path / "proj"
    write_pytest_project(root)
    (root / "tests" / "test_marker.py").write_text(MARKER_TEST)
    base = getattr(sys, "_base_executable", sys.executable)
    subprocess.run([base, "-m", "venv", str(root / "env")], check=True, capture_output=True)
    subprocess.run(
        [
            str(root / "env" / "bin" / "python"),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-index",
            "--find-links",
            str(wheelhouse),
            "pytest",
            "envmarker",
        ],
        check=True,
        capture_output=True,
    )
    report = validate_path(root, checks=[Check.SYNTAX], execute=True, workers=1)
    assert report.execution is not None
    assert report.execution.counts.passed == 1, report.execution.output_tail
    assert report.execution.succeeded
    assert "the project's virtualenv env/" in report.execution.environment


def test_a_virtualenv_linking_out_of_the_workspace_is_not_run(
    tmp_path: Path, sandboxed: None
) -> None:
    root = tmp_path / "proj"
    write_pytest_project(root)
    (root / "tests" / "test_ok.py").write_text("def test_ok():\n    pass\n")
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "bin").mkdir(parents=True)
    (elsewhere / "pyvenv.cfg").write_text("home = /usr/bin\n")
    (elsewhere / "bin" / "python").write_text("#!/bin/sh\ntouch " + str(tmp_path / "ran") + "\n")
    (elsewhere / "bin" / "python").chmod(0o755)
    (root / ".venv").symlink_to(elsewhere)

    report = validate_path(
        root, checks=[Check.SYNTAX], execute=True, install_test_env=False, workers=1
    )

    assert not (tmp_path / "ran").exists()
    assert report.execution is not None
    assert ".venv/ ignored: it links outside the workspace" in report.execution.notes
    assert report.execution.succeeded


@pytest.mark.slow
def test_an_environment_is_built_from_declared_test_dependencies_and_reused(
    tmp_path: Path, sandboxed: None, wheelhouse: Path
) -> None:
    root = tmp_path / "proj"
    write_pytest_project(root)
    (root / "tests" / "test_marker.py").write_text(MARKER_TEST)
    (root / "wheels").mkdir()
    for wheel in wheelhouse.iterdir():
        (root / "wheels" / wheel.name).write_bytes(wheel.read_bytes())
    (root / "requirements-test.txt").write_text(
        "--no-index\n--find-links wheels\npytest\nenvmarker\n"
    )
    cache = tmp_path / "cache"

    first = validate_path(root, checks=[Check.SYNTAX], execute=True, test_env_dir=cache, workers=1)
    assert first.execution is not None
    assert first.execution.counts.passed == 1, first.execution.output_tail
    assert "built from requirements-test.txt" in first.execution.environment
    assert not any(root.rglob("*.egg-info"))
    assert not (root / ".venv").exists()

    second = validate_path(root, checks=[Check.SYNTAX], execute=True, test_env_dir=cache, workers=1)
    assert second.execution is not None
    assert second.execution.succeeded
    assert "(cached)" in second.execution.environment
    assert second.duration_seconds < first.duration_seconds


@pytest.mark.slow
def test_a_failed_install_is_an_environment_finding_and_no_test_verdict(
    tmp_path: Path, sandboxed: None
) -> None:
    root = tmp_path / "proj"
    write_pytest_project(root)
    (root / "tests" / "test_ok.py").write_text("def test_ok():\n    pass\n")
    (root / "requirements-test.txt").write_text("--no-index\nno-such-distribution-here\n")

    report = validate_path(
        root, checks=[Check.SYNTAX], execute=True, test_env_dir=tmp_path / "cache", workers=1
    )

    findings = execution_findings(report)
    assert set(findings) == {"execution.environment"}
    assert findings["execution.environment"].severity is Severity.MEDIUM
    assert "no-such-distribution-here" in findings["execution.environment"].message


def test_cli_options_choose_the_interpreter(
    tmp_path: Path, sandboxed: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    import typer
    from typer.testing import CliRunner

    from claude_tui.cli import validate_cmd

    app = typer.Typer()
    validate_cmd.register(app)
    root = tmp_path / "proj"
    write_pytest_project(root)
    (root / "tests" / "test_ok.py").write_text("def test_ok():\n    pass\n")
    monkeypatch.chdir(root)
    runner = CliRunner()

    missing = runner.invoke(app, ["validate", ".", "--python", str(tmp_path / "nope")])
    assert missing.exit_code == 2
    assert "no such interpreter" in missing.stderr
    assert "Traceback" not in missing.stderr

    done = runner.invoke(app, ["validate", ".", "--no-install", "--no-cache", "--format", "json"])
    assert done.exit_code == 0, done.stdout + done.stderr
    execution = json.loads(done.stdout)["execution"]
    assert execution["counts"]["passed"] == 1
    assert "claude-tui's own interpreter" in execution["environment"]


def test_declared_test_dependencies_are_read_as_the_project_declares_them(tmp_path: Path) -> None:
    from claude_tui.validation.testenv import dependency_spec

    layout = tmp_path / "requests_like"
    layout.mkdir()
    (layout / "setup.py").write_text("from setuptools import setup\nsetup()\n")
    (layout / "requirements-dev.txt").write_text("-e .[socks]\npytest>=2.8.0,<9\n")
    # The project itself comes from its requirements file, not a second time from ".".
    assert dependency_spec(layout).install_args == ("-r", "requirements-dev.txt")

    click_like = tmp_path / "click_like"
    (click_like / "requirements").mkdir(parents=True)
    (click_like / "pyproject.toml").write_text(
        '[project]\nname = "c"\nversion = "1"\n\n[project.optional-dependencies]\n'
        'test = ["x"]\ndocs = ["sphinx"]\n\n[dependency-groups]\ntests = ["pytest"]\n'
    )
    (click_like / "requirements" / "tests.txt").write_text("pytest==8.3.4\n")
    (click_like / "requirements" / "tests37.txt").write_text("pytest==7.4.4\n")
    (click_like / "requirements" / "dev.txt").write_text("tox\n")
    assert dependency_spec(click_like).install_args == (
        ".[test]",
        "pytest",
        "-r",
        "requirements/tests.txt",
    )
