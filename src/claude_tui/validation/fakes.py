"""Fake implementations that pose as real ones, in Python.

Three shapes: a function that returns canned data under a comment admitting it ("mock
data", "simulate", "in a real implementation this would call ...", "for now"); a function
that only logs and reports success; and a ``Mock``/``Fake``/``Dummy``/``Stub`` class that
application code instantiates. A test module, a fixture or an example is where such code
belongs, so the caller down-ranks findings there.
"""

from __future__ import annotations

import ast
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

from claude_tui.validation.elision import continues_paragraph, in_paragraph
from claude_tui.validation.pyindex import child_nodes, walk

#: A comment that admits the code around it is not the real thing.
ADMITS_FAKE = re.compile(
    r"(?i)\bmock(ed)?\s+(\w+\s+)?(data|values?|responses?|results?|records?|implementation"
    r"|checks?|users?|tokens?|payments?)\b|\bsimulat(e|ed|ing)\b"
    r"|\bhard-?coded\s+(for\s+now|until|data|values?|responses?|results?|rates?)\b"
    r"|\b(return|returns|returning|using)\s+(a\s+|the\s+)?hard-?coded\b"
    r"|\b(fake|dummy|static|canned|stub(bed)?)\s+(data|values?|rates?|responses?|results?"
    r"|records?|users?|entries|items|implementation|numbers?|content|tokens?|payments?)\b"
    r"|^\s*placeholder\b|\bplaceholder\s+(data|values?|implementation|responses?|results?"
    r"|logic|code|until|for\s+now)\b|\b(as|is|just)\s+a\s+placeholder\b"
    r"|\bin\s+a\s+real\s+(implementation|app|application|system|world|scenario|deployment"
    r"|environment|project|service)\b|\bin\s+production\b.*\bwould\b"
    r"|\b(this|that|it|we|here\s+we)\s+would\s+(normally\s+|actually\s+|then\s+)?"
    r"(call|query|send|fetch|use|hit|post|contact|connect|invoke|charge|upload|request|load"
    r"|look\s+up|verify|make\s+(an?\s+)?(api|http|network|request|call))\b"
    r"|^\s*would\s+(call|query|send|fetch|use|hit|post|contact|connect|invoke|load)\b"
    r"|\bwould\s+go\s+here\b|\bfor\s+demo(nstration)?\s+purposes\b"
    r"|\bomitted\s+for\s+brevity\b"
    r"|\bsample\s+(data|response|result)s?\b"
    r"|\bskip(ping)?\b.*\bfor\s+now\b|\binstead\s+of\s+(the\s+|a\s+)?(real|actual|trained|live)\b"
    r"|\b(call|request|query|lookup|upload|integration|logic)\b.*\bgoes\s+here\b"
)

#: A comment that says the code is temporary; it admits fakery only above a canned return.
TEMPORARY = re.compile(
    r"(?i)\bfor\s+now\b|\bin\s+the\s+meantime\b|\bpretend"
    r"|\b(TO" + r"DO|FIX" + r"ME)\b[:\s]*(fetch|integrate|call|implement|replace|connect|wire"
    r"|hook\s+up|use|load|query|persist|save|send)\b"
    r"|\buntil\s+(\w+\s+){1,4}(is|are|gets?|has\s+been|have\s+been)\s+(implemented|wired(\s+up)?"
    r"|hooked\s+up|in\s+place|integrated|connected|built|added|supported|available)\b"
)

#: A cheap first look: a comment without any of these words admits nothing.
_WORDS = (
    "mock", "simulat", "coded", "fake", "dummy", "static", "canned", "stub", "placeholder",
    "real", "production", "would", "demo", "brevity", "sample", "skip", "instead", "here",
    "now", "meantime", "pretend", "to" + "do", "fix" + "me", "until",
)  # fmt: skip

#: A comment that quotes code (``__path__``, ``f()``, ``a -> b``) talks about the code.
_QUOTES_CODE = re.compile(r"__\w+__|->|\(\)|`|\s==\s")

