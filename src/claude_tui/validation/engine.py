"""Validation of a tree, a file or a snippet: file discovery, cache, process pool, execution."""

from __future__ import annotations

import gc
import multiprocessing
import os
import re
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Collection, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from claude_tui.sandbox.git import Git, GitError, find_worktree
from claude_tui.validation import projectnames, ruff_names, toolchains
from claude_tui.validation.analysis import analyze_source
from claude_tui.validation.cache import ResultCache, cache_key
from claude_tui.validation.errors import InvalidTargetError, ToolUnavailableError
from claude_tui.validation.execution import (
    SANDBOX_BWRAP,
    ExecutionLimits,
    TestCommand,
    bwrap_status,
    detect_test_command,
    run_tests,
)
from claude_tui.validation.languages import Language, language_of, parse_language, suffix_for
from claude_tui.validation.model import (
    Check,
    CheckFailure,
    ExecutionResult,
    Finding,
    Severity,
    ValidationReport,
)
from claude_tui.validation.project import SKIPPED_DIRS, ProjectContext, scan_project
from claude_tui.validation.testenv import TestEnvironment, resolve_environment

STATIC_CHECKS: tuple[Check, ...] = (Check.SYNTAX, Check.PLACEHOLDERS, Check.IMPORTS, Check.NAMES)
#: Below this many files the pool costs more than it saves.
POOL_THRESHOLD = 48
_CHUNK = 24
_PROJECT_MARKERS = (
    "pyproject.toml",
    "setup.py",
    "setup.cfg",
    "package.json",
    "go.mod",
    "Cargo.toml",
    ".git",
)
MAX_FILE_BYTES = 2 * 1024 * 1024

ProgressCallback = Callable[[int, int], None]


def find_project_root(path: Path) -> Path:
    """The nearest directory at or above ``path`` that looks like a project root."""
    start = path if path.is_dir() else path.parent
    for candidate in (start, *start.parents):
        if any((candidate / marker).exists() for marker in _PROJECT_MARKERS):
            return candidate
    return start


def collect_files(target: Path) -> list[Path]:
    """Source files under ``target`` in a stable order, skipping environments and caches."""
    if target.is_file():
        return [target]
    found: list[Path] = []
    for directory, dirs, files in os.walk(target):
        dirs[:] = sorted(
            d
            for d in dirs
            if d not in SKIPPED_DIRS and not d.startswith(".") and not d.endswith(".egg-info")
        )
        for name in sorted(files):
            path = Path(directory, name)
            if language_of(path) is not None:
                found.append(path)
    return found


_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@", re.MULTILINE)


def changed_lines_since(root: Path, revision: str, target: Path) -> dict[Path, frozenset[int]]:
    """Files under ``target`` changed since ``revision`` (and untracked ones), with their lines."""
    if revision.startswith("-"):
        raise InvalidTargetError(f"{revision!r} is not a git revision")
    top = find_worktree(root)
    if top is None:
        raise InvalidTargetError(f"{root} is not inside a git repository")
    git = Git(top, timeout=60)
    try:
        verify = git.run("rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}", check=False)
        if verify.returncode != 0:
            raise InvalidTargetError(
                f"{revision!r} is not a revision of the git repository at {top}"
            )
        diff = git.run("diff", "-U0", "--no-color", revision, "--", str(target), check=False)
        if diff.returncode != 0:
            raise InvalidTargetError(f"git diff failed: {diff.stderr.strip()[:200]}")
        untracked = git.output(
            "ls-files", "--others", "--exclude-standard", "--full-name", "--", str(target)
        )
    except GitError as exc:
        raise ToolUnavailableError(str(exc)) from exc
    out: dict[Path, frozenset[int]] = {}
    current: Path | None = None
    lines: set[int] = set()
    for line in diff.stdout.splitlines():
        if line.startswith("+++ "):
            if current is not None:
                out[current] = frozenset(lines)
            name = line[4:]
            current = None if name == "/dev/null" else top / name.removeprefix("b/")
            lines = set()
        elif current is not None and (match := _HUNK.match(line)):
            start, count = int(match.group(1)), int(match.group(2) or "1")
            lines.update(range(start, start + count))
    if current is not None:
        out[current] = frozenset(lines)
    for name in untracked.splitlines():
        path = top / name
        try:
            count = len(path.read_bytes().splitlines())
        except OSError:
            continue
        out[path] = frozenset(range(1, count + 1))
    return {p: lines for p, lines in out.items() if p.exists()}


