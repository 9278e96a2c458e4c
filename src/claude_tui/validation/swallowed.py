"""Swallowed errors in JavaScript, TypeScript and Go, read from tree-sitter trees.

Reported (rule ``placeholder.swallowed-error``):

- a ``catch`` block that is empty or holds only comments;
- ``.catch(handler)`` whose handler is a function with an empty or comment-only body;
- Go ``if err != nil {}`` (any name ending in ``err``/``Err``/``error``) that is empty or holds
  only comments.

An empty block is medium. A comment-only block is medium too, unless its comment gives a
reason for ignoring the error ("best effort", "expected", "not fatal"...): that is a decision
a reviewer can see, so it stays low. A comment that promises handling later ("handle error",
"log this") or defers ("for now") is not a reason and stays medium.
The shape of the code outranks the comment, as in the Python rule: medium when the guarded
work stores or sends and the function then answers or ends as if it had worked; when Go code
goes on using a value returned with the ignored error; and when one block both reads and
parses while its comment only excuses a missing input (a corrupt one is lost too). Cleanup
functions (``close``, ``dispose``, ``shutdown``...) go on past a failure by design: low.
``.catch(() => undefined)`` whose result is discarded is an empty handler. Also low: a block whose
linter rule for empty blocks was silenced in or around the ``try`` (``eslint-disable``
``no-empty``, Go's ``nolint``), benchmark code, where an ignored failure is what is being
timed, and minified bundles (``*.min.js``), which nobody edits by hand. Tests, fixtures
(Go's ``testdata``) and examples are down-ranked by the caller like every placeholder.

Left alone on purpose: Go's ``_ = f()`` and ``_ = err`` (an explicit, visible discard),
``.catch(() => null)`` and other handlers that return a fallback value, and handlers that
do anything at all.
"""

from __future__ import annotations

import re
from typing import Any

from claude_tui.validation.languages import Language
from claude_tui.validation.model import Finding, Severity
from claude_tui.validation.treesitter import in_change, node_finding

RULE = "placeholder.swallowed-error"

_JS = {Language.JAVASCRIPT, Language.TYPESCRIPT, Language.TSX}
_COMMENTS = {"comment", "line_comment", "block_comment"}
_FUNCTIONS = {"arrow_function", "function_expression", "function"}
_ERROR_NAME = re.compile(r"(?:[A-Za-z_]\w*)?(?:err|Err|error|Error)")
_NIL_CHECK = re.compile(r"\s*([A-Za-z_]\w*)\s*!=\s*nil\s*")

#: Words of a comment that says why the error may be ignored.
REASON = re.compile(
    r"(?i)\b(ignor(e|ed|es|ing)|intentional(ly)?|deliberate(ly)?|on purpose|expected|"
    r"best[- ]effort|not fatal|non-?fatal|harmless|optional|safe to|no-?op|"
    r"fall(s)?[- ]?back|don'?t care|doesn'?t matter|does not matter|unsupported|"
    r"not supported|may not exist|might not exist|already (exists|closed|gone)|"
    r"swallow(ed)? on purpose|nothing to do|can be ignored|benign)\b"
)
#: A comment that silences the linter's own empty-block or unchecked-error rule.
LINT_SILENCED = re.compile(r"(?i)\beslint\b.*\bno-empty\b|\bnolint\b")
_BENCH_PARTS = {"bench", "benches", "benchmark", "benchmarks"}
#: Words of a comment that promises handling instead of giving a reason.
PROMISE = re.compile(r"(?i)\b(handle|handling|log|report|retry|implement|later|should)\b")
#: A comment that puts the decision off: never a reason, even next to "ignore".
DEFERRAL = re.compile(
    r"(?i)\b(for now|" + "to" + "do|" + "fix" + r"me|xxx|later|temporar(y|ily))\b"
)
#: Words that excuse only an absent input (a corrupt one is another failure).
ABSENCE = re.compile(
    r"(?i)\b(optional|may not exist|might not exist|missing|absent|not (there|found)|"
    r"fall(s)?[- ]?back|defaults?|first run)\b"
)
#: Words that say the comment thought of bad content too.
BAD_CONTENT = re.compile(r"(?i)\b(invalid|malformed|corrupt\w*|pars\w*|bad|broken|garbage)\b")
#: Calls whose failure means something was not stored or sent.
_JS_DELIVERING = re.compile(
    r"^(write\w*|append\w*|save\w*|send\w*|post|put|patch|upload\w*|publish|commit|"
    r"insert\w*|update\w*|persist\w*|rename\w*|enqueue|dispatch)$"
)
_GO_DELIVERING = re.compile(
    r"^(Write\w*|Rename|Save\w*|Send\w*|Exec\w*|Commit|Encode|Publish|Put\w*|Post\w*|"
    r"Upload\w*|Insert\w*|Update\w*|Flush|Sync|Create\w*)$"
)
_JS_READS = re.compile(r"^(readFile\w*|readJson\w*|fetch|get|text|json|read)$")
_JS_PARSES = re.compile(r"^(JSON\.parse|parse|load|safeLoad|decode)$")
#: Functions that release or tear down: a failure there has nobody left to tell.
CLEANUP = re.compile(
    r"(?i)^_?(close|dispose|destroy|shutdown|stop|cleanup|clean_?up|teardown|tear_?down|"
    r"disconnect|release|finali[sz]e|unlink|remove_?temp\w*)$|^(on|after)_?(close|exit)"
)
_JS_FUNCTION_NODES = {
    "function_declaration", "function_expression", "arrow_function", "method_definition",
    "function", "generator_function_declaration", "generator_function",
}  # fmt: skip
_GO_FUNCTION_NODES = {"function_declaration", "method_declaration", "func_literal"}
#: Handler bodies that return nothing: the same as an empty block.
_NOTHING = {"undefined", "void 0", "void(0)"}


