"""Placeholders and stubs: the ways unfinished work is left behind, and the intentional ones.

Unfinished work: bodies that are only ``pass``/``...``/a not-implemented raise/a docstring,
a constant return next to an "implement" comment, comments standing in for elided code,
work markers added by a change, not-implemented throws/panics/macros, and handlers that
swallow every error. Intentional, never reported above ``low``: abstract methods,
``Protocol`` members, ``@overload`` signatures, stub files, exception classes, and hook
methods of a base class that its subclasses override.

The marker words are assembled from pieces so that this module does not itself read as
unfinished work to the tools that look for them.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from claude_tui.validation.languages import Language
from claude_tui.validation.model import Check, Finding, Severity

_TD = "TO" + "DO"
_FM = "FIX" + "ME"
_X3 = "X" * 3
_NIE = "NotImplemented" + "Error"

#: Work markers: upper-case words, or lower-case ones followed by a colon.
MARKER = re.compile(rf"\b({_TD}|{_FM}|{_X3})\b|\b({_TD.lower()}|{_FM.lower()})\s*:")

#: A comment that promises the implementation later.
IMPLEMENT_HINT = re.compile(
    rf"\b({_TD}|{_FM})\b|(?i:\b{_TD}\b|\bimplement(ation)?\b.*\b(here|later|me|this|missing)\b"
    r"|\bnot\s+(yet\s+)?implemented\b|\bimplement\s+me\b)"
)

#: The text of a "not implemented" throw, panic or error message.
NOT_IMPLEMENTED_TEXT = re.compile(
    rf"(?i)\bnot\s+(yet\s+)?implemented\b|\bunimplemented\b|\bimplement\s+me\b|\b{_TD}\b"
)

_TAIL = (
    r"(\s+(here|remains?(\s+the\s+same|\s+unchanged)?|is\s+(the\s+same|unchanged|omitted)"
    r"|unchanged|as\s+before|goes\s+here|stays\s+the\s+same|omitted))?"
)
_ELIDED = [
    r"(\.\.\.\s*)?(the\s+)?rest\s+of\s+(the\s+)?(code|implementation|function|method|file|class"
    r"|logic|module|component|body)" + _TAIL,
    r"(\.\.\.\s*)?(existing|previous|original|remaining|other|unchanged)\s+(code|implementation"
    r"|logic|methods|functions|imports|content)" + _TAIL + r"(\s*\.\.\.)?",
    r"(\.\.\.\s*)?(your|the|actual|real)\s+(code|implementation|logic)\s+(goes\s+)?here",
    r"implementation\s+(goes\s+)?here",
    r".*\bomitted\s+for\s+brevity\b.*",
    r"(add|insert|put|write)\s+(your\s+)?(code|implementation|logic)\s+here",
    r"(\.\.\.\s*)?(same|unchanged)\s+as\s+before(\s*\.\.\.)?",
]
#: A comment that stands in for code that was left out.
ELIDED_CODE = re.compile(r"(?i)(" + "|".join(_ELIDED) + r")[\s.!:;,)*/-]*")

_PREFILTER = re.compile(
    rf"{_TD}|{_FM}|{_X3}|(?i:rest\s+of|existing|previous|original|remaining|unchanged|here"
    rf"|brevity|before|implement|stub|{_TD})"
)


def comment_findings(
    path: str,
    comments: Iterable[tuple[int, int, str]],
    lines: list[str],
    changed_lines: frozenset[int] | None,
) -> list[Finding]:
    """Findings for comments ``(line, column, text)`` that elide code or mark unfinished work."""
    findings: list[Finding] = []
    for line, column, raw in comments:
        if changed_lines is not None and line not in changed_lines:
            continue
        text = _comment_body(raw)
        line_text = lines[line - 1].strip() if 0 < line <= len(lines) else raw.strip()
        if ELIDED_CODE.fullmatch(text):
            findings.append(
                Finding(
                    Check.PLACEHOLDERS,
                    "placeholder.elided-code",
                    Severity.HIGH,
                    f"comment stands in for code that was left out: {text!r}",
                    path,
                    line,
                    column,
                    line_text,
                )
            )
        elif MARKER.search(raw):
            added = changed_lines is not None
            findings.append(
                Finding(
                    Check.PLACEHOLDERS,
                    "placeholder.marker",
                    Severity.MEDIUM if added else Severity.LOW,
                    ("unfinished-work marker added by the change: " if added else "work marker: ")
                    + repr(text[:80]),
                    path,
                    line,
                    column,
                    line_text,
                )
            )
    return findings


def _comment_body(raw: str) -> str:
    text = raw.strip()
    for opener in ("///", "//!", "//", "/**", "/*", "#"):
        if text.startswith(opener):
            text = text[len(opener) :]
            break
    if text.endswith("*/"):
        text = text[:-2]
    return text.strip().strip("*").strip()


# --- Python ---------------------------------------------------------------------------------

_INTENTIONAL_DECORATORS = {
    "abstractmethod",
    "abstractproperty",
    "abstractclassmethod",
    "abstractstaticmethod",
    "overload",
}
_SWALLOW_ALL = {"Exception", "BaseException"}


def python_comments(
    source: str, lines: list[str] | None = None, string_lines: dict[int, int] | None = None
) -> list[tuple[int, int, str]]:
    """Comments of a Python source as ``(line, column, text)``, those that can matter only.

    With ``string_lines`` (from the syntax tree: where multi-line strings are) a per-line scan
    finds comments far faster than the tokenizer; without it (a file that does not parse)
    the tokenizer reads as far as it can.
    """
    if "#" not in source or not _PREFILTER.search(source):
        return []
    if string_lines is None:
        return _tokenized_comments(source)
    out: list[tuple[int, int, str]] = []
    for number, line in enumerate(lines if lines is not None else source.splitlines(), 1):
        if "#" not in line:
            continue
        start = string_lines.get(number, 0)
        if start < 0:
            continue
        column = _comment_column(line, start)
        if column >= 0 and _PREFILTER.search(line, column):
            out.append((number, column + 1, line[column:]))
    return out


def _comment_column(line: str, start: int) -> int:
    """Where the comment of a line starts, skipping ``#`` inside string literals; -1 if none."""
    quote = ""
    i = start
    length = len(line)
    while i < length:
        char = line[i]
        if quote:
            if char == "\\":
                i += 2
                continue
            if char == quote:
                quote = ""
        elif char in ("'", '"'):
            quote = char
        elif char == "#":
            return i
        i += 1
    return -1