# --- worker side -----------------------------------------------------------------------------

_worker_state: dict[str, object] = {}


def _init_worker(context: ProjectContext, checks: tuple[Check, ...]) -> None:
    # Syntax trees hold no reference cycles, so reference counting frees them; the cyclic
    # collector would only rescan millions of live nodes (it doubled the run time).
    gc.disable()
    _worker_state["context"] = context
    _worker_state["checks"] = checks


_Item = tuple[str, str, frozenset[int] | None]
#: One file's findings, the checks that could not run, and its summary for the project pass.
_Result = tuple[str, list[Finding], list[CheckFailure], projectnames.FileFacts | None]


def _analyze_batch(items: list[_Item]) -> list[_Result]:
    context = _worker_state["context"]
    checks = _worker_state["checks"]
    assert isinstance(context, ProjectContext)
    assert isinstance(checks, tuple)
    return [_analyze_item(item, context, checks) for item in items]


def _analyze_item(item: _Item, context: ProjectContext, checks: tuple[Check, ...]) -> _Result:
    display, real, changed = item
    path = Path(real)
    try:
        content = path.read_bytes()
    except OSError as exc:
        return display, [], [CheckFailure(Check.SYNTAX, f"cannot read: {exc}", display)], None
    language = language_of(path, content[:128])
    if language is None:
        return display, [], [], None
    facts: list[projectnames.FileFacts] = []
    findings, failures = analyze_source(
        display, content, language, context, checks, changed, path, facts
    )
    return display, findings, failures, facts[0] if facts else None


# --- orchestration ---------------------------------------------------------------------------


def _pool_context() -> multiprocessing.context.BaseContext:
    # fork is the cheapest start, but forking a process that runs other threads (a server)
    # can deadlock the child; such callers get forkserver.
    if threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("forkserver")


_helpers_lock = threading.Lock()


def _stderr_descriptor_valid() -> bool:
    try:
        return sys.stderr is None or sys.stderr.fileno() >= 0
    except (AttributeError, OSError, ValueError):
        # No descriptor at all: multiprocessing skips it, which is fine.
        return True


def _start_pool_helpers() -> None:
    """Start multiprocessing's resource tracker while ``sys.stderr`` has a real descriptor.

    The tracker passes ``sys.stderr.fileno()`` to its child. A UI that captures output (the
    Textual app answers -1) made every pool start inside the embedded server fail with
    ``bad value(s) in fds_to_keep``; the tracker, once running, is reused by later pools.
    """
    from multiprocessing import resource_tracker

    with _helpers_lock:
        if _stderr_descriptor_valid():
            resource_tracker.ensure_running()
            return
        captured = sys.stderr
        with open(os.devnull, "w", encoding="utf-8") as devnull:
            original = sys.__stderr__
            try:
                usable = original is not None and original.fileno() >= 0
            except (AttributeError, OSError, ValueError):
                usable = False
            sys.stderr = original if usable else devnull
            try:
                resource_tracker.ensure_running()
            finally:
                sys.stderr = captured


