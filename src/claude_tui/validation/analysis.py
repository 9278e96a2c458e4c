"""The static checks of one file: syntax, placeholders, imports and module names.

Runs in worker processes; everything it needs arrives as arguments (picklable).
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from claude_tui.validation import (
    jsexports,
    lenient,
    placeholders,
    references,
    swallowed,
    syntax,
    treeshapes,
    treesitter,
)
from claude_tui.validation.errors import GrammarUnavailableError
from claude_tui.validation.languages import Language
from claude_tui.validation.model import Check, CheckFailure, Finding
from claude_tui.validation.project import ProjectContext
from claude_tui.validation.projectnames import FileFacts, collect_facts
from claude_tui.validation.pyindex import index_tree

_IMPORT_LANGUAGES = {Language.JAVASCRIPT, Language.TYPESCRIPT, Language.TSX, Language.GO}


def analyze_source(
    display_path: str,
    content: bytes,
    language: Language,
    context: ProjectContext,
    checks: Collection[Check],
    changed_lines: frozenset[int] | None = None,
    file_path: Path | None = None,
    facts: list[FileFacts] | None = None,
) -> tuple[list[Finding], list[CheckFailure]]:
    """Findings of the static checks on one file's content, and checks that could not run.

    ``facts``, when given, receives the file's summary for the project-wide checks.
    """
    if language is Language.PYTHON:
        found = _python(display_path, content, context, checks, changed_lines, file_path, facts)
        return found, []
    try:
        tree = treesitter.parse(language, content)
    except GrammarUnavailableError as exc:
        return [], [CheckFailure(Check.SYNTAX, str(exc), display_path)]
    findings: list[Finding] = []
    if Check.SYNTAX in checks:
        findings += syntax.check_tree(display_path, tree, content, language)
        findings += lenient.check_tree(display_path, tree, content, language)
    if Check.PLACEHOLDERS in checks:
        found = placeholders.check_tree(display_path, tree, content, language, changed_lines)
        # A comment the phrase list already reports as elided code is reported once.
        elided = {f.line for f in found if f.rule == treeshapes.ELIDED}
        found += [
            f
            for f in treeshapes.check_tree(display_path, tree, content, language, changed_lines)
            if not (f.rule == treeshapes.ELIDED and f.line in elided)
        ]
        findings += found
        findings += placeholders.down_rank(
            swallowed.check_tree(display_path, tree, content, language, changed_lines),
            display_path,
        )
    if Check.IMPORTS in checks and language in _IMPORT_LANGUAGES:
        findings += references.check_tree(display_path, tree, content, language, context, file_path)
    if Check.NAMES in checks:
        findings += jsexports.check_tree(display_path, tree, content, language, file_path)
    return findings, []


def _python(
    display_path: str,
    content: bytes,
    context: ProjectContext,
    checks: Collection[Check],
    changed_lines: frozenset[int] | None,
    file_path: Path | None,
    facts: list[FileFacts] | None,
) -> list[Finding]:
    source = content.decode("utf-8", errors="replace")
    tree, findings = syntax.check_python(display_path, source)
    if Check.SYNTAX not in checks:
        findings = []
    index = index_tree(tree) if tree is not None else None
    if Check.PLACEHOLDERS in checks:
        findings += placeholders.check_python(
            display_path,
            tree,
            source,
            changed_lines,
            index.classes if index is not None else None,
            index.string_lines if index is not None else None,
        )
    lines = source.splitlines()
    if tree is not None and (Check.IMPORTS in checks or Check.NAMES in checks):
        found = references.check_python(display_path, tree, lines, context, file_path, index)
        findings += [f for f in found if f.check in checks]
    if facts is not None and tree is not None and index is not None:
        facts.append(collect_facts(tree, index, source, lines))
    return findings
