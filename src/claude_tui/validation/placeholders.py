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
from dataclasses import dataclass, replace
from typing import Any

from claude_tui.validation.elision import find_elisions
from claude_tui.validation.fakes import find_fakes
from claude_tui.validation.languages import Language
from claude_tui.validation.model import Check, Finding, Severity
from claude_tui.validation.pyindex import walk
from claude_tui.validation.treesitter import in_change, node_finding

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
        if (
            ELIDED_CODE.fullmatch(text)
            and not _continues_prose(lines, line, line_text)
            and not _introduces(lines, line, text)
        ):
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


def _continues_prose(lines: list[str], line: int, line_text: str) -> bool:
    """Whether a whole-line comment continues the comment line above it (a paragraph)."""
    if line < 2 or line > len(lines):
        return False
    above = lines[line - 2].strip()
    return any(line_text.startswith(o) and above.startswith(o) for o in ("#", "//", "*"))


def _introduces(lines: list[str], line: int, text: str) -> bool:
    """Whether a comment heads what the next comment line holds: a quote or a source link.

    ``# Original implementation:`` above the old code, ``// original code`` above the URL
    it came from: the code is there, quoted or credited, not left out.
    """
    if line >= len(lines):
        return False
    below = lines[line].strip()
    if not below.startswith(("#", "//", "*")):
        return False
    return text.rstrip().endswith(":") or "://" in below


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
# Failures of storing or sending something: caught and ignored around such work, they are what
# the caller most needed to hear about.
_SWALLOW_IO = {*_SWALLOW_ALL, "OSError", "IOError", "EnvironmentError"}
# Calls that persist or transmit: the work a caller relies on having happened.
_DELIVERING_CALLS = {
    "write", "write_text", "write_bytes", "writelines", "dump", "save", "commit",
    "urlopen", "send", "sendall", "sendmail", "send_message", "post", "put", "patch",
    "upload", "upload_file", "publish", "request", "execute", "executemany",
}  # fmt: skip
_BEST_EFFORT_STATEMENTS = 2


def python_comments(
    source: str, lines: list[str] | None = None, string_lines: dict[int, int] | None = None
) -> list[tuple[int, int, str]]:
    """Comments of a Python source as ``(line, column, text)``.

    With ``string_lines`` (from the syntax tree: where multi-line strings are) a per-line scan
    finds comments far faster than the tokenizer; without it (a file that does not parse)
    the tokenizer reads as far as it can.
    """
    if "#" not in source:
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
        if column >= 0:
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
    bases: list[str]
    methods: set[str]


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


def _assigned_at_module_level(body: list[ast.stmt]) -> set[str]:
    """Names a module assigns with ``=`` outside functions and classes (branches included)."""
    names: set[str] = set()
    for stmt in body:
        if isinstance(stmt, ast.Assign):
            names.update(t.id for t in stmt.targets if isinstance(t, ast.Name))
        elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            if stmt.value is not None:
                names.add(stmt.target.id)
        elif isinstance(stmt, ast.If | ast.Try | ast.TryStar):
            parts = [stmt.body, stmt.orelse]
            if isinstance(stmt, ast.Try | ast.TryStar):
                parts += [h.body for h in stmt.handlers] + [stmt.finalbody]
            for part in parts:
                names |= _assigned_at_module_level(part)
    return names


def _checked_against_interface(body: list[ast.stmt], classes: dict[str, _ClassInfo]) -> set[str]:
    """Classes the module declares as implementing an interface: ``x: Proto = Cls(...)``.

    Such a class implements every method of the interface, those with nothing to do on its
    platform included.
    """
    found: set[str] = set()
    for stmt in body:
        if isinstance(stmt, ast.If):
            found |= _checked_against_interface(stmt.body, classes)
        elif (
            isinstance(stmt, ast.AnnAssign)
            and isinstance(stmt.value, ast.Call)
            and (name := _name_of(stmt.value.func)) in classes
            and _name_of(stmt.annotation) not in ("", name)
        ):
            found.add(name)
    return found


