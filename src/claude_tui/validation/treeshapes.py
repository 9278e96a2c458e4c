"""Elided code and fake implementations in JavaScript, TypeScript and Go, read from trees.

Reported, on the tree the other tree-sitter checks share:

- ``placeholder.elided-code`` (medium): a whole-line comment that stands where code would be
  (the last entry of a block, a switch, a case, an object or array literal or a class body,
  just before a block's final ``return``, or the whole body of a function) and reads as
  "more of the same" ("... other routes", "handle the other commands the same way", "add
  more as needed"), not as a description of what is there;
- ``placeholder.fake-implementation`` (high): a function that returns made-up data under a
  comment admitting it ("mock data", "simulated", "for now", "in a real implementation this
  would call ..."), or one named for an action (send, charge, save...) that only logs and
  reports success;
- ``placeholder.test-double``: a ``Mock*``/``Fake*``/``Dummy*``/``Stub*`` class or Go type;
  medium when the same file instantiates it, low otherwise.

Tests, ``__mocks__``, fixtures, stories and examples are where stand-ins belong: findings
there are low. Linter directives, JSDoc blocks and comments that explain a decision are left
alone, as is a literal return whose comment gives no sign of being made up.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from claude_tui.validation import treesitter
from claude_tui.validation.elision import CONTINUATION, EXPLANATION, IMPERATIVE, MORE
from claude_tui.validation.fakes import ADMITS_FAKE, TEMPORARY, TEST_DOUBLE_NAME
from claude_tui.validation.languages import Language
from claude_tui.validation.model import Finding, Severity
from claude_tui.validation.placeholders import path_context
from claude_tui.validation.treesitter import in_change, node_finding

ELIDED = "placeholder.elided-code"
FAKE = "placeholder.fake-implementation"
DOUBLE = "placeholder.test-double"

_JS = {Language.JAVASCRIPT, Language.TYPESCRIPT, Language.TSX}
_COMMENTS = {"comment", "line_comment", "block_comment"}

#: Nodes whose last entry a stand-in comment can take.
_CONTAINERS = {
    # JavaScript and TypeScript
    "statement_block", "switch_body", "switch_case", "switch_default", "object", "array",
    "class_body", "object_type", "interface_body", "enum_body",
    # Go
    "block", "statement_list", "expression_case", "default_case", "type_case",
    "communication_case", "literal_value", "field_declaration_list", "expression_switch_statement",
    "type_switch_statement", "select_statement", "interface_type",
}  # fmt: skip
_FUNCTIONS = {
    "function_declaration", "function_expression", "arrow_function", "method_definition",
    "generator_function_declaration", "function", "method_declaration", "func_literal",
}  # fmt: skip
_FINAL = {"return_statement", "break_statement", "continue_statement", "throw_statement"}
#: Comments addressed to tools, not readers.
_DIRECTIVE = re.compile(
    r"(?i)^\s*(eslint|@ts-|ts-|prettier-|istanbul|c8\s|jshint|global\s|nolint|go:|\+build"
    r"|#region|#endregion|region\b|endregion\b|webpack|@vite|biome-|deno-|tslint|jscs)"
)
#: Code quoted in a comment is an example, not a stand-in.
_CODE = re.compile(r"->|=>|\(\)|\s===?\s|\w\.\w+\(|[{};]\s*$")
_MAX_WORDS = 14
_FACT_HERE = re.compile(r"(?i)\b(is|are|was|were|lives?|sits?|starts?|ends?)\s+(here|below)\b")
#: A short noun phrase that points at more entries of the same kind ("rest of the handlers").
_MORE_OF_THE_SAME = re.compile(
    r"(?i)^(\.\.\.|…)?\s*(the\s+)?(rest\s+of|remaining|other|more)\s+(the\s+)?\w+s"
    r"(\s+(here|below|follow))?\s*(\.\.\.|…)?\s*$"
)

_LITERALS = {
    "number", "string", "true", "false", "null", "undefined", "template_string",
    "int_literal", "float_literal", "interpreted_string_literal", "raw_string_literal", "nil",
    "rune_literal", "imaginary_literal",
}  # fmt: skip
_COLLECTIONS = {"object", "array", "composite_literal", "literal_value"}
#: Parts of an object or composite literal that hold no computation of their own.
_LITERAL_PARTS = {
    "pair", "keyed_element", "literal_element", "element", "property_identifier",
    "field_identifier", "shorthand_property_identifier", "identifier", "type_identifier",
    "qualified_type", "package_identifier", "slice_type", "map_type", "array_type",
    "pointer_type", "generic_type", "type_arguments", "string_fragment", "escape_sequence",
    "interpreted_string_literal_content", "unary_expression", "expression_list",
    "parenthesized_expression", "as_expression", "satisfies_expression", "predefined_type",
    "unary_operator", "computed_property_name",
}  # fmt: skip
#: A function name that promises to act on the world (camelCase, PascalCase or snake_case).
ACTION = re.compile(
    r"^_?(send|push|sync|upload|delete|remove|persist|save|store|publish|notify|charge|refund"
    r"|process|create|update|write|post|submit|dispatch|enqueue|deploy|register|transfer|pay"
    r"|email|deliver|archive|backup|restore|provision|execute|insert|import|export)"
    r"(?=[A-Z_0-9]|$)",
    re.IGNORECASE,
)
_LOG_ROOTS = {"console", "logger", "log", "logging", "fmt", "slog", "debug", "winston", "pino"}
_LOG_METHODS = re.compile(
    r"^(log|info|warn|warning|error|debug|trace|print|printf|println|infof|debugf|warnf"
    r"|errorf|infow|debugw|Print|Printf|Println|Info|Infof|Debug|Debugf|Warn|Warnf)$"
)
_TEST_NAME = re.compile(r"(?i)[._-](test|spec|stories|story|mock|mocks|fixture|fixtures)\.\w+$")
_TEST_DIRS = {"__mocks__", "__tests__", "__fixtures__", "stories", "storybook", "e2e", "mocks"}


def check_tree(
    path: str,
    tree: Any,
    source: bytes,
    language: Language,
    changed_lines: frozenset[int] | None,
) -> list[Finding]:
    """Elided-code, fake-implementation and test-double findings of one JS, TS or Go file."""
    if language not in _JS and language is not Language.GO:
        return []
    lines = source.decode("utf-8", errors="replace").splitlines()
    findings: list[Finding] = []

    def add(node: Any, span: Any, rule: str, severity: Severity, message: str) -> None:
        if in_change(span, span, changed_lines):
            findings.append(node_finding(path, lines, node, rule, severity, message))

    doubles: dict[str, Any] = {}
    constructed: set[str] = set()
    # The query walks the tree in C: visiting every node in Python costs several parses.
    for node in sorted(_interesting(tree, language), key=lambda n: n.start_byte):
        kind = node.type
        if kind in _COMMENTS:
            _elision(node, lines, add)
        elif kind in _FUNCTIONS:
            _fake_function(node, language, add)
        elif kind in _TYPES:
            name = node.child_by_field_name("name")
            if name is not None and TEST_DOUBLE_NAME.match(_text(name)):
                doubles.setdefault(_text(name), node)
        elif kind == "new_expression":
            constructor = node.child_by_field_name("constructor")
            if constructor is not None:
                constructed.add(_text(constructor))
        elif kind == "composite_literal":
            literal_type = node.child_by_field_name("type")
            if literal_type is not None:
                constructed.add(_text(literal_type))
    module = path.replace("\\", "/").rsplit("/", 1)[-1]
    if not re.search(r"(?i)(^|[_.-])(mocks?|fakes?|dummy|dummies|stubs?)([_.-]|$)", module):
        for name, node in doubles.items():
            used = name in constructed
            add(
                node,
                node,
                DOUBLE,
                Severity.MEDIUM if used else Severity.LOW,
                f"{name} is a stand-in"
                + (" that this code instantiates" if used else " outside the tests"),
            )
    findings.sort(key=lambda f: (f.line, f.column))
    return down_rank(findings, path)


_TYPES = {"class_declaration", "class", "abstract_class_declaration", "type_spec"}
_QUERIES: dict[Language, Any] = {}


def _interesting(tree: Any, language: Language) -> list[Any]:
    """The comments, functions, type declarations and constructions of a tree."""
    query = _QUERIES.get(language)
    if query is None:
        from tree_sitter import Query

        grammar = treesitter.parser_for(language).language
        kinds = sorted(
            kind
            for kind in (*_COMMENTS, *_FUNCTIONS, *_TYPES, "new_expression", "composite_literal")
            if grammar.id_for_node_kind(kind, True)
        )
        query = Query(grammar, " ".join(f"({kind}) @node" for kind in kinds))
        _QUERIES[language] = query
    from tree_sitter import QueryCursor

    nodes: list[Any] = QueryCursor(query).captures(tree.root_node).get("node", [])
    return nodes


def in_test_context(path: str) -> bool:
    """Whether ``path`` is test support, a mock, a story, a fixture or an example."""
    if path_context(path) is not None:
        return True
    parts = path.replace("\\", "/").lower().split("/")
    return bool(_TEST_DIRS & set(parts[:-1])) or _TEST_NAME.search(parts[-1]) is not None


def down_rank(findings: list[Finding], path: str) -> list[Finding]:
    """Findings in tests, mocks, stories and examples, where stand-ins are normal: low."""
    if not in_test_context(path):
        return findings
    return [
        replace(f, severity=Severity.LOW) if f.severity.at_least(Severity.MEDIUM) else f
        for f in findings
    ]


# --- elided code ----------------------------------------------------------------------------


def _comment_body(raw: str) -> str:
    text = raw.strip()
    for opener in ("//", "/*"):
        if text.startswith(opener):
            text = text[len(opener) :]
            break
    if text.endswith("*/"):
        text = text[:-2]
    return text.strip().strip("*").strip()


def _whole_line(node: Any, lines: list[str]) -> bool:
    row, column = node.start_point
    return row < len(lines) and not lines[row][:column].strip()


def _comment_line(lines: list[str], number: int) -> bool:
    return 0 < number <= len(lines) and lines[number - 1].lstrip().startswith(("//", "/*", "*"))


def _reads_as_elision(text: str, function_body: bool) -> bool:
    if not text or "?" in text or len(text.split()) > _MAX_WORDS or _DIRECTIVE.search(text):
        return False
    if _CODE.search(text) or EXPLANATION.search(text):
        return False
    if _FACT_HERE.search(text):
        return False  # "top of stack is here" says where something is
    if CONTINUATION.search(text) or _MORE_OF_THE_SAME.match(text):
        return True
    ordered = IMPERATIVE.search(text) is not None
    # In place of a whole function body, an order ("validate the token") is the stand-in.
    return ordered and (function_body or MORE.search(text) is not None)


def _elision(comment: Any, lines: list[str], add: Callable[..., None]) -> None:
    raw = _text(comment)
    if raw.startswith("/**") or len(raw) > 200:
        return  # documentation, or prose too long to stand in for code
    text = _comment_body(raw)
    # The wording is the cheap test and rules out nearly every comment before the tree is read.
    if not _reads_as_elision(text, function_body=True) or not _whole_line(comment, lines):
        return
    line = comment.start_point[0] + 1
    if "\n" not in raw and (_comment_line(lines, line - 1) or _comment_line(lines, line + 1)):
        return  # a paragraph of prose explains; a stand-in is one short line
    parent = comment.parent
    if parent is None or parent.type not in _CONTAINERS | _MODULES:
        return
    if parent.start_point[0] == parent.end_point[0]:
        return
    siblings = list(parent.named_children)
    index = next(i for i, s in enumerate(siblings) if s.id == comment.id)
    after = [s for s in siblings[index + 1 :] if s.type not in _COMMENTS]
    if parent.type in _MODULES:
        # At the end of a module, before nothing but its exports: the rest of the file.
        if not siblings[:index] or not all(_is_export(s) for s in after):
            return
        if not _reads_as_elision(text, function_body=False):
            return
        add(
            comment,
            comment,
            ELIDED,
            Severity.MEDIUM,
            f"comment stands in for the rest of the module: {text[:80]!r}",
        )
        return
    code = [s for s in siblings if s.type not in _COMMENTS]
    holder = parent.parent if parent.type == "statement_list" else parent
    function_body = not code and holder is not None and _is_function_body(holder)
    if after and not (len(after) == 1 and _bare_final(after[0]) and len(code) >= 2):
        # Above a final statement that computes something, the comment describes it.
        return
    if not _reads_as_elision(text, function_body):
        return
    where = (
        "the body of a function"
        if function_body
        else "the place of the remaining entries"
        if not after
        else "the place of code before the final statement"
    )
    add(comment, comment, ELIDED, Severity.MEDIUM, f"comment stands in {where}: {text[:80]!r}")


_MODULES = {"program", "source_file"}


def _is_export(statement: Any) -> bool:
    """``module.exports = ...``, ``exports.x = ...`` or an ``export`` of names already made."""
    if statement.type == "export_statement":
        return statement.child_by_field_name("declaration") is None
    text = _text(statement)
    return statement.type == "expression_statement" and text.startswith(
        ("module.exports", "exports.")
    )


def _bare_final(statement: Any) -> bool:
    """A return of nothing, a name or a literal, a break or a continue."""
    if statement.type not in _FINAL or statement.type == "throw_statement":
        return False
    values = _returned(statement) if statement.type == "return_statement" else []
    return all(v.type in _LITERALS or v.type == "identifier" for v in values)


def _is_function_body(block: Any) -> bool:
    owner = block.parent
    return owner is not None and owner.type in _FUNCTIONS


# --- fake implementations -------------------------------------------------------------------


def _function_name(node: Any) -> str:
    name = node.child_by_field_name("name")
    if name is not None:
        return _text(name)
    parent = node.parent
    if parent is not None and parent.type in ("variable_declarator", "pair", "assignment"):
        key = (
            parent.child_by_field_name("name")
            or parent.child_by_field_name("key")
            or parent.child_by_field_name("left")
        )
        if key is not None:
            return _text(key).rsplit(".", 1)[-1]
    return ""


def _statements(block: Any) -> list[Any]:
    out: list[Any] = []
    for child in block.named_children:
        out.extend(child.named_children if child.type == "statement_list" else [child])
    return out


def _leading_comments(node: Any) -> list[str]:
    """The comments right above a function, or above the declaration that holds it."""
    holder = node
    while holder.parent is not None and holder.parent.type in (
        "export_statement", "variable_declarator", "lexical_declaration", "variable_declaration",
        "pair", "assignment_expression", "expression_statement",
    ):  # fmt: skip
        holder = holder.parent
    out: list[str] = []
    sibling = holder.prev_named_sibling
    row = holder.start_point[0]
    while sibling is not None and sibling.type in _COMMENTS and sibling.end_point[0] >= row - 1:
        out.append(_text(sibling))
        row = sibling.start_point[0]
        sibling = sibling.prev_named_sibling
    return out


def _canned(node: Any, echo: bool = False) -> bool:
    """A value made of literals only: no call, no computation, at least one literal.

    With ``echo``, the literals may also repeat the arguments (``{ id: `ch_${id}`, amount }``):
    next to a comment that admits it, that is an answer made up around the input.
    """
    if node.type in _LITERALS:
        return node.type not in ("nil", "null", "undefined")
    if node.type in ("parenthesized_expression", "as_expression", "satisfies_expression"):
        return any(_canned(c, echo) for c in node.named_children)
    if node.type not in _COLLECTIONS:
        return False
    found = False
    walk = [node]
    while walk:
        sub = walk.pop()
        if sub.type in _LITERALS or sub.type in _COLLECTIONS:
            found = found or sub.type in _LITERALS or sub.named_child_count == 0
        elif sub.type not in _LITERAL_PARTS and not (echo and sub.type in _ECHO_PARTS):
            return False
        walk.extend(sub.named_children)
    return found


#: Parts that only repeat what the function was given: ``${id}``, ``order.id``.
_ECHO_PARTS = {"template_substitution", "member_expression", "selector_expression"}


def _returned(statement: Any) -> list[Any]:
    values = [c for c in statement.named_children if c.type not in _COMMENTS]
    if len(values) == 1 and values[0].type == "expression_list":
        values = list(values[0].named_children)
    return values


def _is_log_call(node: Any) -> bool:
    if node.type == "expression_statement" and node.named_child_count == 1:
        node = node.named_children[0]
    if node.type == "await_expression" and node.named_child_count == 1:
        node = node.named_children[0]
    if node.type != "call_expression":
        return False
    callee = node.child_by_field_name("function")
    if callee is None or callee.type not in ("member_expression", "selector_expression"):
        return False
    target = callee.child_by_field_name("object") or callee.child_by_field_name("operand")
    method = callee.child_by_field_name("property") or callee.child_by_field_name("field")
    if target is None or method is None:
        return False
    root = _text(target).rsplit(".", 1)[-1]
    return root.lower() in _LOG_ROOTS and _LOG_METHODS.match(_text(method)) is not None


def _is_delay(node: Any) -> bool:
    """``await sleep(...)`` or ``await new Promise(... setTimeout ...)``: a simulated wait."""
    if node.type == "expression_statement" and node.named_child_count == 1:
        node = node.named_children[0]
    if node.type == "call_expression" and _text(node).startswith("time.Sleep("):
        return True
    text = _text(node)
    return node.type == "await_expression" and ("setTimeout" in text or "sleep(" in text.lower())


def _success(values: list[Any], language: Language) -> bool:
    if not values:
        return False
    if language is Language.GO:
        # ``return nil`` from an error-returning function, or a result and a nil error.
        last = values[-1]
        return last.type == "nil" and all(v.type in _LITERALS or _canned(v) for v in values[:-1])
    value = values[0]
    if value.type == "true" or value.type in ("string", "number"):
        return True
    return value.type in ("object", "array") and _canned(value, echo=True)


def _fake_function(node: Any, language: Language, add: Callable[..., None]) -> None:
    body = node.child_by_field_name("body")
    if body is None or body.type not in ("statement_block", "block"):
        return
    statements = _statements(body)
    code = [s for s in statements if s.type not in _COMMENTS]
    returns = [s for s in code if s.type == "return_statement"]
    if not returns or len(code) > 6:
        return
    name = _function_name(node)
    what = f"{name}()" if name else "the function"
    last = returns[-1]
    values = _returned(last)
    others = [s for s in code if s.id != last.id]
    quiet = all(
        _is_log_call(s) or _is_delay(s) or _declares_literal(s) or _guard(s) or s.type in _COMMENTS
        for s in others
    )
    if not quiet:
        return
    comments = [_comment_body(_text(c)) for c in _descendant_comments(body)]
    comments += [_comment_body(c) for c in _leading_comments(node)]
    if _made_up(values, language, echo=True):
        for text in comments:
            if ADMITS_FAKE.search(text) or TEMPORARY.search(text):
                # Pointed at the made-up answer: guard clauses may come before it.
                add(last, node, FAKE, Severity.HIGH, f"{what} returns made-up data: {text[:80]!r}")
                return
    if ACTION.match(name) and any(_is_log_call(s) for s in others) and _success(values, language):
        add(
            node,
            node,
            FAKE,
            Severity.HIGH,
            f"{what} only logs and reports success; nothing is done",
        )


def _made_up(values: list[Any], language: Language, echo: bool = False) -> bool:
    """Returned values that look like invented data rather than a zero value or an error."""
    if language is not Language.GO:
        return any(_canned(v, echo) for v in values)
    if len(values) > 1 and values[-1].type != "nil":
        return False  # a Go function that returns an error says it did not do the work
    return any(_canned(v, echo) and not _zero(v) for v in values)


def _guard(statement: Any) -> bool:
    """``if (bad) throw ...`` or ``if (!x) return false``: a check of the input, not work."""
    if statement.type != "if_statement" or statement.child_by_field_name("alternative"):
        return False
    condition = statement.child_by_field_name("condition")
    consequence = statement.child_by_field_name("consequence")
    if condition is None or consequence is None:
        return False
    walk = [condition]
    while walk:
        sub = walk.pop()
        if sub.type in ("call_expression", "await_expression"):
            return False  # the condition itself asks something of the world
        walk.extend(sub.named_children)
    body = (
        _statements(consequence)
        if consequence.type in ("statement_block", "block")
        else [consequence]
    )
    code = [b for b in body if b.type not in _COMMENTS]
    return len(code) == 1 and code[0].type in ("throw_statement", "return_statement")


def _zero(node: Any) -> bool:
    text = _text(node)
    if node.type in ("literal_value", "composite_literal"):
        body = node.child_by_field_name("body") if node.type == "composite_literal" else node
        return body is None or body.named_child_count == 0
    return text in ('""', "``", "0", "0.0", "false", "nil")


def _declares_literal(statement: Any) -> bool:
    if statement.type in ("lexical_declaration", "variable_declaration"):
        declarators = [d for d in statement.named_children if d.type == "variable_declarator"]
        values = [d.child_by_field_name("value") for d in declarators]
        return bool(values) and all(v is not None and _canned(v) for v in values)
    if statement.type == "short_var_declaration":
        right = statement.child_by_field_name("right")
        return right is not None and all(_canned(v) for v in right.named_children)
    return False


def _descendant_comments(node: Any) -> list[Any]:
    out: list[Any] = []
    walk = [node]
    while walk:
        sub = walk.pop()
        if sub.type in _COMMENTS:
            out.append(sub)
        elif sub.type not in _FUNCTIONS or sub is node:
            walk.extend(sub.children)
    return out


def _text(node: Any) -> str:
    data: bytes = node.text or b""
    return data.decode("utf-8", errors="replace")
