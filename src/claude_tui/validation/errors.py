"""Typed errors of the validation engine."""

from __future__ import annotations


class ValidationEngineError(Exception):
    """Base of the errors the engine raises on purpose; the message says what to do."""


class InvalidTargetError(ValidationEngineError):
    """The path, revision or snippet given cannot be validated."""


class GrammarUnavailableError(ValidationEngineError):
    """A tree-sitter grammar needed for a language is not installed."""


class ToolUnavailableError(ValidationEngineError):
    """An external tool the engine relies on (ruff, git) is missing or failed."""


class SandboxRequiredError(ValidationEngineError):
    """The project's code was to run, but the sandbox cannot start and nobody allowed less."""