def check_tree(
    path: str,
    tree: Any,
    source: bytes,
    language: Language,
    changed_lines: frozenset[int] | None,
) -> list[Finding]:
    """Swallowed-error findings of one JavaScript, TypeScript or Go file."""
    if language not in _JS and language is not Language.GO:
        return []
    lines = source.decode("utf-8", errors="replace").splitlines()
    findings: list[Finding] = []
    parts = path.replace("\\", "/").lower().split("/")
    benchmark = bool(_BENCH_PARTS & set(parts[:-1]))
    minified = ".min." in parts[-1]
    # ``/* eslint-disable no-empty */`` and ``/* eslint no-empty: 0 */`` hold for the whole
    # file; the ``-line`` forms only for their line, which _silenced looks at.
    silenced_file = language in _JS and any(
        "eslint" in line and "no-empty" in line and "-line" not in line
        for line in lines
        if line.lstrip().startswith(("/*", "//"))
    )

    def add(node: Any, body: Any, what: str) -> None:
        if not in_change(node, body, changed_lines):
            return
        comments = [_text(c) for c in _statements(body) if c.type in _COMMENTS]
        hidden = _hidden_failure(node, language, comments)
        if hidden and not (silenced_file or _silenced(node, lines) or benchmark or minified):
            why = f"{what} {'holds only a comment' if comments else 'is empty'}: {hidden}"
            findings.append(node_finding(path, lines, node, RULE, Severity.MEDIUM, why))
            return
        if silenced_file or _silenced(node, lines):
            severity = Severity.LOW
            why = f"{what} ignores the error (the linter's rule is silenced for it)"
        elif benchmark or minified:
            severity = Severity.LOW
            kind = "benchmark code" if benchmark else "a minified bundle, not hand-written"
            why = f"{what} ignores the error ({kind})"
        elif not comments:
            severity, why = Severity.MEDIUM, f"{what} is empty: the error is swallowed"
        elif _gives_reason(comments):
            severity = Severity.LOW
            why = f"{what} holds only a comment: the error is ignored (the comment says why)"
        elif _cleanup_function(node, language):
            severity = Severity.LOW
            why = f"{what} holds only a comment: the error is ignored (best-effort cleanup)"
        else:
            severity = Severity.MEDIUM
            why = f"{what} holds only a comment: the error is swallowed"
        findings.append(node_finding(path, lines, node, RULE, severity, why))

    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        kind = node.type
        if language in _JS:
            if kind == "catch_clause":
                body = node.child_by_field_name("body")
                if body is not None and _only_comments(body):
                    add(node, body, "the catch block")
            elif kind == "call_expression":
                body = _catch_handler_body(node)
                if body is not None and _only_comments(body):
                    add(node, body, "the .catch() handler")
                elif body is None and _returns_nothing_discarded(node):
                    add(node, node, "the .catch() handler returns nothing and")
        elif kind == "if_statement":
            condition = node.child_by_field_name("condition")
            body = node.child_by_field_name("consequence")
            match = _NIL_CHECK.fullmatch(_text(condition)) if condition is not None else None
            if (
                match is not None
                and _ERROR_NAME.fullmatch(match.group(1))
                and body is not None
                and node.child_by_field_name("alternative") is None
                and _only_comments(body)
            ):
                add(node, body, f"`if {match.group(1)} != nil` block")
        stack.extend(reversed(node.named_children))
    return findings


