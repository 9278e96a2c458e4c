"""Tree-sitter parsers from the grammars bundled in tree-sitter-language-pack.

The pinned combination (tree-sitter 0.25.x, tree-sitter-language-pack 0.13.x) carries every
grammar inside the wheel: nothing is downloaded at run time. Parsers are not shared between
threads; each thread gets its own.
"""

from __future__ import annotations

import threading
from typing import Any

from claude_tui.validation.errors import GrammarUnavailableError
from claude_tui.validation.languages import Language
from claude_tui.validation.model import Check, Finding, Severity

_local = threading.local()


def parser_for(language: Language) -> Any:
    """A tree-sitter parser of ``language`` for the calling thread."""
    parsers: dict[Language, Any] | None = getattr(_local, "parsers", None)
    if parsers is None:
        parsers = {}
        _local.parsers = parsers
    parser = parsers.get(language)
    if parser is None:
        parser = _load(language)
        parsers[language] = parser
    return parser


def _load(language: Language) -> Any:
    try:
        from tree_sitter_language_pack import get_parser
    except ImportError as exc:  # the dependency is declared; a broken install says so
        raise GrammarUnavailableError(
            f"tree-sitter-language-pack is not importable ({exc}); "
            "reinstall claude-tui with its pinned dependencies"
        ) from exc
    try:
        return get_parser(language.value)
    except Exception as exc:  # the pack raises LookupError or its own error types
        raise GrammarUnavailableError(
            f"the {language.value} grammar is not bundled in the installed "
            f"tree-sitter-language-pack ({exc}); install the pinned version, "
            "which carries its grammars (no download at run time)"
        ) from exc


def parse(language: Language, source: bytes) -> Any:
    """The syntax tree of ``source``."""
    return parser_for(language).parse(source)


def in_change(first: Any, last: Any, changed_lines: frozenset[int] | None) -> bool:
    """Whether the lines from node ``first`` to node ``last`` touch the change (all: None)."""
    if changed_lines is None:
        return True
    start, end = first.start_point[0] + 1, last.end_point[0] + 1
    return any(line in changed_lines for line in range(start, end + 1))


def node_finding(
    path: str, lines: list[str], node: Any, rule: str, severity: Severity, message: str
) -> Finding:
    """A placeholder finding at ``node``, quoting its first line."""
    line = node.start_point[0] + 1
    text = lines[line - 1].strip() if line <= len(lines) else ""
    return Finding(
        Check.PLACEHOLDERS, rule, severity, message, path, line, node.start_point[1] + 1, text
    )