def validate_path(
    path: str | os.PathLike[str],
    *,
    checks: Collection[Check] | None = None,
    changed_since: str | None = None,
    execute: bool = False,
    test_command: str | None = None,
    limits: ExecutionLimits | None = None,
    cache: ResultCache | None = None,
    workers: int | None = None,
    progress: ProgressCallback | None = None,
    allow_unsandboxed: bool = False,
    test_python: str | None = None,
    install_test_env: bool = True,
    test_env_dir: Path | None = None,
) -> ValidationReport:
    """Validate a file or a directory tree.

    ``changed_since`` limits the check to files (and, for placeholders and markers, lines)
    changed since that git revision. ``execute`` runs the project's tests in the sandbox;
    without a usable sandbox that raises :class:`SandboxRequiredError` unless
    ``allow_unsandboxed`` (an operator's explicit choice) lets them run as a plain subprocess,
    which the report then flags as a finding. A pytest suite runs with ``test_python``, else
    the project's own virtualenv, else (``install_test_env``) one built from its declared
    dependencies under ``test_env_dir`` (see :mod:`claude_tui.validation.testenv`).
    """
    started = time.monotonic()
    target = Path(path).resolve()
    if not target.exists():
        raise InvalidTargetError(f"{path} does not exist")
    root = find_project_root(target)
    display_base = target if target.is_dir() else target.parent
    static = tuple(c for c in (checks or STATIC_CHECKS) if c is not Check.EXECUTION)
    if changed_since is not None:
        changes = changed_lines_since(root, changed_since, target)
        files = sorted(p for p in changes if language_of(p) is not None and _is_source(p, target))
    else:
        changes = {}
        files = collect_files(target)
    context = scan_project(
        root, collect_files(root) if changed_since is not None and root != target else files
    )
    report = ValidationReport(
        root=str(display_base),
        checks=(*static, *((Check.EXECUTION,) if execute else ())),
    )
    report.failures.extend(CheckFailure(Check.IMPORTS, note) for note in context.notes)
    tools = toolchains.detect()
    key_checks = [c.value for c in static] + (tools.signature() if Check.SYNTAX in static else [])

    pending: list[_Item] = []
    keys: dict[str, str] = {}
    for file in files:
        display = _display(file, display_base)
        changed = changes.get(file) if changed_since is not None else None
        try:
            size = file.stat().st_size
            if size > MAX_FILE_BYTES:
                report.findings.append(
                    Finding(
                        Check.SYNTAX,
                        "file.too-large",
                        Severity.INFO,
                        f"not checked: {size} bytes is over the {MAX_FILE_BYTES} byte limit",
                        display,
                    )
                )
                continue
            content = file.read_bytes()
        except OSError as exc:
            report.failures.append(CheckFailure(Check.SYNTAX, f"cannot read: {exc}", display))
            continue
        report.files_checked += 1
        if cache is not None:
            key = cache_key(display, content, context.digest(), key_checks, changed)
            hit = cache.get(key, display)
            if hit is not None:
                report.findings.extend(hit)
                report.files_from_cache += 1
                continue
            keys[display] = key
        pending.append((display, str(file), changed))

    ruff_run = None
    if Check.NAMES in static:
        # Ruff works beside the Python checks instead of after them.
        python = {d: Path(r) for d, r, _ in pending if r.endswith((".py", ".pyi"))}
        ruff_run = ruff_names.start_files(python)
    try:
        results = _run_static(pending, context, static, workers, progress, report.files_from_cache)
    except BaseException:
        if ruff_run is not None:
            ruff_run.cancel()
        raise
    ruff_by_file: dict[str, list[Finding]] = {}
    if ruff_run is not None:
        try:
            ruff_by_file = ruff_run.result()
        except ToolUnavailableError as exc:
            report.failures.append(CheckFailure(Check.NAMES, str(exc)))
    syntax_run = toolchains.ToolchainRun(tools)
    if Check.SYNTAX in static:
        syntax_run = toolchains.check_files(root, {d: Path(r) for d, r, _ in pending}, tools)
        report.checkers = syntax_run.describe(_display(file, display_base) for file in files)
    project_checks = {Check.IMPORTS, Check.NAMES} & set(static)
    if project_checks:
        python_files = {
            file: _display(file, display_base) for file in files if file.suffix in (".py", ".pyi")
        }
        summaries = {
            Path(item[1]): result[3]
            for item, result in zip(pending, results, strict=True)
            if result[3] is not None
        }
        report.findings.extend(
            f
            for f in projectnames.check_project(root, python_files, summaries, context.python_paths)
            if f.check in project_checks
        )
    for display, findings, failures, _ in results:
        findings = syntax_run.merge(display, language_of(display), findings)
        findings = findings + ruff_by_file.get(display, [])
        report.findings.extend(findings)
        report.failures.extend(failures)
        if (
            cache is not None
            and not failures
            and display in keys
            # A file its toolchain could not take is checked again next time.
            and display not in syntax_run.fallback
            and (
                Check.NAMES not in static
                or not any(f.check is Check.NAMES for f in report.failures)
            )
        ):
            cache.put(keys[display], findings)

    if execute:
        _execute(
            report,
            root,
            test_command,
            limits,
            allow_unsandboxed,
            _EnvironmentChoice(test_python, install_test_env, test_env_dir),
        )
    report.sort()
    report.duration_seconds = time.monotonic() - started
    return report


def _is_source(path: Path, target: Path) -> bool:
    try:
        rel = path.relative_to(target) if target.is_dir() else None
    except ValueError:
        return False
    if rel is None:
        return path == target
    return not any(part in SKIPPED_DIRS for part in rel.parts)