def _silenced(node: Any, lines: list[str]) -> bool:
    """A lint suppression in the statement around ``node`` or on the line above it."""
    around = node.parent if node.type == "catch_clause" and node.parent is not None else node
    first, last = around.start_point[0], node.end_point[0]
    window = lines[max(first - 1, 0) : last + 1]
    return any(LINT_SILENCED.search(line) for line in window)


def _catch_handler_body(call: Any) -> Any:
    """The block of ``x.catch(function-with-a-block)``, or None."""
    callee = call.child_by_field_name("function")
    if callee is None or callee.type != "member_expression":
        return None
    prop = callee.child_by_field_name("property")
    if prop is None or _text(prop) != "catch":
        return None
    arguments = call.child_by_field_name("arguments")
    if arguments is None:
        return None
    handlers = [a for a in arguments.named_children if a.type not in _COMMENTS]
    if len(handlers) != 1 or handlers[0].type not in _FUNCTIONS:
        return None
    body = handlers[0].child_by_field_name("body")
    if body is None or body.type != "statement_block":
        return None  # an expression body returns a value: a fallback, not a swallow
    return body


def _statements(block: Any) -> list[Any]:
    out: list[Any] = []
    for child in block.named_children:
        # Go wraps the statements of a block in a statement_list node.
        out.extend(child.named_children if child.type == "statement_list" else [child])
    return out


def _only_comments(block: Any) -> bool:
    return all(child.type in _COMMENTS for child in _statements(block))


def _gives_reason(comments: list[str]) -> bool:
    text = " ".join(comments)
    if DEFERRAL.search(text):
        return False
    return bool(REASON.search(text)) and not (PROMISE.search(text) and not _says_ignore(text))


def _returns_nothing_discarded(call: Any) -> bool:
    """``p.catch(() => undefined)`` as a statement of its own: nothing uses the fallback."""
    callee = call.child_by_field_name("function")
    if callee is None or callee.type != "member_expression":
        return False
    prop = callee.child_by_field_name("property")
    arguments = call.child_by_field_name("arguments")
    if prop is None or _text(prop) != "catch" or arguments is None:
        return False
    handlers = [a for a in arguments.named_children if a.type not in _COMMENTS]
    if len(handlers) != 1 or handlers[0].type != "arrow_function":
        return False
    body = handlers[0].child_by_field_name("body")
    if body is None or " ".join(_text(body).split()) not in _NOTHING:
        return False
    parent = call.parent
    if parent is not None and parent.type == "await_expression":
        parent = parent.parent
    return parent is not None and parent.type == "expression_statement"


def _function_of(node: Any, language: Language) -> Any:
    kinds = _GO_FUNCTION_NODES if language is Language.GO else _JS_FUNCTION_NODES
    current = node.parent
    while current is not None and current.type not in kinds:
        current = current.parent
    return current


def _function_name(function: Any) -> str:
    name = function.child_by_field_name("name")
    if (
        name is None
        and function.parent is not None
        and function.parent.type
        in (
            "variable_declarator",
            "pair",
        )
    ):
        name = function.parent.child_by_field_name("name") or function.parent.child_by_field_name(
            "key"
        )
    return _text(name) if name is not None else ""


def _cleanup_function(node: Any, language: Language) -> bool:
    function = _function_of(node, language)
    return function is not None and bool(CLEANUP.search(_function_name(function)))


def _walk(node: Any) -> list[Any]:
    out: list[Any] = []
    stack = [node]
    while stack:
        current = stack.pop()
        out.append(current)
        stack.extend(current.named_children)
    return out


def _callee_names(node: Any) -> list[str]:
    """Called names in ``node``: ``fs.writeFile(...)`` gives ``writeFile`` and ``fs.writeFile``."""
    names: list[str] = []
    for sub in _walk(node):
        if sub.type != "call_expression":
            continue
        callee = sub.child_by_field_name("function")
        if callee is None:
            continue
        last = callee
        for field in ("property", "field"):
            found = callee.child_by_field_name(field)
            if found is not None:
                last = found
        names += [_text(last), _text(callee)]
    return names


