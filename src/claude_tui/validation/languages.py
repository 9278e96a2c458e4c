"""Which language a file is written in, from its name (and a shebang for scripts)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import PurePath


class Language(StrEnum):
    PYTHON = "python"
    JAVASCRIPT = "javascript"
    TYPESCRIPT = "typescript"
    TSX = "tsx"
    GO = "go"
    RUST = "rust"
    JAVA = "java"
    SHELL = "bash"


_BY_SUFFIX = {
    ".py": Language.PYTHON,
    ".pyi": Language.PYTHON,
    ".js": Language.JAVASCRIPT,
    ".mjs": Language.JAVASCRIPT,
    ".cjs": Language.JAVASCRIPT,
    ".jsx": Language.JAVASCRIPT,
    ".ts": Language.TYPESCRIPT,
    ".mts": Language.TYPESCRIPT,
    ".cts": Language.TYPESCRIPT,
    ".tsx": Language.TSX,
    ".go": Language.GO,
    ".rs": Language.RUST,
    ".java": Language.JAVA,
    ".sh": Language.SHELL,
    ".bash": Language.SHELL,
}

_ALIASES = {
    "py": Language.PYTHON,
    "python3": Language.PYTHON,
    "js": Language.JAVASCRIPT,
    "node": Language.JAVASCRIPT,
    "ts": Language.TYPESCRIPT,
    "golang": Language.GO,
    "rs": Language.RUST,
    "sh": Language.SHELL,
    "shell": Language.SHELL,
}


def language_of(path: str | PurePath, head: bytes = b"") -> Language | None:
    """The language of a file by suffix, or by a shebang line when it has no known suffix."""
    suffix = PurePath(path).suffix.lower()
    if suffix in _BY_SUFFIX:
        return _BY_SUFFIX[suffix]
    if suffix == "" and head.startswith(b"#!"):
        first = head.split(b"\n", 1)[0]
        if b"python" in first:
            return Language.PYTHON
        if b"node" in first:
            return Language.JAVASCRIPT
        if first.rstrip().endswith((b"/sh", b"/bash", b" sh", b" bash")):
            return Language.SHELL
    return None


def parse_language(name: str) -> Language:
    """A language from a user-supplied name (``python``, ``ts``, ``go``...)."""
    key = name.strip().lower()
    if key in _ALIASES:
        return _ALIASES[key]
    try:
        return Language(key)
    except ValueError:
        known = ", ".join(sorted({lang.value for lang in Language}))
        raise ValueError(f"unknown language {name!r}; known: {known}") from None


def suffix_for(language: Language) -> str:
    """A file suffix for a snippet of ``language``."""
    return {
        Language.PYTHON: ".py",
        Language.JAVASCRIPT: ".js",
        Language.TYPESCRIPT: ".ts",
        Language.TSX: ".tsx",
        Language.GO: ".go",
        Language.RUST: ".rs",
        Language.JAVA: ".java",
        Language.SHELL: ".sh",
    }[language]
