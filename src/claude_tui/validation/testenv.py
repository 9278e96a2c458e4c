"""The interpreter a Python project's tests run with: its own virtualenv, or one built for it.

A project's own environment (``.venv``, ``venv``, ``env``: where uv, poetry with in-project
virtualenvs, pdm and ``python -m venv`` put it) is used when its interpreter is inside the
workspace or is one the sandbox already exposes; a link that leads anywhere else is ignored,
never executed. Otherwise an environment is built from the declared dependencies (the project
with its test extras, test dependency groups, test/dev requirement files, tox's test deps):
``pip`` runs inside the sandbox with the network on for that step only, into a directory
under the cache keyed by a hash of the dependency files, so the next run reuses it.
"""

from __future__ import annotations

import configparser
import fcntl
import hashlib
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

from claude_tui.sandbox.bwrap import SYSTEM_DIRS, SandboxSpec, sandbox_argv, sandbox_env

VENV_DIRS = (".venv", "venv", "env", ".env")
TEST_EXTRAS = ("test", "tests", "testing", "dev")
REQUIREMENT_GLOBS = (
    "requirements*test*.txt",
    "test*-requirements*.txt",
    "requirements/test*.txt",
    "requirements/*test*.txt",
    "requirements*dev*.txt",
    "dev*-requirements*.txt",
)
LOCK_FILES = ("uv.lock", "poetry.lock", "pdm.lock", "Pipfile.lock")
# The machine's own pip configuration (a mirror, a company CA): the operator's, not a user's.
PIP_SYSTEM_CONFIG = (Path("/etc/pip.conf"), Path("/etc/xdg/pip"))
TOX_REQUIREMENTS = "claude-tui-tox-requirements.txt"
_READY = ".claude-tui-ready"
# Changes to how environments are built invalidate the old ones.
_LAYOUT = "1"
_VERSION_TAGGED = re.compile(r"(?:py|\D)3\d{1,2}(?:\D|$)|^3\d{1,2}")
_COPY_IGNORED = shutil.ignore_patterns(
    ".git", "node_modules", "__pycache__", "*.pyc", ".tox", ".nox", *VENV_DIRS
)


def default_cache_dir() -> Path:
    """Where built test environments are kept: beside the validation cache, never in a project."""
    return platformdirs.user_cache_path("claude-tui", appauthor=False) / "test-environments"


@dataclass(frozen=True, slots=True)
class TestEnvironment:
    """The interpreter to run the tests with, what it is, and what the sandbox must show."""

    __test__ = False  # not a pytest test class despite the name

    python: str
    description: str
    extra_env: dict[str, str] = field(default_factory=dict)
    read_only: tuple[Path, ...] = ()
    #: Why the project's environment could not be made ready; the tests are then not run.
    problem: str | None = None
    notes: tuple[str, ...] = ()


def find_virtualenv(root: Path) -> tuple[Path | None, list[str]]:
    """The interpreter of the project's own virtualenv, and why candidates were passed over."""
    notes: list[str] = []
    workspace = root.resolve()
    for name in VENV_DIRS:
        candidate = root / name
        if not candidate.is_dir() or not (candidate / "pyvenv.cfg").is_file():
            continue
        if candidate.is_symlink() or not candidate.resolve().is_relative_to(workspace):
            notes.append(f"{name}/ ignored: it links outside the workspace")
            continue
        python = candidate / "bin" / "python"
        if not python.exists():
            notes.append(f"{name}/ ignored: it has no bin/python")
            continue
        real = python.resolve()
        if not (real.is_relative_to(workspace) or _exposed_interpreter(real)):
            notes.append(
                f"{name}/ ignored: its python leads to {real}, outside the workspace and not "
                "an interpreter the sandbox provides"
            )
            continue
        return python, notes
    return None, notes


def _exposed_interpreter(real: Path) -> bool:
    """An interpreter of the system or of the server itself: the sandbox shows both read-only."""
    roots = [Path(p) for p in SYSTEM_DIRS] + [
        Path(sys.prefix).resolve(),
        Path(sys.base_prefix).resolve(),
    ]
    return any(real.is_relative_to(r) for r in roots)


@dataclass(frozen=True, slots=True)
class DependencySpec:
    """What ``pip install`` gets, and the files whose contents key the cache."""

    install_args: tuple[str, ...]
    files: tuple[Path, ...]
    described: tuple[str, ...]
    #: Requirement files made for the install (tox's deps), by name in the project's copy.
    written: tuple[tuple[str, str], ...] = ()