def _following(node: Any, function: Any) -> list[Any]:
    """Statements that run after ``node`` in its function, innermost block first."""
    out: list[Any] = []
    current = node
    while current is not None and current != function:
        sibling = current.next_named_sibling
        while sibling is not None:
            out.append(sibling)
            sibling = sibling.next_named_sibling
        current = current.parent
    return out


def _hidden_failure(node: Any, language: Language, comments: list[str]) -> str:
    """Why the code around the swallow hides a failure from its caller, or "" when it does not."""
    function = _function_of(node, language)
    if function is None or CLEANUP.search(_function_name(function)):
        return ""
    text = " ".join(comments)
    if language is Language.GO:
        return _go_hidden_failure(node, function)
    if node.type != "catch_clause" or node.parent is None:
        return ""
    guarded = node.parent.child_by_field_name("body")
    if guarded is None:
        return ""
    called = _callee_names(guarded)
    after = _following(node.parent, function)
    if any(_JS_DELIVERING.match(name) for name in called) and _js_succeeds(after):
        return "the guarded work stores or sends, and the function goes on as if it had worked"
    if (
        any(_JS_READS.match(name) for name in called)
        and any(_JS_PARSES.match(name) for name in called)
        and ABSENCE.search(text)
        and not BAD_CONTENT.search(text)
    ):
        return "the comment excuses a missing input, but a corrupt one is silently dropped too"
    return ""


def _assigned(statement: Any) -> list[str]:
    """The names a Go ``a, err := ...`` or ``a, err = ...`` sets."""
    if statement.type not in ("short_var_declaration", "assignment_statement"):
        return []
    left = statement.child_by_field_name("left")
    return [] if left is None else [_text(n) for n in left.named_children]


def _js_succeeds(after: list[Any]) -> bool:
    """No ``throw`` after the swallow, and the function ends or returns a real value."""
    for stmt in after:
        for sub in _walk(stmt):
            if sub.type == "throw_statement":
                return False
        if stmt.type == "return_statement":
            value = [c for c in stmt.named_children if c.type not in _COMMENTS]
            return bool(value) and _text(value[0]) not in ("null", "undefined", "false")
    return True


def _go_hidden_failure(node: Any, function: Any) -> str:
    condition = node.child_by_field_name("condition")
    match = _NIL_CHECK.fullmatch(_text(condition)) if condition is not None else None
    if match is None:
        return ""
    err = match.group(1)
    source = node.child_by_field_name("initializer")
    if source is None:
        # The statement that last set the error, above checks that only read it
        # (``if errors.Is(err, os.ErrNotExist) {...}``).
        source = node.prev_named_sibling
        while source is not None and err not in _assigned(source):
            source = source.prev_named_sibling
    if source is None or err not in _assigned(source):
        return ""
    right = source.child_by_field_name("right")
    if right is None:
        return ""
    names = _assigned(source)
    after = _following(node, function)
    values = {n for n in names if n not in (err, "_")}
    if values and node.child_by_field_name("initializer") is None:
        for stmt in after:
            if any(s.type == "identifier" and _text(s) in values for s in _walk(stmt)):
                return "a value returned with the ignored error is used as if the call had worked"
    if any(_GO_DELIVERING.match(name) for name in _callee_names(right)):
        for stmt in after:
            if stmt.type == "return_statement":
                results = stmt.named_children
                values_list = results[0].named_children if results else []
                if values_list and _text(values_list[-1]) == "nil":
                    return "the call stores or sends, and the function then reports success"
                # ``return os.Rename(tmp, path)``: the result now hangs on later work only.
                if values_list and _reports_later_work(values_list[-1]):
                    return (
                        "the call stores or sends, and the function then reports only the "
                        "outcome of later work"
                    )
                break
    return ""


def _reports_later_work(value: Any) -> bool:
    """A returned call that is not building an error of its own (``fmt.Errorf``)."""
    if value.type != "call_expression":
        return False
    callee = value.child_by_field_name("function")
    name = _text(callee) if callee is not None else ""
    return not re.search(r"(?i)(errorf|^errors\.|\.wrap\w*$|new\w*error)", name)


def _says_ignore(text: str) -> bool:
    return bool(re.search(r"(?i)\bignor|\bintentional|\bbest[- ]effort|\bexpected", text))


def _text(node: Any) -> str:
    data: bytes = node.text or b""
    return data.decode("utf-8", errors="replace")