def _tokenized_comments(source: str) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.COMMENT:
                out.append((tok.start[0], tok.start[1] + 1, tok.string))
    except (tokenize.TokenError, SyntaxError):
        return out
    return out


@dataclass(slots=True)
class _ClassInfo:
    abstract: bool
    protocol: bool
    overridden_by_subclasses: set[str]


def _name_of(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Call):
        return _name_of(node.func)
    if isinstance(node, ast.Subscript):
        return _name_of(node.value)
    return ""


def _stub_kind(body: list[ast.stmt]) -> str | None:
    rest = body
    documented = False
    if (
        rest
        and isinstance(rest[0], ast.Expr)
        and isinstance(rest[0].value, ast.Constant)
        and isinstance(rest[0].value.value, str)
    ):
        documented = True
        rest = rest[1:]
    if not rest:
        return "docstring-only" if documented else None
    if len(rest) != 1:
        return None
    stmt = rest[0]
    if isinstance(stmt, ast.Pass):
        return "pass"
    if (
        isinstance(stmt, ast.Expr)
        and isinstance(stmt.value, ast.Constant)
        and stmt.value.value is Ellipsis
    ):
        return "ellipsis"
    if isinstance(stmt, ast.Raise) and stmt.exc is not None and _name_of(stmt.exc) == _NIE:
        return "not-implemented"
    if isinstance(stmt, ast.Return) and (
        stmt.value is None
        or isinstance(stmt.value, ast.Constant)
        or (
            isinstance(stmt.value, ast.List | ast.Dict | ast.Tuple)
            and not _has_elements(stmt.value)
        )
    ):
        return "constant-return"
    return None


def _has_elements(node: ast.expr) -> bool:
    if isinstance(node, ast.Dict):
        return bool(node.keys)
    if isinstance(node, ast.List | ast.Tuple):
        return bool(node.elts)
    return True


_KIND_TEXT = {
    "pass": "only `pass`",
    "ellipsis": "only `...`",
    "not-implemented": "only a not-implemented raise",
    "docstring-only": "only a docstring",
    "constant-return": "a constant return next to an implement-later comment",
}