def dependency_spec(root: Path) -> DependencySpec:
    """The project's declared runtime and test dependencies, as pip arguments in a copy."""
    args: list[str] = []
    files: list[Path] = []
    described: list[str] = []
    pyconfig: dict[str, object] = {}
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        files.append(pyproject)
        try:
            pyconfig = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError):
            pyconfig = {}
    for name in ("setup.py", "setup.cfg", *LOCK_FILES):
        if (root / name).is_file():
            files.append(root / name)
    project = pyconfig.get("project")
    requirement_files = _requirement_files(root)
    installable = isinstance(project, dict) or (root / "setup.py").is_file()
    # A requirements file that installs the project itself (``-e .[socks]``) says how; the
    # same project twice from two sources is a conflict pip refuses.
    if installable and not any(_names_the_project(_read(f)) for f in requirement_files):
        extras = _test_extras(root, project if isinstance(project, dict) else {})
        args.append("." + (f"[{','.join(extras)}]" if extras else ""))
        described.append("the project" + (f" with [{', '.join(extras)}]" if extras else ""))
    for group in _group_requirements(pyconfig):
        args.append(group)
    if any(not a.startswith(".") for a in args):
        described.append("its test dependency groups")
    written: list[tuple[str, str]] = []
    tox = None if requirement_files else _tox_requirements(root)
    if tox is not None:
        files.append(root / "tox.ini")
        written.append((TOX_REQUIREMENTS, "\n".join(tox) + "\n"))
        args += ["-r", TOX_REQUIREMENTS]
        described.append("tox.ini [testenv] deps")
    for path in requirement_files:
        files.append(path)
        relative = path.relative_to(root).as_posix()
        args += ["-r", relative]
        described.append(relative)
    text = " ".join(args) + "".join(_read(f) for f in files)
    if "pytest" not in text:
        args.append("pytest")
        described.append("pytest")
    return DependencySpec(tuple(args), tuple(files), tuple(described), tuple(written))


_PROJECT_ITSELF = re.compile(
    r"^\s*(?:-e\s+|--editable[=\s]+)?(?:\.|file:\.)/?(?:\[[^\]]*\])?\s*$", re.M
)


def _names_the_project(requirements: str) -> bool:
    return bool(_PROJECT_ITSELF.search(requirements))


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _test_extras(root: Path, project: dict[object, object]) -> list[str]:
    optional = project.get("optional-dependencies")
    names: list[str] = list(optional) if isinstance(optional, dict) else []
    setup_cfg = root / "setup.cfg"
    if setup_cfg.is_file():
        parser = configparser.ConfigParser(interpolation=None)
        try:
            parser.read_string(_read(setup_cfg))
        except configparser.Error:
            pass
        else:
            if parser.has_section("options.extras_require"):
                names += list(parser["options.extras_require"])
    return sorted({n for n in names if n.lower() in TEST_EXTRAS})


def _group_requirements(pyconfig: dict[str, object]) -> list[str]:
    groups = pyconfig.get("dependency-groups")
    if not isinstance(groups, dict):
        return []
    out: list[str] = []
    seen: set[str] = set()

    def add(name: str) -> None:
        if name in seen or not isinstance(groups.get(name), list):
            return
        seen.add(name)
        for item in groups[name]:
            if isinstance(item, str):
                out.append(item)
            elif isinstance(item, dict) and isinstance(item.get("include-group"), str):
                add(item["include-group"])

    for name in groups:
        if str(name).lower() in TEST_EXTRAS:
            add(str(name))
    return out


def _requirement_files(root: Path) -> list[Path]:
    found: list[Path] = []
    for pattern in REQUIREMENT_GLOBS:
        for path in sorted(root.glob(pattern)):
            if path.is_file() and not path.is_symlink() and path not in found:
                found.append(path)
    # Pins for another Python (tests37.txt, requirements-py38-test.txt) conflict with the rest.
    found = [p for p in found if not _VERSION_TAGGED.search(p.stem)]
    tests = [p for p in found if "test" in p.name.lower()]
    # A dev file often adds linters and docs builders; the test files are enough when present.
    return tests or found


def _tox_requirements(root: Path) -> list[str] | None:
    tox = root / "tox.ini"
    if not tox.is_file():
        return None
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(_read(tox))
    except configparser.Error:
        return None
    if not parser.has_option("testenv", "deps"):
        return None
    lines = [line.strip() for line in parser["testenv"]["deps"].splitlines() if line.strip()]
    lines = [line.replace("{toxinidir}", ".") for line in lines]
    # Factor conditions and substitutions other than the project directory are tox's own
    # language; such deps are left to the project's own virtualenv.
    if not lines or any("{" in line or ":" in line.split("#")[0] for line in lines):
        return None
    return lines


def environment_key(root: Path, spec: DependencySpec) -> str:
    """A hash of the dependency files, the install arguments and the base interpreter."""
    digest = hashlib.sha256()
    digest.update(f"{_LAYOUT}\0{sys.version}\0{sys.base_prefix}\0".encode())
    digest.update("\0".join(spec.install_args).encode())
    for path in sorted(spec.files):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"<unreadable>")
    return digest.hexdigest()[:24]


def _src_path(root: Path) -> str:
    src = root / "src"
    return str(src) if src.is_dir() and not src.is_symlink() else str(root)