#: Method names a logger answers to.
_LOG_METHODS = {"debug", "info", "warning", "warn", "error", "exception", "critical", "log"}
#: Calls that compute a value without acting on the world.
_PURE_CALLS = {
    "len", "str", "int", "float", "bool", "dict", "list", "set", "tuple", "frozenset",
    "sorted", "reversed", "sum", "min", "max", "round", "abs", "enumerate", "zip", "range",
    "isinstance", "getattr", "hasattr", "repr", "format", "join", "strip", "lower", "upper",
    "replace", "split", "get", "items", "keys", "values", "copy", "encode", "decode",
    "hexdigest", "hex", "isoformat", "strftime", "now", "utcnow", "time", "monotonic",
    "uuid4", "Decimal", "quantize", "dumps", "startswith", "endswith",
}  # fmt: skip
_PURE_PREFIXES = (
    "build", "make", "format", "render", "compose", "prepare", "serialize", "to_", "as_",
    "normalize", "parse", "_",
)  # fmt: skip
#: Verbs of functions that promise to act: sending, storing, syncing.
_ACTION = re.compile(
    r"^_?(send|push|pull|sync|upload|index|delete|remove|persist|save|store|publish|notify"
    r"|charge|refund|process|create|update|write|post|submit|dispatch|enqueue|deploy|register"
    r"|import|export|transfer|pay|email|sms|deliver|archive|backup|restore|provision|execute)"
)
#: A class name that says the class is a stand-in.
TEST_DOUBLE_NAME = re.compile(r"^(Mock|Fake|Dummy|Stub)(?=[A-Z_0-9]|$)")
#: A module whose name says it holds stand-ins on purpose.
TEST_DOUBLE_MODULE = re.compile(r"(?i)(^|_)(mocks?|fakes?|dummy|dummies|stubs?)(_|$)")
#: A class docstring that says why a stand-in-named class is real code.
_DELIBERATE_DOUBLE = re.compile(
    r"(?i)\b(wraps?|adapts?|adapter|mimic|emulat\w*|for\s+tests?|for\s+testing|in\s+tests"
    r"|test\s+doubles?|testing|use\s+in\s+tests|no-?op|null|disabled)\b"
)


@dataclass(frozen=True, slots=True)
class Fake:
    rule: str
    high: bool
    message: str
    line: int
    column: int
    #: The lines of the function or class, to tell whether a change touched it.
    span: tuple[int, int]


def find_fakes(
    tree: ast.Module,
    comments: dict[int, str],
    functions: list[ast.FunctionDef | ast.AsyncFunctionDef],
    lines: list[str],
    module: str,
) -> list[Fake]:
    """Fake implementations; ``comments`` maps line -> comment text."""
    admitted: dict[int, tuple[str, bool]] = {}
    for line, text in comments.items():
        lowered = text.lower()
        if not any(word in lowered for word in _WORDS) or _QUOTES_CODE.search(text):
            continue
        strong = ADMITS_FAKE.search(text) is not None
        # A question ("save error info here?") wonders; it does not admit anything.
        if not strong and (TEMPORARY.search(text) is None or "?" in text):
            continue
        # In a paragraph of prose only its first line says what the code is; "for now"
        # inside prose explains a limitation, while on its own line above a canned return
        # it admits one.
        if continues_paragraph(lines, line) or (not strong and in_paragraph(lines, line)):
            continue
        admitted[line] = (text, strong)
    marked = sorted(admitted)
    found: list[Fake] = []
    for node in functions:
        fake = None
        end = node.end_lineno or node.lineno
        first = bisect_left(marked, node.lineno)
        if first < len(marked) and marked[first] <= end:
            fake = _admitted_fake(node, admitted, marked[first : bisect_right(marked, end)])
        if fake is None and _ACTION.match(node.name):
            fake = _log_only(node)
        if fake is None:
            fake = _excused_canned(node, comments, lines)
        if fake is not None:
            found.append(fake)
    found.extend(_test_doubles(tree, module))
    return found


def _statements(node: ast.AST) -> Iterator[ast.stmt]:
    """Statements of a function in source order, without descending into nested scopes."""
    for child in child_nodes(node):
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
            continue
        if isinstance(child, ast.stmt):
            yield child
        if isinstance(child, ast.stmt | ast.excepthandler | ast.match_case):
            yield from _statements(child)