class _PythonStubs:
    def __init__(
        self,
        path: str,
        classes: list[ast.ClassDef],
        lines: list[str],
        comments: list[tuple[int, int, str]],
        changed_lines: frozenset[int] | None,
    ) -> None:
        self.path = path
        self.lines = lines
        self.hint_lines = {line for line, _, text in comments if IMPLEMENT_HINT.search(text)}
        self.changed = changed_lines
        self.stub_file = path.endswith(".pyi")
        parts = path.replace("\\", "/").split("/")
        name = parts[-1].lower()
        # Test modules define empty callables to pass around; stand-in modules are empty on
        # purpose. Their stubs are never "claimed done" code.
        self.stand_in_module = bool(
            _STAND_IN_PARTS & {part.lower() for part in parts[:-1]}
            or name.startswith(("test_", "conftest"))
            or name.endswith("_test.py")
        )
        self.findings: list[Finding] = []
        self.classes = self._index_classes(classes)

    @staticmethod
    def _index_classes(defs: list[ast.ClassDef]) -> dict[str, _ClassInfo]:
        infos: dict[str, _ClassInfo] = {}
        for cls in defs:
            bases = {_name_of(b) for b in cls.bases}
            meta = {_name_of(k.value) for k in cls.keywords if k.arg == "metaclass"}
            has_abstract = any(
                isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
                and any(_name_of(d).startswith("abstract") for d in item.decorator_list)
                for item in cls.body
            )
            infos[cls.name] = _ClassInfo(
                abstract="ABC" in bases or "ABCMeta" in meta or has_abstract,
                protocol=any(b.endswith("Protocol") for b in bases),
                overridden_by_subclasses=set(),
            )
        for cls in defs:
            methods = {
                item.name
                for item in cls.body
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
            }
            for base in cls.bases:
                info = infos.get(_name_of(base))
                if info is not None:
                    info.overridden_by_subclasses |= methods
        return infos

    def run(self, tree: ast.Module) -> list[Finding]:
        self._visit_body(tree.body, cls=None, guarded=False, nested=False)
        return self.findings

    def _visit_body(
        self, body: list[ast.stmt], cls: ast.ClassDef | None, guarded: bool, nested: bool
    ) -> None:
        for stmt in body:
            self._visit(stmt, cls, guarded, nested)

    def _visit(self, node: ast.stmt, cls: ast.ClassDef | None, guarded: bool, nested: bool) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            self._function(node, cls, guarded, nested)
            self._visit_body(node.body, cls=None, guarded=guarded, nested=True)
        elif isinstance(node, ast.ClassDef):
            self._visit_body(node.body, cls=node, guarded=guarded, nested=nested)
        elif isinstance(node, ast.If):
            type_checking = _name_of(node.test) == "TYPE_CHECKING"
            self._visit_body(node.body, cls, guarded=True, nested=nested or type_checking)
            self._visit_body(node.orelse, cls, guarded=True, nested=nested)
        elif isinstance(node, ast.Try | ast.TryStar):
            for handler in node.handlers:
                self._handler(handler)
                self._visit_body(handler.body, cls, guarded=True, nested=nested)
            for part in (node.body, node.orelse, node.finalbody):
                self._visit_body(part, cls, guarded=True, nested=nested)
        elif isinstance(node, ast.With | ast.AsyncWith | ast.For | ast.AsyncFor | ast.While):
            self._visit_body(node.body, cls, guarded=guarded, nested=nested)
            self._visit_body(getattr(node, "orelse", []), cls, guarded=guarded, nested=nested)
        elif isinstance(node, ast.Match):
            for case in node.cases:
                self._visit_body(case.body, cls, guarded=True, nested=nested)

    def _in_change(self, first: int, last: int) -> bool:
        if self.changed is None:
            return True
        return any(line in self.changed for line in range(first, last + 1))

    def _handler(self, handler: ast.ExceptHandler) -> None:
        caught = "" if handler.type is None else _name_of(handler.type)
        if handler.type is not None and caught not in _SWALLOW_ALL:
            return
        if not all(
            isinstance(s, ast.Pass)
            or (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))
            for s in handler.body
        ):
            return
        end = handler.end_lineno or handler.lineno
        if not self._in_change(handler.lineno, end):
            return
        what = "a bare `except:`" if handler.type is None else f"`except {caught}:`"
        self.findings.append(
            Finding(
                Check.PLACEHOLDERS,
                "placeholder.swallowed-error",
                Severity.MEDIUM,
                f"{what} whose body does nothing swallows every error",
                self.path,
                handler.lineno,
                handler.col_offset + 1,
                self._text(handler.lineno),
            )
        )

    def _function(
        self,
        node: ast.FunctionDef | ast.AsyncFunctionDef,
        cls: ast.ClassDef | None,
        guarded: bool,
        nested: bool,
    ) -> None:
        kind = _stub_kind(node.body)
        if kind is None or self.stub_file:
            return
        if any(_name_of(d) in _INTENTIONAL_DECORATORS for d in node.decorator_list):
            return
        info = self.classes.get(cls.name) if cls is not None else None
        if info is not None and info.protocol:
            return
        end = node.end_lineno or node.lineno
        if not self._in_change(node.lineno, end):
            return
        hinted = any(node.lineno <= line <= end for line in self.hint_lines)
        if kind == "constant-return" and not hinted:
            return
        name = node.name
        documented_noop = _documented_noop(node)
        if hinted:
            severity, rule = Severity.HIGH, "placeholder.stub-body"
        elif documented_noop:
            severity, rule = Severity.LOW, "placeholder.hook"
        elif info is not None:
            hook = info.abstract or name in info.overridden_by_subclasses
            severity, rule = (
                (Severity.LOW, "placeholder.hook")
                if hook
                else (Severity.MEDIUM, "placeholder.stub-body")
            )
        elif (
            guarded
            or nested
            or kind == "docstring-only"
            or name.startswith("_")
            or _looks_like_noop(name)
            or self.stand_in_module
        ):
            # Private helpers, documented no-ops, fallbacks and stand-in modules are often
            # empty on purpose; a public, unconditional, undocumented stub is not.
            severity, rule = Severity.MEDIUM, "placeholder.stub-body"
        else:
            severity, rule = Severity.HIGH, "placeholder.stub-body"
        where = f"method {cls.name}.{name}" if cls is not None else f"function {name}"
        note = ""
        if rule == "placeholder.hook":
            note = (
                " (documented as doing nothing)"
                if documented_noop
                else " (a hook its subclasses override)"
            )
        self.findings.append(
            Finding(
                Check.PLACEHOLDERS,
                rule,
                severity,
                f"{where} has {_KIND_TEXT[kind]}{note}",
                self.path,
                node.lineno,
                node.col_offset + 1,
                self._text(node.lineno),
            )
        )

    def _text(self, line: int) -> str:
        return self.lines[line - 1].strip() if 0 < line <= len(self.lines) else ""