def resolve_environment(
    root: Path,
    *,
    python: str | None = None,
    install: bool = True,
    cache_dir: Path | None = None,
    timeout_seconds: float = 900.0,
) -> TestEnvironment:
    """The interpreter to run ``root``'s pytest suite with, building an environment if needed."""
    path_env = {"PYTHONPATH": _src_path(root)}
    if python:
        return TestEnvironment(python, f"the configured interpreter {python}", path_env)
    own, notes = find_virtualenv(root)
    if own is not None:
        return TestEnvironment(
            str(own),
            f"the project's virtualenv {own.parent.parent.name}/",
            path_env,
            notes=tuple(notes),
        )
    if not install:
        return TestEnvironment(
            sys.executable,
            "claude-tui's own interpreter (the project has no virtualenv and installing one "
            "is turned off); its installed pytest plugins are not loaded",
            {**path_env, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"},
            notes=tuple(notes),
        )
    spec = dependency_spec(root)
    base = cache_dir or default_cache_dir()
    env_dir = base / environment_key(root, spec)
    env_python = env_dir / "bin" / "python"
    described = "an environment built from " + ", ".join(spec.described)
    with _locked(base, env_dir.name):
        if (env_dir / _READY).is_file():
            return TestEnvironment(
                str(env_python),
                f"{described} (cached)",
                path_env,
                read_only=(env_dir,),
                notes=tuple(notes),
            )
        problem = _build(root, spec, env_dir, timeout_seconds)
    if problem is not None:
        return TestEnvironment(
            str(env_python), described, path_env, problem=problem, notes=tuple(notes)
        )
    return TestEnvironment(
        str(env_python), described, path_env, read_only=(env_dir,), notes=tuple(notes)
    )


@contextmanager
def _locked(base: Path, name: str) -> Iterator[None]:
    # Two validations of the same project must not build into one directory at once.
    base.mkdir(parents=True, exist_ok=True, mode=0o700)
    with open(base / f"{name}.lock", "w", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _build(root: Path, spec: DependencySpec, env_dir: Path, timeout: float) -> str | None:
    """Create the virtualenv, then pip-install into it in the sandbox; the problem, if any."""
    if env_dir.exists():
        shutil.rmtree(env_dir)
    try:
        # Only the server's own interpreter runs here, on no project file.
        subprocess.run(  # noqa: S603 - fixed arguments
            [_base_python(), "-m", "venv", str(env_dir)],
            capture_output=True,
            timeout=timeout,
            check=True,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        return f"could not create a virtualenv for the tests: {_last_line(exc)}"
    # pip builds the project in place and an editable install keeps pointing at its source:
    # a copy kept inside the environment lets both happen without writing to the workspace.
    source = env_dir / "source"
    shutil.copytree(root, source, ignore=_COPY_IGNORED, symlinks=True)
    for name, text in spec.written:
        (source / name).write_text(text, encoding="utf-8")
    args = list(spec.install_args)
    argv = [
        str(env_dir / "bin" / "python"),
        "-m",
        "pip",
        "install",
        "--disable-pip-version-check",
        "--no-input",
        "--progress-bar",
        "off",
        *args,
    ]
    # The install runs the build code of the project and of every dependency: in the sandbox,
    # with the network on for this step only, able to write just the new environment.
    sandboxed = sandbox_argv(
        argv,
        SandboxSpec(
            workspace=source,
            writable=(env_dir,),
            read_only=tuple(p for p in PIP_SYSTEM_CONFIG if p.exists()),
            network=True,
        ),
    )
    try:
        run = subprocess.run(  # noqa: S603 - the sandbox's command line
            sandboxed,
            cwd=source,
            env=sandbox_env(),
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return f"installing the test dependencies took longer than {timeout:.0f}s"
    except OSError as exc:
        return f"could not run pip: {exc}"
    if run.returncode != 0:
        detail = _pip_error(
            run.stdout.decode("utf-8", "replace") + run.stderr.decode("utf-8", "replace")
        )
        return f"installing the test dependencies failed ({' '.join(args)}): {detail}"
    (env_dir / _READY).write_text(" ".join(args) + "\n", encoding="utf-8")
    return None


def _base_python() -> str:
    base = getattr(sys, "_base_executable", None)
    return base if isinstance(base, str) and base else sys.executable


def _pip_error(output: str) -> str:
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("ERROR")]
    # The resolver names the conflict before its generic last line.
    conflict = [line for line in lines if "conflict is caused by" in line or " depends on " in line]
    picked = errors[:1] + conflict[:4] + errors[-1:] if errors else lines[-1:]
    return " | ".join(dict.fromkeys(picked))[:600] or "no output"


def _last_line(exc: BaseException) -> str:
    stderr = getattr(exc, "stderr", None)
    if isinstance(stderr, bytes) and stderr.strip():
        return stderr.decode("utf-8", "replace").strip().splitlines()[-1][:300]
    return str(exc)[:300]