def _type_checking(test: ast.expr) -> bool | None:
    """True for ``if TYPE_CHECKING`` (alone or and-ed), False for ``if not TYPE_CHECKING``."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        inner = _type_checking(test.operand)
        return None if inner is None else not inner
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
        return True if any(_type_checking(v) for v in test.values) else None
    return True if _name_of(test) == "TYPE_CHECKING" else None


def _caught_names(node: ast.expr | None) -> set[str]:
    if node is None:
        return set()
    if isinstance(node, ast.Tuple):
        return {_name_of(e) for e in node.elts}
    return {_name_of(node)}


def _delivers(guarded: list[ast.stmt]) -> bool:
    """Whether the guarded block stores or sends something (an empty write is only a probe)."""
    for stmt in guarded:
        for node in walk(stmt):
            if not isinstance(node, ast.Call) or _name_of(node.func) not in _DELIVERING_CALLS:
                continue
            probe = len(node.args) == 1 and (
                isinstance(node.args[0], ast.Constant) and not node.args[0].value
            )
            if not probe:
                return True
    return False


_COLLECTING = {"append", "add", "extend", "insert", "update", "appendleft"}


def _collects_returned(
    guarded: list[ast.stmt], function: ast.FunctionDef | ast.AsyncFunctionDef
) -> bool:
    """Whether the guarded step puts its result into a local that the function returns."""
    last = guarded[-1]
    target: ast.expr | None = None
    if isinstance(last, ast.Expr) and isinstance(last.value, ast.Call):
        func = last.value.func
        if isinstance(func, ast.Attribute) and func.attr in _COLLECTING:
            target = func.value
    elif (
        isinstance(last, ast.Assign)
        and len(last.targets) == 1
        and isinstance(last.targets[0], ast.Subscript)
    ):
        target = last.targets[0].value
    if not isinstance(target, ast.Name):
        return False
    name = target.id
    return any(
        isinstance(node, ast.Return) and isinstance(node.value, ast.Name) and node.value.id == name
        for node in walk(function)
    )


def _answers_after(rest: list[ast.stmt]) -> bool:
    """Whether the code after the ``try`` returns a result, as if the guarded work succeeded."""
    for stmt in rest:
        if isinstance(stmt, ast.Return):
            value = stmt.value
            return value is not None and not (
                isinstance(value, ast.Constant) and value.value in (None, False)
            )
        if isinstance(stmt, ast.Raise):
            return False
    return False


def _is_constant_exit(node: ast.stmt) -> bool:
    """``pass``, ``break``, ``continue``, or a return of a constant: no work of its own."""
    if isinstance(node, ast.Pass | ast.Break | ast.Continue):
        return True
    return isinstance(node, ast.Return) and (
        node.value is None or isinstance(node.value, ast.Constant)
    )


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
        # A marker that asks a question ("should this be configurable?") promises nothing.
        self.hint_lines = {
            line
            for line, _, text in comments
            if IMPLEMENT_HINT.search(text) and not text.rstrip().endswith("?")
        }
        self.changed = changed_lines
        self.stub_file = path.endswith(".pyi")
        # Test modules define empty callables to pass around; stand-in modules are empty on
        # purpose. Their stubs are never "claimed done" code.
        self.stand_in_module = path_context(path) is not None
        self.findings: list[Finding] = []
        self.classes = self._index_classes(classes)
        self._typing_only = 0
        self._followed = False
        #: The statements after the one being visited, in its own block.
        self._rest: list[ast.stmt] = []
        self._loops = 0
        #: Every function and method, in the order they are visited.
        self.functions: list[ast.FunctionDef | ast.AsyncFunctionDef] = []
        self.rebound: set[str] = set()
        #: The function being visited, innermost.
        self._function_node: ast.FunctionDef | ast.AsyncFunctionDef | None = None
        self.conformant: set[str] = set()

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
                bases=sorted(b for b in bases if b and b != "object"),
                methods={
                    item.name
                    for item in cls.body
                    if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
                },
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
        self.rebound = _assigned_at_module_level(tree.body)
        self.conformant = _checked_against_interface(tree.body, self.classes)
        self._visit_body(tree.body, cls=None, guarded=False, nested=False)
        return self.findings

    def _visit_body(
        self, body: list[ast.stmt], cls: ast.ClassDef | None, guarded: bool, nested: bool
    ) -> None:
        for index, stmt in enumerate(body):
            self._followed = index < len(body) - 1
            self._rest = body[index + 1 :]
            self._visit(stmt, cls, guarded, nested)

    def _visit(self, node: ast.stmt, cls: ast.ClassDef | None, guarded: bool, nested: bool) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            self.functions.append(node)
            self._function(node, cls, guarded, nested)
            outer, self._function_node = self._function_node, node
            self._visit_body(node.body, cls=None, guarded=guarded, nested=True)
            self._function_node = outer
        elif isinstance(node, ast.ClassDef):
            self._visit_body(node.body, cls=node, guarded=guarded, nested=nested)
        elif isinstance(node, ast.If):
            checking = _type_checking(node.test)
            if checking is None:
                self._visit_body(node.body, cls, guarded=True, nested=nested)
                self._visit_body(node.orelse, cls, guarded=True, nested=nested)
                return
            # Under ``if TYPE_CHECKING:`` a ``...`` body declares a signature for the type
            # checker; the branch the interpreter runs is the other one.
            typed, run = (node.body, node.orelse) if checking else (node.orelse, node.body)
            self._typing_only += 1
            self._visit_body(typed, cls, guarded=True, nested=nested)
            self._typing_only -= 1
            self._visit_body(run, cls, guarded=True, nested=nested)
        elif isinstance(node, ast.Try | ast.TryStar):
            followed, rest = self._followed, self._rest
            for handler in node.handlers:
                # A ``try`` with an ``else:`` branch has weighed both outcomes on purpose.
                self._handler(
                    handler, node.body, followed, [] if node.orelse else rest, node.lineno
                )
                self._visit_body(handler.body, cls, guarded=True, nested=nested)
            for part in (node.body, node.orelse, node.finalbody):
                self._visit_body(part, cls, guarded=True, nested=nested)
        elif isinstance(node, ast.With | ast.AsyncWith):
            self._suppressed(node)
            self._visit_body(node.body, cls, guarded=guarded, nested=nested)
        elif isinstance(node, ast.For | ast.AsyncFor | ast.While):
            self._loops += 1
            self._visit_body(node.body, cls, guarded=guarded, nested=nested)
            self._loops -= 1
            self._visit_body(node.orelse, cls, guarded=guarded, nested=nested)
        elif isinstance(node, ast.Match):
            for case in node.cases:
                self._visit_body(case.body, cls, guarded=True, nested=nested)

    def _in_change(self, first: int, last: int) -> bool:
        if self.changed is None:
            return True
        return any(line in self.changed for line in range(first, last + 1))

    def _deliberate_swallow(self, guarded: list[ast.stmt], try_line: int) -> str:
        """Why ignoring every failure of ``guarded`` is by design, or "" when nothing says so."""
        function = self._function_node
        if function is None:
            return ""
        if _NOOP_METHODS.match(function.name):
            # Closing and shutting down go on past a failure: the caller is done with it.
            return " (best-effort cleanup)"
        last = guarded[-1]
        if isinstance(last, ast.Assign) and all(isinstance(t, ast.Name) for t in last.targets):
            names = {t.id for t in last.targets if isinstance(t, ast.Name)}
            for node in walk(function):
                if (
                    isinstance(node, ast.Assign)
                    and node.lineno < try_line
                    and names & {t.id for t in node.targets if isinstance(t, ast.Name)}
                ):
                    # A probe: success sets the result, a failure keeps the default set before.
                    return " (a probe: a failure keeps the default set before it)"
        return ""

    def _suppressed(self, node: ast.With | ast.AsyncWith) -> None:
        """``with contextlib.suppress(Exception):`` around storing or sending loses the failure."""
        for item in node.items:
            call = item.context_expr
            if not (isinstance(call, ast.Call) and _name_of(call.func) == "suppress"):
                continue
            caught = set().union(*(_caught_names(a) for a in call.args)) if call.args else set()
            if not caught & _SWALLOW_ALL or not _delivers(node.body):
                continue
            function = self._function_node
            if function is not None and _CLEANUP_METHODS.match(function.name):
                continue  # closing and shutting down go on past a failure by design
            end = node.end_lineno or node.lineno
            if not self._in_change(node.lineno, end):
                continue
            self.findings.append(
                Finding(
                    Check.PLACEHOLDERS,
                    "placeholder.swallowed-error",
                    Severity.MEDIUM,
                    f"`{ast.unparse(call)}` around storing or sending: the failure is lost "
                    "and the caller goes on as if it had worked",
                    self.path,
                    node.lineno,
                    node.col_offset + 1,
                    self._text(node.lineno),
                )
            )

    def _handler(
        self,
        handler: ast.ExceptHandler,
        guarded: list[ast.stmt],
        followed: bool,
        rest: list[ast.stmt],
        try_line: int,
    ) -> None:
        caught_names = _caught_names(handler.type)
        caught = "" if handler.type is None else ast.unparse(handler.type)
        swallows_all = handler.type is None or bool(caught_names & _SWALLOW_ALL)
        swallows_io = swallows_all or bool(caught_names & _SWALLOW_IO)
        if not swallows_io:
            return
        dropped = self._loops > 0 and any(isinstance(s, ast.Continue) for s in handler.body)
        if not all(
            isinstance(s, ast.Pass)
            or (dropped and isinstance(s, ast.Continue))
            or (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))
            for s in handler.body
        ):
            return
        # Storing or sending, then going on as if it had worked: an item dropped from a loop
        # without a trace, or a result returned as though it had been written or sent.
        delivers = _delivers(guarded)
        # Catching an interrupt or a closed pipe is the interactive user's way out, not a lost
        # failure.
        interactive = bool(caught_names & {"KeyboardInterrupt", "BrokenPipeError"})
        hides_failure = delivers and not interactive and (dropped or _answers_after(rest))
        if not swallows_all and not hides_failure:
            return
        # Every error of a loop's step caught and the step's result left out of a collection
        # the function returns: the caller gets a shorter answer that looks complete.
        partial = (
            swallows_all
            and not hides_failure
            and self._loops > 0
            and self._function_node is not None
            and _collects_returned(guarded, self._function_node)
        )
        if dropped and not hides_failure:
            return
        end = handler.end_lineno or handler.lineno
        if not self._in_change(handler.lineno, end):
            return
        what = "a bare `except:`" if handler.type is None else f"`except {caught}:`"
        # Around one operation (closing, flushing, a cache write) ignoring any failure is a
        # deliberate best effort; around a block of work it hides which part failed. A bare
        # ``except:`` also swallows KeyboardInterrupt and SystemExit, so it always counts.
        statements = sum(
            isinstance(n, ast.stmt) and not _is_constant_exit(n) for s in guarded for n in walk(s)
        )
        # A guarded ``return value`` with nothing after the try turns every failure into an
        # implicit ``None`` that the caller did not ask for.
        falls_off = not followed and any(
            isinstance(g, ast.Return) and g.value is not None for g in guarded
        )
        best_effort = (
            handler.type is not None
            and not falls_off
            and not hides_failure
            and sum(not _is_constant_exit(g) for g in guarded) == 1
            and statements <= _BEST_EFFORT_STATEMENTS
        )
        deliberate = "" if handler.type is None else self._deliberate_swallow(guarded, try_line)
        if best_effort and not deliberate:
            deliberate = " (around a single best-effort operation)"
        if hides_failure or partial:
            deliberate = ""
        if partial:
            self.findings.append(
                Finding(
                    Check.PLACEHOLDERS,
                    "placeholder.swallowed-error",
                    Severity.MEDIUM,
                    f"{what} inside a loop drops each failed item from the result the function "
                    "returns: the caller cannot tell a partial answer from a complete one",
                    self.path,
                    handler.lineno,
                    handler.col_offset + 1,
                    self._text(handler.lineno),
                )
            )
            return
        self.findings.append(
            Finding(
                Check.PLACEHOLDERS,
                "placeholder.swallowed-error",
                Severity.LOW if deliberate else Severity.MEDIUM,
                (
                    f"{what} around storing or sending carries on as if it had worked: "
                    + ("the item is dropped without a trace" if dropped else "the failure is lost")
                    if hides_failure
                    else f"{what} whose body does nothing swallows every error" + deliberate
                ),
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
        if kind is None or self.stub_file or self._typing_only:
            return
        if any(_name_of(d) in _INTENTIONAL_DECORATORS for d in node.decorator_list):
            return
        if cls is None and any(_name_of(d) in _GROUP_DECORATORS for d in node.decorator_list):
            # A command group or app callback: its subcommands are the work; an empty body
            # is how click and typer spell "nothing to do before them".
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
        intentional = "" if hinted else self._intentional(node, cls, info, kind, guarded, nested)
        if hinted:
            severity, rule = Severity.HIGH, "placeholder.stub-body"
        elif documented_noop or intentional:
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
            or self.stand_in_module
        ):
            # Private helpers, fallbacks and stand-in modules are often empty on purpose; a
            # public, unconditional, undocumented stub is not.
            severity, rule = Severity.MEDIUM, "placeholder.stub-body"
        else:
            severity, rule = Severity.HIGH, "placeholder.stub-body"
        where = f"method {cls.name}.{name}" if cls is not None else f"function {name}"
        note = ""
        if rule == "placeholder.hook":
            note = (
                " (documented as doing nothing)"
                if documented_noop
                else f" ({intentional})"
                if intentional
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

    def _intentional(
        self,
        node: ast.FunctionDef | ast.AsyncFunctionDef,
        cls: ast.ClassDef | None,
        info: _ClassInfo | None,
        kind: str,
        guarded: bool,
        nested: bool,
    ) -> str:
        """Why an empty body is deliberate, or "" when nothing says so."""
        name = node.name
        documented = ast.get_docstring(node) is not None
        if _looks_like_noop(name):
            return "named as a no-op"
        declared = [
            _name_of(d)
            for d in node.decorator_list
            if _name_of(d) not in _PLAIN_DECORATORS and _name_of(d) not in _ENDPOINT_DECORATORS
        ]
        if declared:
            return f"a declaration that @{declared[0]} gives its meaning"
        if cls is None:
            if guarded and nested:
                return "a fallback callback defined in place"
            if name in self.rebound or "empty-body" in self._text(node.lineno):
                return "a typed declaration; the module binds the name to the implementation"
            return "a documented private helper" if documented and name.startswith("_") else ""
        if name.startswith("__") and name.endswith("__"):
            return "a protocol method that has nothing to do"
        if kind == "not-implemented":
            return "the abstract-method idiom: subclasses define it"
        if _NOOP_METHODS.match(name):
            return "a lifecycle method that has nothing to do here"
        if _NULL_CLASS.search(cls.name):
            return "a null object"
        if cls.name in self.conformant:
            return "a method of the interface the module checks the class against"
        if documented and (name.startswith("_") or _HOOK_DOC.search(ast.get_docstring(node) or "")):
            return "a documented hook"
        if info is not None and self._may_override(info, name):
            return "an override of a method of its base class"
        return ""

    def _may_override(self, info: _ClassInfo, name: str, depth: int = 0) -> bool:
        """Whether a base class may define ``name``: unknown bases might; known ones are read."""
        for base in info.bases:
            known = self.classes.get(base)
            if known is None or depth > 20:
                return True
            if name in known.methods or self._may_override(known, name, depth + 1):
                return True
        return False


#: Directories and modules whose code is test support: doubles and stubs belong there.
_TEST_PARTS = {
    "test", "tests", "testing", "fixtures", "fake", "fakes", "mock", "mocks", "stubs", "dummy",
    "dummies", "conftest", "test_utils", "testutils", "testdata", "benchmarks", "benchmark",
    "bench",
}  # fmt: skip
#: Directories of example and documentation code, which shows the shape of real code.
_EXAMPLE_PARTS = {"examples", "example", "docs", "doc", "demo", "demos", "samples", "tutorial"}


def path_context(path: str) -> str | None:
    """``"tests"`` or ``"examples"`` when the file is test support or example code, else None."""
    parts = [part.lower() for part in path.replace("\\", "/").split("/")]
    name = parts[-1]
    stem = name.rsplit(".", 1)[0]
    if (
        _TEST_PARTS & set(parts[:-1])
        or stem in _TEST_PARTS
        or name.startswith("test_")
        or stem.endswith("_test")
    ):
        return "tests"
    if _EXAMPLE_PARTS & set(parts[:-1]):
        return "examples"
    return None


def down_rank(findings: list[Finding], path: str) -> list[Finding]:
    """Findings of test support and examples, where stand-ins are normal: at most ``low``."""
    if path_context(path) is None:
        return findings
    return [
        replace(f, severity=Severity.LOW) if f.severity.at_least(Severity.MEDIUM) else f
        for f in findings
    ]


#: Decorators that change how a function is called but give an empty body no meaning.
_PLAIN_DECORATORS = {
    "staticmethod", "classmethod", "property", "cached_property", "cache", "lru_cache",
    "wraps", "setter", "getter", "deleter", "final", "override", "contextmanager",
    "asynccontextmanager",
}  # fmt: skip
#: Decorators of endpoints, commands and tasks: the body is the work, so it must be there.
_ENDPOINT_DECORATORS = {
    "get", "post", "put", "patch", "delete", "head", "options", "route", "api_route",
    "websocket", "command", "task", "shared_task", "job", "handler", "on_event", "listener",
    "exception_handler", "middleware", "fixture",
}  # fmt: skip
#: Decorators that make a function a command group or an app callback (click, typer).
_GROUP_DECORATORS = {"group", "callback", "result_callback"}
#: Methods that objects commonly implement as no-ops: closing, flushing, resetting.
#: Methods that end something: going on past a failure there is the design.
_CLEANUP_METHODS = re.compile(
    r"^_?a?(close|flush|reset|cancel|stop|shutdown|cleanup|clean_up|teardown|tear_down|dispose"
    r"|disconnect|release)(_|$)"
)
_NOOP_METHODS = re.compile(
    r"^_?a?(close|flush|reset|cancel|stop|shutdown|cleanup|clean_up|teardown|tear_down|dispose"
    r"|disconnect|release|emit|write|writelines)$"
    r"|^_?(on|pre|post|before|after)_|_hook$"
)
#: Class names that say every method does nothing on purpose.
_NULL_CLASS = re.compile(r"(?i)null|noop|no_op|headless|silent|discard|nop(?![a-z])")
#: A docstring that describes a hook: when it is called, what overriding it does.
_HOOK_DOC = re.compile(
    r"(?i)\b(override|overrid\w*|subclass\w*|hook|called\s+(when|before|after|by|on|once|prior"
    r"|if|with)|by\s+default|default\s+implementation|implement\s+this|null-?op|no-?op)\b"
)
_NOOP_WORDS = re.compile(r"(^|_)(noop|nop|dummy|null|ignore|do_nothing|nothing|nolog|pass)(_|$)")


#: A docstring that says the body is empty on purpose.
_NOOP_DOC = re.compile(
    r"(?i)\b(nothing|no-op|noop|does not need|intentionally|on purpose|deliberately|"
    r"not needed|is ignored|are ignored|ignores|left empty|empty by design)\b"
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
        if not path.endswith(".pyi"):
            findings.extend(
                _shapes(path, tree, lines, comments, changed_lines, findings, stubs.functions)
            )
    return down_rank(findings, path)


def _shapes(
    path: str,
    tree: ast.Module,
    lines: list[str],
    comments: list[tuple[int, int, str]],
    changed_lines: frozenset[int] | None,
    found: list[Finding],
    functions: list[ast.FunctionDef | ast.AsyncFunctionDef],
) -> list[Finding]:
    """Elided code recognised by its place, and fake implementations."""

    def changed(first: int, last: int) -> bool:
        return changed_lines is None or any(n in changed_lines for n in range(first, last + 1))

    def text(line: int) -> str:
        return lines[line - 1].strip() if 0 < line <= len(lines) else ""

    body_of = {line: _comment_body(raw) for line, _, raw in comments}
    elided = {f.line for f in found if f.rule == "placeholder.elided-code"}
    out: list[Finding] = []
    for item in find_elisions(tree, lines, comments, body_of):
        if item.line in elided or not changed(item.line, item.line):
            continue
        out.append(
            Finding(
                Check.PLACEHOLDERS,
                "placeholder.elided-code",
                Severity.HIGH,
                f"comment at {item.position} stands in for code that was left out: {item.text!r}",
                path,
                item.line,
                item.column,
                text(item.line),
            )
        )
    module = path.replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    for fake in find_fakes(tree, body_of, functions, lines, module):
        if not changed(*fake.span):
            continue
        out.append(
            Finding(
                Check.PLACEHOLDERS,
                fake.rule,
                Severity.HIGH if fake.high else Severity.LOW,
                fake.message,
                path,
                fake.line,
                fake.column,
                text(fake.line),
            )
        )
    return out


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
#: ``/* eslint no-empty: 0 */`` or ``// eslint-disable-next-line no-empty``.
_ESLINT_NO_EMPTY_OFF = re.compile(
    rb"eslint(-disable(-next-line|-line)?\s+[\w/@, -]*no-empty\b|\s+no-empty\s*:\s*(0|\"?off))"
)


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
        if in_change(node, node, changed_lines):
            findings.append(node_finding(path, lines, node, rule, severity, message))

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
        stack.extend(reversed(node.children))
    comments.sort()
    findings.extend(comment_findings(path, comments, lines, changed_lines))
    findings.sort(key=lambda f: (f.line, f.column))
    return down_rank(findings, path)


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
