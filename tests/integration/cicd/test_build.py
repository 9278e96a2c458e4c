"""`make build`: sdist, wheel (checked by twine) and the standalone executable, which then runs
as a user would run it: version, help, configuration, migrations, the API and validation.

One build per session (PyInstaller takes minutes); every test below uses its output. The sdist
and wheel need no system tool; the executable needs binutils and the shared libpython.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import sysconfig
import tarfile
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import httpx
import pytest
from filelock import FileLock

from servers import free_port, require_tool, unavailable, wait_for_port

pytestmark = pytest.mark.slow

RunMake = Callable[..., subprocess.CompletedProcess[str]]
VERSION = version("claude-tui")


@dataclass(frozen=True)
class Build:
    dist: Path
    output: str

    @property
    def executable(self) -> Path:
        arch = {"amd64": "x86_64", "aarch64": "arm64"}.get(
            platform.machine().lower(), platform.machine().lower()
        )
        os_name = {"linux": "linux", "darwin": "macos", "win32": "windows"}[sys.platform]
        suffix = ".exe" if sys.platform == "win32" else ""
        return self.dist / f"claude-tui-{VERSION}-{os_name}-{arch}{suffix}"


def shared_libpython_problem() -> str | None:
    """PyInstaller bundles the shared libpython, which a bare Debian's Python lacks."""
    if sys.platform != "linux":
        return None
    major, minor = sys.version_info[:2]
    name = sysconfig.get_config_var("INSTSONAME") or f"libpython{major}.{minor}.so.1.0"
    libdir = sysconfig.get_config_var("LIBDIR") or "/usr/lib"
    multiarch = sysconfig.get_config_var("MULTIARCH") or ""
    places = [
        Path(libdir),
        Path(libdir) / multiarch,
        Path("/usr/lib") / multiarch,
        Path("/usr/lib"),
    ]
    if any((place / name).exists() for place in places):
        return None
    return f"the shared Python library {name} not installed: apt-get install python3-dev"


def make_once(run_make: RunMake, shared: Path, name: str, *targets: str) -> tuple[Path, str]:
    """Run the make targets once per test run: the first xdist worker runs, the others wait."""
    work = shared / "cicd-build"
    with FileLock(str(shared / f"cicd-{name}.lock")):
        log = work / f"{name}.log"
        if not log.exists():
            started = time.monotonic()
            result = run_make(
                *targets,
                f"DIST={work / 'dist'}",
                f"PYINSTALLER_WORK={work / 'pyinstaller'}",
                timeout=1800,
            )
            seconds = time.monotonic() - started
            assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-5000:]
            print(f"\nmake {' '.join(targets)} took {seconds:.0f} s")  # quoted by the report
            work.mkdir(exist_ok=True)
            log.write_text(result.stdout + result.stderr)
    return work / "dist", log.read_text()


@pytest.fixture(scope="session")
def distributions(run_make: RunMake, tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The sdist and the wheel, checked by twine (what ``make build`` makes first)."""
    shared = tmp_path_factory.getbasetemp().parent  # common to every worker of this run
    return Build(*make_once(run_make, shared, "dist", "dist", "twine-check"))


@pytest.fixture(scope="session")
def build(
    distributions: Build, run_make: RunMake, tmp_path_factory: pytest.TempPathFactory
) -> Build:
    """The standalone executable, built once per test run with PyInstaller."""
    if sys.platform == "linux":
        # PyInstaller reads the libraries' dependencies with objdump (binutils).
        require_tool("objdump", install="apt-get install binutils")
        problem = shared_libpython_problem()
        if problem is not None:
            unavailable(problem)
    shared = tmp_path_factory.getbasetemp().parent
    return Build(*make_once(run_make, shared, "executable", "executable"))


def run_executable(
    build: Build, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(build.executable), *args],
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
        check=False,
    )


@pytest.fixture
def user_env(tmp_path: Path) -> dict[str, str]:
    """A user's environment: no project settings, a fresh data directory, no venv on PATH."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("CLAUDE_TUI_", "VIRTUAL_ENV", "PYTHON"))
    }
    env["PATH"] = "/usr/bin:/bin"
    env["CLAUDE_TUI_DATA_DIR"] = str(tmp_path / "data")
    env["NO_COLOR"] = "1"
    return env