def _display(file: Path, base: Path) -> str:
    try:
        return file.relative_to(base).as_posix()
    except ValueError:
        return file.as_posix()


def _run_static(
    pending: Sequence[_Item],
    context: ProjectContext,
    checks: tuple[Check, ...],
    workers: int | None,
    progress: ProgressCallback | None,
    already: int,
) -> list[_Result]:
    total = len(pending) + already
    if progress is not None:
        progress(already, total)
    workers = workers or os.cpu_count() or 1
    if len(pending) < POOL_THRESHOLD or workers <= 1:
        out = []
        for index, item in enumerate(pending, start=1):
            out.append(_analyze_item(item, context, checks))
            if progress is not None and (index % _CHUNK == 0 or index == len(pending)):
                progress(already + index, total)
        return out
    chunks = [list(pending[i : i + _CHUNK]) for i in range(0, len(pending), _CHUNK)]
    results: list[_Result] = []
    done = already
    context_kind = _pool_context()
    if context_kind.get_start_method() != "fork":
        _start_pool_helpers()
    try:
        with ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context_kind,
            initializer=_init_worker,
            initargs=(context, checks),
        ) as pool:
            futures: list[Future[list[_Result]]] = [
                pool.submit(_analyze_batch, chunk) for chunk in chunks
            ]
            for future, chunk in zip(futures, chunks, strict=True):
                results.extend(future.result())
                done += len(chunk)
                if progress is not None:
                    progress(done, total)
    except BrokenProcessPool as exc:
        raise ToolUnavailableError(f"a validation worker process died: {exc}") from exc
    return results


@dataclass(frozen=True, slots=True)
class _EnvironmentChoice:
    python: str | None
    install: bool
    cache_dir: Path | None


def _environment_for(
    root: Path, command: TestCommand, choice: _EnvironmentChoice
) -> tuple[TestCommand, TestEnvironment]:
    """The detected pytest command rewritten to run with the project's own interpreter."""
    # Building needs the sandbox (the install runs the packages' build code); without it the
    # tests run with claude-tui's interpreter, its plugins off, and the report says so.
    can_build = choice.install and bwrap_status()[0]
    try:
        environment = resolve_environment(
            root, python=choice.python, install=can_build, cache_dir=choice.cache_dir
        )
    except OSError as exc:
        environment = TestEnvironment(
            sys.executable, "no environment", problem=f"could not prepare it: {exc}"
        )
    if choice.install and not can_build and not choice.python:
        environment = TestEnvironment(
            environment.python,
            environment.description,
            environment.extra_env,
            environment.read_only,
            environment.problem,
            (*environment.notes, "no environment was built: the sandbox cannot start here"),
        )
    return TestCommand((environment.python, *command.argv[1:]), command.runner), environment


def _execute(
    report: ValidationReport,
    root: Path,
    configured: str | None,
    limits: ExecutionLimits | None,
    allow_unsandboxed: bool,
    choice: _EnvironmentChoice,
) -> None:
    command = detect_test_command(root, configured)
    if command is None:
        report.failures.append(
            CheckFailure(
                Check.EXECUTION,
                "no test command found (pytest, npm test, go test, cargo test) and none "
                "configured; configure one or skip execution",
            )
        )
        return
    environment = None
    if command.runner == "pytest":
        command, environment = _environment_for(root, command, choice)
        if environment.problem is not None:
            report.findings.append(
                Finding(
                    Check.EXECUTION,
                    "execution.environment",
                    Severity.MEDIUM,
                    f"the tests were not run: the project's test environment could not be "
                    f"made ready ({environment.description}): {environment.problem}",
                    "",
                )
            )
            return
    result = run_tests(
        root, command, limits, allow_unsandboxed=allow_unsandboxed, environment=environment
    )
    report.execution = result
    if result.sandbox != SANDBOX_BWRAP:
        report.findings.append(
            Finding(
                Check.EXECUTION,
                "execution.not-sandboxed",
                Severity.MEDIUM,
                "the project's tests ran WITHOUT a sandbox (as the server's user, with its "
                "files and network) because the operator allowed it; install bubblewrap",
                "",
            )
        )
    if result.exit_code is None and not result.timed_out:
        report.failures.append(CheckFailure(Check.EXECUTION, "; ".join(result.notes)))
        return
    if result.timed_out:
        report.findings.append(
            Finding(
                Check.EXECUTION,
                "execution.timeout",
                Severity.HIGH,
                f"the tests did not finish within {result.duration_seconds:.0f}s",
                "",
            )
        )
    elif not result.succeeded:
        _judge_failure(report, result)