def _admitted_fake(
    node: ast.FunctionDef | ast.AsyncFunctionDef,
    admitted: dict[int, tuple[str, bool]],
    marked: list[int],
) -> Fake | None:
    # An initialiser sets placeholder values on purpose; a generator's output is a stream.
    if not node.body or node.name == "__init__" or _generator(node):
        return None
    end = node.end_lineno or node.lineno
    body = sorted(_statements(node), key=lambda s: s.lineno)
    for line in marked:
        text, strong = admitted[line]
        following = [s for s in body if s.lineno >= line][:4]
        if strong:
            # The admission sits right above made-up data: an assignment or a write of
            # literals, or a return of them a few statements on.
            first = following[0] if following else None
            hit = (
                isinstance(first, ast.Assign | ast.AnnAssign | ast.Expr) and _canned(first.value)
            ) or any(isinstance(s, ast.Return) and _canned(s.value) for s in following)
        else:
            returns = [s for s in following[:2] if isinstance(s, ast.Return)]
            hit = bool(returns) and returns[0].value is not None and _canned(returns[0].value)
        if hit:
            return Fake(
                "placeholder.fake-implementation",
                True,
                f"{_what(node)} returns made-up results: {text[:80]!r}",
                line,
                1 + (node.body[0].col_offset),
                (node.lineno, end),
            )
    return None


#: A comment that says the state of things is provisional, whatever it goes on to say.
PROVISIONAL = re.compile(
    r"(?i)\b(yet|later|until|meantime|interim|stop-?gap|stand-?ins?|as\s+if|pretend\w*"
    r"|for\s+the\s+moment|temporar\w*|eventually|(not|isn't|aren't)\s+(wired|hooked|connected"
    r"|implemented|available|live|ready|set\s+up|in\s+place))\b"
)


def _excused_canned(
    node: ast.FunctionDef | ast.AsyncFunctionDef, comments: dict[int, str], lines: list[str]
) -> Fake | None:
    """A body that ignores its inputs and returns made-up data under a comment explaining why.

    The explanation may use any words: a function that takes arguments, only logs or
    checks them, and answers with literals right under a paragraph of comment is a stand-in.
    A method, or a function without arguments, may well return a constant on purpose; there
    the comment must also say the state of things is provisional.
    """
    if node.decorator_list or node.name.startswith("__") or _generator(node):
        return None
    body = list(node.body)
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    if not body or not isinstance(body[-1], ast.Return) or not _substantial(body[-1].value):
        return None
    args = node.args
    params = [a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)]
    method = bool(params) and params[0] in ("self", "cls")
    inputs = set(params[1:] if method else params)
    # Without words that say it is provisional, a dropped call on an argument may be the
    # work itself (``shutil.copy(path, target)``); with them, it reads as a check.
    worded = method or not inputs
    if not all(_inert(stmt, inputs, checks=worded) for stmt in body[:-1]):
        return None
    start = body[0].lineno
    returned = body[-1]
    # The paragraph sits in the body, above the answer, with nothing but inert code between.
    block = [n for n in range(node.lineno + 1, returned.lineno) if n in comments]
    block = [n for n in block if n >= start or _comment_only(lines, n)]
    if len(block) < 2 or sum(len(comments[n].split()) for n in block) < 10:
        return None
    text = " ".join(comments[n] for n in block)
    if worded and PROVISIONAL.search(text) is None:
        return None
    return Fake(
        "placeholder.fake-implementation",
        True,
        f"{_what(node)} ignores its inputs and returns made-up results: {text[:80]!r}",
        returned.lineno,
        returned.col_offset + 1,
        (node.lineno, node.end_lineno or node.lineno),
    )


def _comment_only(lines: list[str], line: int) -> bool:
    return 0 < line <= len(lines) and lines[line - 1].lstrip().startswith("#")


