"""The anti-hallucination engine: catch incomplete, invented and unverified work.

A library, usable without the server. The checks:

- **syntax** — Python through ``ast``/``compile``; JavaScript, TypeScript, Go, Rust, Java and
  shell through tree-sitter (ERROR and MISSING nodes, with line and column);
- **placeholders** — stub bodies, elided-code comments, work markers added by a change,
  not-implemented throws/panics/macros, handlers that swallow every error; intentional hooks
  (abstract methods, ``Protocol`` members, ``@overload``, overridden base-class hooks) are at
  most ``low``;
- **imports** — imports that resolve neither in the project's environment, nor to its own
  modules, nor to a declared dependency (pyproject, requirements, package.json, go.mod);
- **names** — undefined names (ruff's F821/F822/F823) and names taken from imported modules
  that do not exist in them;
- **execution** — the project's tests in a bubblewrap sandbox, results from JUnit XML.

Public API (what an agent calls after every edit)::

    from claude_tui.validation import validate_path, validate_snippet, score_progress

    report = validate_snippet(code, "python", project_root=workspace)
    if report.at_or_above(Severity.MEDIUM) or not report.complete:
        ...  # send report.findings back to the model

    report = validate_path(workspace, changed_since="HEAD", execute=True)
    assessment = score_progress(ProgressClaim(files_done=("app.py",), tests_passing=12), report)

``validate_path(path, checks=, changed_since=, execute=, test_command=, limits=, cache=,
workers=, progress=)`` and ``validate_snippet(code, language, project_root=, filename=,
checks=, cache=)`` return a :class:`ValidationReport`: ``findings`` (each with check, rule,
severity, message, path, line, column and a stable fingerprint), ``failures`` (checks that
could not run; ``complete`` is False then and the result must not be read as clean) and
``execution``. ``to_sarif(report)`` renders SARIF 2.1.0; ``ResultCache.default(redis_url=)``
is the content-keyed cache (memory, disk, Redis). Errors the caller can act on are
:class:`ValidationEngineError` subclasses.
"""

from claude_tui.validation.cache import ResultCache
from claude_tui.validation.engine import STATIC_CHECKS, validate_path, validate_snippet
from claude_tui.validation.errors import (
    GrammarUnavailableError,
    InvalidTargetError,
    SandboxRequiredError,
    ToolUnavailableError,
    ValidationEngineError,
)
from claude_tui.validation.execution import ExecutionLimits
from claude_tui.validation.languages import Language
from claude_tui.validation.model import (
    ENGINE_VERSION,
    Check,
    CheckFailure,
    ExecutionResult,
    Finding,
    Severity,
    TestCounts,
    ValidationReport,
)
from claude_tui.validation.progress import ProgressAssessment, ProgressClaim, score_progress
from claude_tui.validation.sarif import to_sarif

__all__ = [
    "ENGINE_VERSION",
    "STATIC_CHECKS",
    "Check",
    "CheckFailure",
    "ExecutionLimits",
    "ExecutionResult",
    "Finding",
    "GrammarUnavailableError",
    "InvalidTargetError",
    "Language",
    "ProgressAssessment",
    "ProgressClaim",
    "ResultCache",
    "SandboxRequiredError",
    "Severity",
    "TestCounts",
    "ToolUnavailableError",
    "ValidationEngineError",
    "ValidationReport",
    "score_progress",
    "to_sarif",
    "validate_path",
    "validate_snippet",
]