_NAMED = 10


def _judge_failure(report: ValidationReport, result: ExecutionResult) -> None:
    """Failing tests are HIGH; a run the environment broke is its own, lesser finding."""
    counts = result.counts
    if result.environment_errors:
        shown = "; ".join(result.environment_errors[:_NAMED])
        more = len(result.environment_errors) - _NAMED
        report.findings.append(
            Finding(
                Check.EXECUTION,
                "execution.environment",
                Severity.MEDIUM,
                f"{len(result.environment_errors)} environment error(s) kept tests from "
                f"running ({result.environment or 'the configured command'}): {shown}"
                + (f"; and {more} more" if more > 0 else ""),
                "",
            )
        )
    if result.failing_tests or not result.environment_errors:
        named = ", ".join(result.failing_tests[:_NAMED])
        more = len(result.failing_tests) - _NAMED
        report.findings.append(
            Finding(
                Check.EXECUTION,
                "execution.tests-failed",
                Severity.HIGH,
                f"tests failed: {counts.failed} failed, {counts.errors} errors, "
                f"{counts.passed} passed (exit {result.exit_code})"
                + (f": {named}" if named else "")
                + (f" and {more} more" if more > 0 else ""),
                "",
            )
        )


def validate_snippet(
    code: str,
    language: str | Language,
    *,
    project_root: str | os.PathLike[str] | None = None,
    filename: str | None = None,
    checks: Collection[Check] | None = None,
    cache: ResultCache | None = None,
) -> ValidationReport:
    """Validate a piece of code that is not (yet) a file. Every line counts as new."""
    started = time.monotonic()
    lang = language if isinstance(language, Language) else parse_language(language)
    static = tuple(c for c in (checks or STATIC_CHECKS) if c is not Check.EXECUTION)
    if project_root is not None:
        root = Path(project_root).resolve()
        if not root.is_dir():
            raise InvalidTargetError(f"{project_root} is not a directory")
        context = scan_project(root, collect_files(root))
    else:
        root = None
        context = scan_project(Path.cwd() / ".claude-tui-snippet")
    display = filename or f"snippet{suffix_for(lang)}"
    content = code.encode("utf-8")
    changed = frozenset(range(1, code.count("\n") + 2))
    report = ValidationReport(root=str(root or ""), checks=static, files_checked=1)
    tools = toolchains.detect()
    key_checks = [c.value for c in static] + (tools.signature() if Check.SYNTAX in static else [])
    key = cache_key(display, content, context.digest(), key_checks, changed)
    hit = cache.get(key, display) if cache is not None else None
    if Check.SYNTAX in static:
        report.checkers = toolchains.ToolchainRun(tools).describe([display])
    if hit is not None:
        report.findings = hit
        report.files_from_cache = 1
    else:
        findings, failures = analyze_source(display, content, lang, context, static, changed, None)
        if Check.SYNTAX in static and lang in (Language.JAVASCRIPT, Language.GO):
            findings, report.checkers = _snippet_toolchain(display, content, lang, findings, tools)
        if lang is Language.PYTHON and Check.NAMES in static:
            try:
                findings += ruff_names.check_source(display, code)
            except ToolUnavailableError as exc:
                failures.append(CheckFailure(Check.NAMES, str(exc)))
        report.findings = findings
        report.failures = failures
        if cache is not None and not failures:
            cache.put(key, findings)
    report.sort()
    report.duration_seconds = time.monotonic() - started
    return report


def _snippet_toolchain(
    display: str,
    content: bytes,
    language: Language,
    findings: list[Finding],
    tools: toolchains.Toolchains,
) -> tuple[list[Finding], dict[str, str]]:
    """A snippet's syntax verdict from its toolchain, which reads it from a private temp dir."""
    with tempfile.TemporaryDirectory(prefix="claude-tui-snippet-") as tmp:
        file = Path(tmp, Path(display).name or f"snippet{suffix_for(language)}")
        file.write_bytes(content)
        run = toolchains.check_files(Path(tmp), {display: file}, tools)
        return run.merge(display, language, findings), run.describe([display])