def _substantial(value: ast.expr | None) -> bool:
    """Made-up data, not a neutral answer (``None``, ``False``, ``0``, ``""``, ``[]``)."""
    if value is None or not _canned(value):
        return False
    if isinstance(value, ast.Constant):
        return isinstance(value.value, str) and bool(value.value.strip())
    if isinstance(value, ast.List | ast.Tuple | ast.Set | ast.Dict):
        return _elements(value)
    return True


def _inert(stmt: ast.stmt, inputs: set[str], *, checks: bool) -> bool:
    """A statement that does no work with the inputs: a log line, a check, a flag set on one."""
    if isinstance(stmt, ast.Expr):
        value = stmt.value
        if _is_log_call(value) or isinstance(value, ast.Constant):
            return True
        # ``ipaddress.ip_address(address)``: a check of an argument, its result dropped.
        return (
            checks
            and isinstance(value, ast.Call)
            and not _ACTION.match(_call_name(value.func))
            and not value.keywords
            and len(value.args) == 1
            and _root(value.func) not in ("self", "cls", *inputs)
            and all(isinstance(a, ast.Name) and a.id in inputs for a in value.args)
        )
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
        target = stmt.targets[0]
        return (
            isinstance(target, ast.Attribute)
            and _root(target) in inputs
            and (isinstance(stmt.value, ast.Constant) or _simple(stmt.value))
            and not any(isinstance(n, ast.Name) and n.id in inputs for n in walk(stmt.value))
        )
    return False