_STAND_IN_PARTS = {
    "dummy",
    "dummies",
    "fake",
    "fakes",
    "mock",
    "mocks",
    "stubs",
    "testing",
    "test",
    "tests",
}
_NOOP_WORDS = re.compile(r"(^|_)(noop|nop|dummy|null|ignore|do_nothing|nothing|nolog|pass)(_|$)")


#: A docstring that says the body is empty on purpose.
_NOOP_DOC = re.compile(
    r"(?i)\b(nothing|no-op|noop|does not need|intentionally|on purpose|deliberately|"
    r"not needed|is ignored|are ignored|left empty|empty by design)\b"
)


def _documented_noop(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    doc = ast.get_docstring(node, clean=False)
    return bool(doc) and _NOOP_DOC.search(doc or "") is not None


def _looks_like_noop(name: str) -> bool:
    return _NOOP_WORDS.search(name.lower()) is not None


def check_python(
    path: str,
    tree: ast.Module | None,
    source: str,
    changed_lines: frozenset[int] | None,
    classes: list[ast.ClassDef] | None = None,
    string_lines: dict[int, int] | None = None,
) -> list[Finding]:
    """Placeholder findings of a Python file (its tree is None when it does not parse)."""
    lines = source.splitlines()
    if tree is not None and string_lines is None:
        from claude_tui.validation.pyindex import index_tree

        index = index_tree(tree)
        classes, string_lines = index.classes, index.string_lines
    comments = python_comments(source, lines, string_lines if tree is not None else None)
    findings = comment_findings(path, comments, lines, changed_lines)
    if tree is not None:
        stubs = _PythonStubs(path, classes or [], lines, comments, changed_lines)
        findings.extend(stubs.run(tree))
    return findings


# --- Other languages (tree-sitter) ----------------------------------------------------------

_FUNCTIONS = {
    Language.JAVASCRIPT: {
        "function_declaration",
        "function_expression",
        "function",
        "arrow_function",
        "method_definition",
        "generator_function_declaration",
    },
    Language.GO: {"function_declaration", "method_declaration", "func_literal"},
    Language.RUST: {"function_item"},
    Language.JAVA: {"method_declaration", "constructor_declaration"},
    Language.SHELL: {"function_definition"},
}
_FUNCTIONS[Language.TYPESCRIPT] = _FUNCTIONS[Language.JAVASCRIPT]
_FUNCTIONS[Language.TSX] = _FUNCTIONS[Language.JAVASCRIPT]
_COMMENTS = {"comment", "line_comment", "block_comment"}
_LITERALS = {
    "number",
    "string",
    "true",
    "false",
    "null",
    "undefined",
    "nil",
    "int_literal",
    "float_literal",
    "interpreted_string_literal",
    "raw_string_literal",
    "integer_literal",
    "string_literal",
    "boolean_literal",
    "null_literal",
    "decimal_integer_literal",
    "array",
    "object",
    "unit_expression",
    "template_string",
}
_NOT_IMPLEMENTED_MACROS = {"todo", "unimplemented"}


def check_tree(
    path: str,
    tree: Any,
    source: bytes,
    language: Language,
    changed_lines: frozenset[int] | None,
) -> list[Finding]:
    """Placeholder findings of a file parsed by tree-sitter."""
    lines = source.decode("utf-8", errors="replace").splitlines()
    comments: list[tuple[int, int, str]] = []
    findings: list[Finding] = []
    functions = _FUNCTIONS.get(language, set())

    def add(node: Any, rule: str, severity: Severity, message: str) -> None:
        first, last = node.start_point[0] + 1, node.end_point[0] + 1
        if changed_lines is not None and not any(
            line in changed_lines for line in range(first, last + 1)
        ):
            return
        findings.append(
            Finding(
                Check.PLACEHOLDERS,
                rule,
                severity,
                message,
                path,
                first,
                node.start_point[1] + 1,
                lines[first - 1].strip() if first <= len(lines) else "",
            )
        )

    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        kind = node.type
        if kind in _COMMENTS:
            comments.append((node.start_point[0] + 1, node.start_point[1] + 1, _text(node)))
            continue
        if kind in functions:
            _function_stub(node, add)
        elif kind == "throw_statement" or kind == "throw_expression":
            if NOT_IMPLEMENTED_TEXT.search(_text(node)):
                add(node, "placeholder.not-implemented", Severity.HIGH, "throws 'not implemented'")
        elif kind == "macro_invocation":
            macro = node.child_by_field_name("macro")
            if macro is not None and _text(macro) in _NOT_IMPLEMENTED_MACROS:
                add(
                    node,
                    "placeholder.not-implemented",
                    Severity.HIGH,
                    f"`{_text(macro)}!()` marks code that was never written",
                )
        elif kind == "call_expression" and language is Language.GO:
            callee = node.child_by_field_name("function")
            if (
                callee is not None
                and _text(callee) == "panic"
                and NOT_IMPLEMENTED_TEXT.search(_text(node))
            ):
                add(node, "placeholder.not-implemented", Severity.HIGH, "panics 'not implemented'")
        elif kind == "catch_clause":
            body = node.child_by_field_name("body") or _last_block(node)
            if body is not None and not body.named_children:
                add(
                    node,
                    "placeholder.swallowed-error",
                    Severity.MEDIUM,
                    "empty catch block swallows the error",
                )
        elif kind == "if_statement" and language is Language.GO:
            condition = node.child_by_field_name("condition")
            consequence = node.child_by_field_name("consequence")
            if (
                condition is not None
                and consequence is not None
                and re.fullmatch(r"\s*err\s*!=\s*nil\s*", _text(condition))
                and not consequence.named_children
            ):
                add(
                    node,
                    "placeholder.swallowed-error",
                    Severity.MEDIUM,
                    "empty `if err != nil {}` ignores the error",
                )
        stack.extend(reversed(node.children))
    comments.sort()
    findings.extend(comment_findings(path, comments, lines, changed_lines))
    findings.sort(key=lambda f: (f.line, f.column))
    return findings


def _function_stub(node: Any, add: Any) -> None:
    body = node.child_by_field_name("body")
    if body is None or body.type in {"expression", "number", "string"}:
        return
    children: list[Any] = []
    for child in body.named_children:
        # Go wraps the statements of a block in a statement_list node.
        children.extend(child.named_children if child.type == "statement_list" else [child])
    statements = [c for c in children if c.type not in _COMMENTS]
    hints = [c for c in children if c.type in _COMMENTS and IMPLEMENT_HINT.search(_text(c))]
    if not hints:
        return
    if not statements:
        add(
            node,
            "placeholder.stub-body",
            Severity.HIGH,
            "function body is only an implement-later comment",
        )
        return
    if len(statements) == 1 and statements[0].type in {"return_statement", "return_expression"}:
        values = [c for c in statements[0].named_children if c.type not in _COMMENTS]
        if not values or all(
            v.type in _LITERALS or (v.type == "expression_list" and _all_literal(v)) for v in values
        ):
            add(
                node,
                "placeholder.stub-body",
                Severity.HIGH,
                "function returns a constant next to an implement-later comment",
            )


def _all_literal(node: Any) -> bool:
    return all(c.type in _LITERALS for c in node.named_children)


def _last_block(node: Any) -> Any:
    for child in reversed(node.named_children):
        if child.type in {"block", "statement_block"}:
            return child
    return None


def _text(node: Any) -> str:
    data: bytes = node.text or b""
    return data.decode("utf-8", errors="replace")