def test_sdist_and_wheel_carry_the_package_data_and_pass_twine_check(
    distributions: Build,
) -> None:
    sdists = list(distributions.dist.glob("claude_tui-*.tar.gz"))
    wheels = list(distributions.dist.glob("claude_tui-*.whl"))
    assert [p.name for p in sdists] == [f"claude_tui-{VERSION}.tar.gz"]
    assert [p.name for p in wheels] == [f"claude_tui-{VERSION}-py3-none-any.whl"]
    assert distributions.output.count("PASSED") == 2  # twine check --strict, one line per file
    names = zipfile.ZipFile(wheels[0]).namelist()
    assert "claude_tui/py.typed" in names
    assert "claude_tui/storage/migrations/script.py.mako" in names
    assert any(n.startswith("claude_tui/storage/migrations/versions/0001") for n in names)
    with tarfile.open(sdists[0]) as sdist:
        members = sdist.getnames()
    assert f"claude_tui-{VERSION}/pyproject.toml" in members
    assert f"claude_tui-{VERSION}/README.md" in members


def test_the_executable_reports_its_version_and_commands_without_python(
    build: Build, user_env: dict[str, str]
) -> None:
    assert build.executable.is_file()
    assert os.access(build.executable, os.X_OK)
    shown = run_executable(build, "version", env=user_env)
    assert (shown.returncode, shown.stdout.strip()) == (0, VERSION), shown.stderr
    helped = run_executable(build, "--help", env=user_env)
    assert helped.returncode == 0, helped.stderr
    for command in ("serve", "version", "db", "config"):
        assert command in helped.stdout


def test_the_executable_shows_config_and_migrates_a_fresh_database(
    build: Build, user_env: dict[str, str]
) -> None:
    config = run_executable(build, "config", "show", env=user_env)
    assert config.returncode == 0, config.stderr
    assert user_env["CLAUDE_TUI_DATA_DIR"] in config.stdout
    migrated = run_executable(build, "db", "upgrade", env=user_env)
    assert migrated.returncode == 0, migrated.stderr
    assert (Path(user_env["CLAUDE_TUI_DATA_DIR"]) / "claude-tui.db").is_file()
    current = run_executable(build, "db", "current", env=user_env)
    assert current.returncode == 0, current.stderr
    assert "head" in current.stdout + current.stderr


def test_a_bad_option_is_one_readable_line_from_the_executable(
    build: Build, user_env: dict[str, str]
) -> None:
    result = run_executable(build, "config", "show", "--no-such-option", env=user_env)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "--no-such-option" in result.stderr


@pytest.fixture
def served(build: Build, user_env: dict[str, str]) -> Iterator[str]:
    assert run_executable(build, "db", "upgrade", env=user_env).returncode == 0
    port = free_port()
    server = subprocess.Popen(
        [str(build.executable), "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=user_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, timeout=90)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_executable_serves_the_api(served: str) -> None:
    with httpx.Client(base_url=served, timeout=10) as client:
        assert client.get("/health").json() == {"status": "ok"}
        ready = client.get("/ready")
        assert ready.status_code == 200, ready.text
        assert client.get("/version").json()["version"] == VERSION
        assert client.get("/docs").status_code == 200  # packaged Swagger UI assets


def test_the_executable_validates_a_small_project(
    build: Build, user_env: dict[str, str], tmp_path: Path
) -> None:
    clean = tmp_path / "clean"
    clean.mkdir()
    (clean / "app.py").write_text("def add(a: int, b: int) -> int:\n    return a + b\n")
    (clean / "ui.js").write_text("export function add(a, b) {\n  return a + b;\n}\n")
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "app.py").write_text("def add(a, b)\n    return a +\n")
    (broken / "ui.js").write_text("export function add(a, b {\n  return a + ;\n")
    ok = run_executable(build, "validate", "--no-exec", str(clean), env=user_env)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    bad = run_executable(build, "validate", "--no-exec", str(broken), env=user_env)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "Traceback" not in bad.stderr
    findings = [line for line in bad.stdout.splitlines() if "[syntax." in line]
    # Python through its own parser, JavaScript through the bundled tree-sitter grammars.
    assert {line.split(":")[0] for line in findings} == {"app.py", "ui.js"}, bad.stdout