def _generator(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    return any(isinstance(s, ast.Yield | ast.YieldFrom) for s in _expressions(node))


def _expressions(node: ast.AST) -> Iterator[ast.AST]:
    for child in child_nodes(node):
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
            continue
        yield child
        yield from _expressions(child)


def _what(node: ast.FunctionDef | ast.AsyncFunctionDef) -> str:
    return f"function {node.name}"


def _simple(node: ast.expr) -> bool:
    if isinstance(node, ast.Name | ast.Constant):
        return True
    if isinstance(node, ast.Attribute):
        return _simple(node.value)
    if isinstance(node, ast.Subscript):
        return _simple(node.value) and (isinstance(node.slice, ast.Slice) or _simple(node.slice))
    if isinstance(node, ast.Starred):
        return _simple(node.value)
    return False


#: Expressions that compute from data rather than spell it out.
_WORK_EXPRESSIONS = (
    ast.Await, ast.ListComp, ast.DictComp, ast.SetComp, ast.GeneratorExp, ast.Lambda, ast.IfExp,
    ast.NamedExpr, ast.Compare, ast.BoolOp,
)  # fmt: skip


def _canned(node: ast.expr | None) -> bool:
    """A value made of literals (and the arguments it was given), not of work."""
    if node is None:
        return False
    literal = False
    for sub in walk(node):
        if (isinstance(sub, ast.Constant) and sub.value is not None) or (
            isinstance(sub, ast.List | ast.Tuple | ast.Set | ast.Dict) and not _elements(sub)
        ):
            literal = True
        elif isinstance(sub, ast.Call):
            name = _call_name(sub.func)
            if not (name[:1].isupper() or name in _PURE_CALLS or _writes_literals(sub)):
                return False
        elif isinstance(sub, _WORK_EXPRESSIONS):
            return False
    return literal


def _writes_literals(call: ast.Call) -> bool:
    """A write of constant data: ``buffer.write(b"...")``."""
    return (
        _call_name(call.func) in {"write", "writelines", "append", "extend"}
        and bool(call.args)
        and all(isinstance(a, ast.Constant | ast.JoinedStr) for a in call.args)
    )


def _elements(node: ast.List | ast.Tuple | ast.Set | ast.Dict) -> bool:
    return bool(node.keys if isinstance(node, ast.Dict) else node.elts)


def _call_name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _root(node: ast.expr) -> str:
    while isinstance(node, ast.Attribute | ast.Subscript):
        node = node.value
    return node.id if isinstance(node, ast.Name) else ""


def _is_log_call(node: ast.expr) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    if isinstance(func, ast.Name):
        return func.id == "print"
    if isinstance(func, ast.Attribute) and func.attr in _LOG_METHODS:
        target = func.value
        name = target.attr if isinstance(target, ast.Attribute) else _root(target)
        return "log" in name.lower()
    return False


def _acts(node: ast.expr, params: set[str]) -> bool:
    """Whether evaluating ``node`` may act on the world (a call that is not plainly pure)."""
    for sub in walk(node):
        if isinstance(sub, ast.Await | ast.Yield | ast.YieldFrom):
            return True
        if isinstance(sub, ast.Call) and not _is_log_call(sub):
            name = _call_name(sub.func)
            if not (name in _PURE_CALLS or name[:1].isupper() or name.startswith(_PURE_PREFIXES)):
                return True
    return False


def _log_only(node: ast.FunctionDef | ast.AsyncFunctionDef) -> Fake | None:
    """A function that logs, changes nothing, and reports success."""
    if node.name.startswith("__"):
        return None
    args = node.args
    params = {a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)}
    local: set[str] = set()
    logs = 0
    returns: list[ast.Return] = []
    for stmt in _statements(node):
        if isinstance(stmt, ast.Expr):
            if _is_log_call(stmt.value):
                logs += 1
            elif not (isinstance(stmt.value, ast.Constant)):
                return None
        elif isinstance(stmt, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            for target in targets:
                root = _root(target)
                if not isinstance(target, ast.Name | ast.Tuple) and root not in local:
                    return None
                for sub in walk(target):
                    if isinstance(sub, ast.Name):
                        local.add(sub.id)
            if stmt.value is not None and _acts(stmt.value, params):
                return None
        elif isinstance(stmt, ast.Return):
            if stmt.value is not None and _acts(stmt.value, params):
                return None
            returns.append(stmt)
        elif isinstance(stmt, ast.If | ast.For | ast.While):
            test = stmt.test if isinstance(stmt, ast.If | ast.While) else stmt.iter
            if _acts(test, params):
                return None
            if isinstance(stmt, ast.For):
                local.update(n.id for n in walk(stmt.target) if isinstance(n, ast.Name))
        elif not isinstance(stmt, ast.Pass | ast.Raise | ast.Continue | ast.Break):
            return None
    if not logs or not returns or not _ACTION.match(node.name):
        return None
    final = returns[-1].value
    if not _success(final):
        return None
    return Fake(
        "placeholder.fake-implementation",
        True,
        f"{_what(node)} only logs and reports success; nothing is done",
        node.lineno,
        node.col_offset + 1,
        (node.lineno, node.end_lineno or node.lineno),
    )


def _success(value: ast.expr | None) -> bool:
    """A result that reports the action done: True, a status, a count, what was "sent"."""
    if value is None:
        return False
    if isinstance(value, ast.Constant):
        if value.value is True:
            return True
        return isinstance(value.value, str | int) and not isinstance(value.value, bool)
    if isinstance(value, ast.Call) and _call_name(value.func) == "len":
        return True
    return isinstance(value, ast.List | ast.Tuple | ast.Dict | ast.Set | ast.Name)


def _test_doubles(tree: ast.Module, module: str) -> list[Fake]:
    if TEST_DOUBLE_MODULE.search(module):
        # A module named for its stand-ins ("mock.py", "_mock_val_ser.py") offers them.
        return []
    doubles = {
        node.name: node
        for node in tree.body
        if isinstance(node, ast.ClassDef) and TEST_DOUBLE_NAME.match(node.name)
    }
    if not doubles:
        return []
    used: set[str] = set()
    for top in tree.body:
        for sub in walk(top):
            if (
                isinstance(sub, ast.Call)
                and isinstance(sub.func, ast.Name)
                and sub.func.id in doubles
                and doubles[sub.func.id] is not top
            ):
                used.add(sub.func.id)
    found: list[Fake] = []
    for name, node in doubles.items():
        doc = ast.get_docstring(node) or ""
        if _DELIBERATE_DOUBLE.search(doc):
            continue
        wired = name in used
        found.append(
            Fake(
                "placeholder.test-double",
                wired,
                f"class {name} is a stand-in"
                + (" that application code instantiates" if wired else " outside the tests"),
                node.lineno,
                node.col_offset + 1,
                (node.lineno, node.end_lineno or node.lineno),
            )
        )
    return found
