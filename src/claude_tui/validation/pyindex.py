"""One pass over a Python syntax tree that collects what the checks need.

Walking a tree is the dominant cost of the Python checks, so the imports, attribute uses,
rebound names and classes are gathered in a single traversal that also tracks how each
node is guarded (inside ``try`` that catches import errors, or inside a branch).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

#: Guards: None (unconditional), "conditional" (a branch or a try), "optional" (a try that
#: handles ImportError or AttributeError: the code expects the name may be missing).
OPTIONAL = "optional"
CONDITIONAL = "conditional"
_HANDLED_AS_OPTIONAL = {
    "ImportError",
    "ModuleNotFoundError",
    "AttributeError",
    "Exception",
    "BaseException",
}


@dataclass(slots=True)
class PyIndex:
    imports: list[tuple[ast.Import | ast.ImportFrom, str | None]] = field(default_factory=list)
    attributes: list[tuple[ast.Attribute, str, str | None]] = field(default_factory=list)
    rebound: set[str] = field(default_factory=set)
    classes: list[ast.ClassDef] = field(default_factory=list)
    #: Line -> column where code resumes after a string spanning lines (-1: all string).
    string_lines: dict[int, int] = field(default_factory=dict)


def _caught(node: ast.Try | ast.TryStar) -> set[str]:
    names: set[str] = set()
    for handler in node.handlers:
        kind = handler.type
        if kind is None:
            names.add("BaseException")
        elif isinstance(kind, ast.Tuple):
            names.update(_tail(e) for e in kind.elts)
        else:
            names.add(_tail(kind))
    return names


def _tail(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _expects_import_error(node: ast.AST) -> bool:
    assert isinstance(node, ast.With | ast.AsyncWith)
    for item in node.items:
        for sub in ast.walk(item.context_expr):
            if isinstance(sub, ast.Name | ast.Attribute) and _tail(sub) in (
                "ImportError",
                "ModuleNotFoundError",
            ):
                return True
    return False


def index_tree(tree: ast.Module) -> PyIndex:
    """Collect imports, module-attribute uses, rebound names and classes in one traversal."""
    index = PyIndex()
    rebound = index.rebound
    stack: list[tuple[ast.AST, str | None]] = [(tree, None)]
    name_t, attr_t, load_t = ast.Name, ast.Attribute, ast.Load
    while stack:
        node, guard = stack.pop()
        kind = type(node)
        if kind is name_t:
            assert isinstance(node, ast.Name)
            if type(node.ctx) is not load_t:
                rebound.add(node.id)
            continue
        if kind is attr_t:
            assert isinstance(node, ast.Attribute)
            value = node.value
            if type(value) is name_t and type(node.ctx) is load_t:
                assert isinstance(value, ast.Name)
                index.attributes.append((node, value.id, guard))
                continue
        elif kind is ast.Import or kind is ast.ImportFrom:
            assert isinstance(node, ast.Import | ast.ImportFrom)
            index.imports.append((node, guard))
            if kind is ast.ImportFrom:
                rebound.update(a.asname or a.name for a in node.names)
            continue
        elif kind is ast.FunctionDef or kind is ast.AsyncFunctionDef or kind is ast.Lambda:
            if not isinstance(node, ast.Lambda):
                assert isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
                rebound.add(node.name)
            args = node.args
            for group in (args.posonlyargs, args.args, args.kwonlyargs):
                rebound.update(a.arg for a in group)
            for extra in (args.vararg, args.kwarg):
                if extra is not None:
                    rebound.add(extra.arg)
        elif kind is ast.Constant or kind is ast.JoinedStr:
            end = node.end_lineno or node.lineno  # type: ignore[attr-defined]
            start = node.lineno  # type: ignore[attr-defined]
            if end > start:
                for line in range(start + 1, end):
                    index.string_lines[line] = -1
                index.string_lines[end] = node.end_col_offset or 0  # type: ignore[attr-defined]
            continue
        elif kind is ast.ClassDef:
            assert isinstance(node, ast.ClassDef)
            rebound.add(node.name)
            index.classes.append(node)
        elif kind is ast.Global or kind is ast.Nonlocal:
            rebound.update(node.names)  # type: ignore[attr-defined]
        elif kind is ast.Try or kind is ast.TryStar:
            assert isinstance(node, ast.Try | ast.TryStar)
            inner = OPTIONAL if _caught(node) & _HANDLED_AS_OPTIONAL else CONDITIONAL
            body_guard = OPTIONAL if guard == OPTIONAL else inner
            other = guard or CONDITIONAL
            for stmt in reversed(node.finalbody):
                stack.append((stmt, guard))
            for stmt in reversed(node.orelse):
                stack.append((stmt, other))
            for handler in reversed(node.handlers):
                if handler.name:
                    rebound.add(handler.name)
                for stmt in reversed(handler.body):
                    stack.append((stmt, other))
            for stmt in reversed(node.body):
                stack.append((stmt, body_guard))
            continue
        elif (kind is ast.With or kind is ast.AsyncWith) and _expects_import_error(node):
            # ``with pytest.raises(ImportError): import x`` expects the module to be missing.
            for child in ast.iter_child_nodes(node):
                stack.append((child, OPTIONAL))
            continue
        elif kind is ast.If or kind is ast.IfExp or kind is ast.Match:
            branch = guard or CONDITIONAL
            for child in ast.iter_child_nodes(node):
                stack.append((child, branch))
            continue
        for child in ast.iter_child_nodes(node):
            stack.append((child, guard))
    return index
