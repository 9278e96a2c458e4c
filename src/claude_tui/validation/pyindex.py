"""One pass over a Python syntax tree that collects what the checks need.

Walking a tree is the dominant cost of the Python checks, so the imports, attribute uses,
rebound names and classes are gathered in a single traversal that also tracks how each
node is guarded (inside ``try`` that catches import errors, or inside a branch).
"""

from __future__ import annotations

import ast
import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

#: Guards: None (unconditional), "conditional" (a branch or a try), "optional" (a try that
#: handles ImportError or AttributeError: the code expects the name may be missing).
OPTIONAL = "optional"
CONDITIONAL = "conditional"
#: Guard of an attribute use that expects the attribute may not exist: behind a platform,
#: implementation, version or ``hasattr`` check, or in a ``try`` that handles AttributeError.
SHIELDED = "shielded"
#: Guard of an import that only a platform, implementation or version check lets run.
PLATFORM = "platform"
#: Guard of an import under ``if TYPE_CHECKING:``: read by type checkers, never run.
TYPING = "typing"
#: Literals a condition compares with to tell platforms and implementations apart
#: (``platform.python_implementation() == "PyPy"``, ``os.name == "nt"``).
_PLATFORM_NAMES = frozenset(
    {"pypy", "cpython", "jython", "ironpython", "graalpy", "win32", "cygwin", "msys", "darwin",
     "linux", "nt", "posix", "java", "emscripten", "wasi", "windows", "freebsd", "openbsd"}
)  # fmt: skip
#: ``sys``/``os`` attributes that tell platforms, implementations and versions apart.
_PLATFORM_ATTRIBUTES = frozenset(
    {"platform", "implementation", "version_info", "version", "hexversion", "maxsize", "name"}
)
_PLATFORM_CALLS = frozenset({"hasattr", "getattr", "dir", "find_spec", "uname", "get_platform"})
#: Flag names that stand for such a check (``WINDOWS``, ``is_pypy``, ``PY2``, ``HAS_FORK``);
#: availability flags only as constants, ``has_permission`` is no platform check.
_PLATFORM_FLAG = re.compile(
    r"(?i:(^|_)(win(32|64|dows)?|ms_?windows|nt|posix|pypy|cpython|jython|ironpython|graalpy|"
    r"darwin|mac(os)?|osx|linux|unix|bsd|android|ios|wasi|emscripten|py_?\d+|frozen)(_|$))"
    r"|^_?(HAVE|HAS|USE)_"
)
_HANDLED_AS_OPTIONAL = {
    "ImportError",
    "ModuleNotFoundError",
    "AttributeError",
    "NameError",
    "Exception",
    "BaseException",
}


@dataclass(slots=True)
class PyIndex:
    imports: list[tuple[ast.Import | ast.ImportFrom, str | None]] = field(default_factory=list)
    attributes: list[tuple[ast.Attribute, str, str | None]] = field(default_factory=list)
    rebound: set[str] = field(default_factory=set)
    #: Names bound other than by ``from x import name``: assigned, defined, arguments.
    bound_otherwise: set[str] = field(default_factory=set)
    classes: list[ast.ClassDef] = field(default_factory=list)
    #: Names bound where an import may fail (``has_json = True``, ``chardet = None``): a
    #: branch on one of them is an availability check.
    flags: set[str] = field(default_factory=set)
    #: Calls of ``name.attr(...)`` and of ``setattr(...)``: method calls and dynamic members.
    calls: list[ast.Call] = field(default_factory=list)
    #: Calls of a plain name (``name(...)``): calls of functions and classes.
    name_calls: list[ast.Call] = field(default_factory=list)
    #: Attribute names assigned or deleted anywhere (``x.attr = ...``): members added later.
    stored_attributes: set[str] = field(default_factory=set)
    #: Names declared ``global`` in functions: module names bound when those run.
    declared_global: set[str] = field(default_factory=set)
    #: Line -> column where code resumes after a string spanning lines (-1: all string).
    string_lines: dict[int, int] = field(default_factory=dict)


#: Fields that never hold a node the checks look at: names, flags, and the ``ctx``/operator
#: singletons (``ast.iter_child_nodes`` yields one ``Load`` per name, a third of all nodes).
_NOT_CHILDREN = frozenset(
    {"ctx", "op", "ops", "id", "attr", "name", "asname", "arg", "module", "level", "kind",
     "type_comment", "is_async", "conversion", "simple", "tag", "rest", "kwd_attrs", "lineno"}
)  # fmt: skip
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}


def _child_fields(kind: type) -> tuple[str, ...]:
    fields = _CHILD_FIELDS.get(kind)
    if fields is None:
        scalar_names = kind is ast.Global or kind is ast.Nonlocal
        scalar_value = kind is ast.Constant or kind is ast.MatchSingleton
        fields = _CHILD_FIELDS[kind] = tuple(
            f
            for f in getattr(kind, "_fields", ())
            if f not in _NOT_CHILDREN
            and not (scalar_names and f == "names")
            and not (scalar_value and f == "value")
        )
    return fields


def child_nodes(node: ast.AST) -> list[ast.AST]:
    """``ast.iter_child_nodes`` in the same order, without contexts and operators, as a list."""
    out: list[ast.AST] = []
    for name in _CHILD_FIELDS.get(type(node)) or _child_fields(type(node)):
        value = getattr(node, name, None)
        if value is None:
            continue
        if type(value) is list:
            out.extend(item for item in value if isinstance(item, ast.AST))
        elif isinstance(value, ast.AST):
            out.append(value)
    return out


def walk(node: ast.AST) -> Iterator[ast.AST]:
    """``ast.walk`` (same order) without contexts and operators, which no check looks at."""
    todo = deque([node])
    pop, add, add_all = todo.popleft, todo.append, todo.extend
    while todo:
        node = pop()
        kind = type(node)
        for name in _CHILD_FIELDS.get(kind) or _child_fields(kind):
            value = getattr(node, name)
            if value is None:
                continue
            if type(value) is list:
                add_all(item for item in value if item is not None)
            else:
                add(value)
        yield node


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
        for sub in walk(item.context_expr):
            if isinstance(sub, ast.Name | ast.Attribute) and _tail(sub) in (
                "ImportError",
                "ModuleNotFoundError",
            ):
                return True
    return False


def platform_check(test: ast.expr) -> bool:
    """True when a condition tells platforms, implementations, versions or features apart."""
    # A hand-rolled walk over the expression kinds a condition is made of: ``ast.walk`` on
    # every branch of every file cost more than the rest of the index.
    stack: list[ast.expr] = [test]
    while stack:
        node = stack.pop()
        kind = type(node)
        if kind is ast.Attribute:
            assert isinstance(node, ast.Attribute)
            value = node.value
            if type(value) is ast.Name:
                assert isinstance(value, ast.Name)
                if value.id == "platform" or (
                    value.id in ("sys", "os") and node.attr in _PLATFORM_ATTRIBUTES
                ):
                    return True
            stack.append(value)
        elif kind is ast.Name:
            assert isinstance(node, ast.Name)
            if _platform_flag(node.id):
                return True
        elif kind is ast.Call:
            assert isinstance(node, ast.Call)
            if _tail(node.func) in _PLATFORM_CALLS:
                return True
            stack.append(node.func)
            stack.extend(node.args)
        elif kind is ast.Constant:
            value = node.value  # type: ignore[attr-defined]
            if type(value) is str and value.lower() in _PLATFORM_NAMES:
                return True
        elif kind is ast.Compare:
            assert isinstance(node, ast.Compare)
            stack.append(node.left)
            stack.extend(node.comparators)
        elif kind is ast.BoolOp:
            assert isinstance(node, ast.BoolOp)
            stack.extend(node.values)
        elif kind is ast.UnaryOp:
            assert isinstance(node, ast.UnaryOp)
            stack.append(node.operand)
        elif kind is ast.Subscript:
            assert isinstance(node, ast.Subscript)
            stack.append(node.value)
    return False


@lru_cache(maxsize=8192)
def _platform_flag(name: str) -> bool:
    return _PLATFORM_FLAG.search(name) is not None


def _type_checking(test: ast.expr) -> bool:
    return _tail(test) == "TYPE_CHECKING"


def _attribute_chain_base(node: ast.Attribute) -> ast.Name | None:
    value: ast.expr = node.value
    while isinstance(value, ast.Attribute):
        value = value.value
    return value if isinstance(value, ast.Name) else None


def index_tree(tree: ast.Module) -> PyIndex:
    """Collect imports, module-attribute uses, rebound names and classes in one traversal."""
    index = PyIndex()
    rebound = index.rebound
    bound_otherwise = index.bound_otherwise
    # (node, guard, shielded): ``shielded`` marks code that expects attributes to be missing.
    stack: list[tuple[ast.AST, str | None, bool]] = [(tree, None, False)]
    name_t, attr_t, load_t, call_t = ast.Name, ast.Attribute, ast.Load, ast.Call
    # Branches on plain names, to tell availability checks once every flag is known: the
    # walk does not meet a flag's binding before the branches that follow it.
    branches: list[tuple[ast.expr, int, int]] = []
    push, push_all, child_fields = stack.append, stack.extend, _CHILD_FIELDS
    while stack:
        node, guard, shielded = stack.pop()
        kind = type(node)
        if kind is name_t:
            assert isinstance(node, ast.Name)
            if type(node.ctx) is not load_t:
                rebound.add(node.id)
                bound_otherwise.add(node.id)
                if guard == OPTIONAL:
                    index.flags.add(node.id)
            continue
        if kind is attr_t:
            assert isinstance(node, ast.Attribute)
            if type(node.ctx) is not load_t:
                index.stored_attributes.add(node.attr)
            base = _attribute_chain_base(node)
            if base is not None:
                # ``os.path.join``: the whole chain at once, from its outermost node; a chain
                # assigned to (``mod.attr = x``) is checked up to its last link.
                used: ast.expr = node if type(node.ctx) is load_t else node.value
                if isinstance(used, ast.Attribute):
                    index.attributes.append((used, base.id, SHIELDED if shielded else guard))
                continue
        elif kind is call_t:
            assert isinstance(node, ast.Call)
            func = node.func
            if (type(func) is attr_t and type(func.value) is name_t) or (
                type(func) is name_t and func.id == "setattr"
            ):
                index.calls.append(node)
            elif type(func) is name_t:
                index.name_calls.append(node)
        elif kind is ast.Import or kind is ast.ImportFrom:
            assert isinstance(node, ast.Import | ast.ImportFrom)
            index.imports.append((node, guard))
            if kind is ast.ImportFrom:
                rebound.update(a.asname or a.name for a in node.names)
            if guard == OPTIONAL:
                index.flags.update((a.asname or a.name).split(".")[0] for a in node.names)
            continue
        elif kind is ast.FunctionDef or kind is ast.AsyncFunctionDef or kind is ast.Lambda:
            if not isinstance(node, ast.Lambda):
                assert isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
                rebound.add(node.name)
                bound_otherwise.add(node.name)
            args = node.args
            for group in (args.posonlyargs, args.args, args.kwonlyargs):
                rebound.update(a.arg for a in group)
                bound_otherwise.update(a.arg for a in group)
            for extra in (args.vararg, args.kwarg):
                if extra is not None:
                    rebound.add(extra.arg)
                    bound_otherwise.add(extra.arg)
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
            bound_otherwise.add(node.name)
            index.classes.append(node)
        elif kind is ast.Global or kind is ast.Nonlocal:
            rebound.update(node.names)  # type: ignore[attr-defined]
            bound_otherwise.update(node.names)  # type: ignore[attr-defined]
            if kind is ast.Global:
                index.declared_global.update(node.names)  # type: ignore[attr-defined]
        elif kind is ast.Try or kind is ast.TryStar:
            assert isinstance(node, ast.Try | ast.TryStar)
            caught = _caught(node)
            inner = OPTIONAL if caught & _HANDLED_AS_OPTIONAL else CONDITIONAL
            body_guard = OPTIONAL if guard == OPTIONAL else inner
            body_shielded = shielded or "AttributeError" in caught
            # The fallback of a failed import and the code that runs only when it worked
            # (``else:``) are as optional as the import itself.
            other = body_guard if inner == OPTIONAL else guard or CONDITIONAL
            for stmt in reversed(node.finalbody):
                stack.append((stmt, guard, shielded))
            for stmt in reversed(node.orelse):
                stack.append((stmt, other, shielded))
            for handler in reversed(node.handlers):
                if handler.name:
                    rebound.add(handler.name)
                    bound_otherwise.add(handler.name)
                for stmt in reversed(handler.body):
                    stack.append((stmt, other, shielded))
            for stmt in reversed(node.body):
                stack.append((stmt, body_guard, body_shielded))
            continue
        elif (kind is ast.With or kind is ast.AsyncWith) and _expects_import_error(node):
            # ``with pytest.raises(ImportError): import x`` expects the module to be missing.
            stack.extend((child, OPTIONAL, shielded) for child in child_nodes(node))
            continue
        elif kind is ast.If or kind is ast.IfExp or kind is ast.Match:
            branch = guard or CONDITIONAL
            test = node.subject if isinstance(node, ast.Match) else node.test  # type: ignore[attr-defined]
            platform = platform_check(test)
            inside = shielded or platform
            if kind is ast.If and _type_checking(test):
                assert isinstance(node, ast.If)
                for stmt in reversed(node.orelse):
                    stack.append((stmt, branch, inside))
                for stmt in reversed(node.body):
                    stack.append((stmt, guard if guard == OPTIONAL else TYPING, inside))
                continue
            if guard != OPTIONAL and kind is ast.If:
                branches.append((test, node.lineno, node.end_lineno or node.lineno))  # type: ignore[attr-defined]
            if platform and guard in (None, CONDITIONAL):
                branch = PLATFORM
            stack.extend((child, branch, inside) for child in child_nodes(node))
            continue
        elif kind is ast.BoolOp:
            # ``hasattr(os, "x") and os.x()``: what follows a check is guarded by it.
            assert isinstance(node, ast.BoolOp)
            after = shielded
            pending = []
            for value in node.values:
                pending.append((value, guard, after))
                after = after or platform_check(value)
            stack.extend(reversed(pending))
            continue
        if (
            (kind is ast.FunctionDef or kind is ast.AsyncFunctionDef or kind is ast.ClassDef)
            and not shielded
            and any(platform_check(d) for d in node.decorator_list)  # type: ignore[attr-defined]
        ):
            # ``@skipif(sys.platform != "win32")``: the body runs only where the check holds.
            shielded = True
        # Inlined ``child_nodes``: this loop runs once per node of every file.
        for field_name in child_fields.get(kind) or _child_fields(kind):
            value = getattr(node, field_name)
            if value is None:
                continue
            if type(value) is list:
                # Child lists hold nodes, or None for the ``**`` of a dict display.
                push_all((child, guard, shielded) for child in value if child is not None)
            else:
                push((value, guard, shielded))
    if branches and index.imports:
        _availability_checks(index, branches)
    return index


def _availability_checks(index: PyIndex, branches: list[tuple[ast.expr, int, int]]) -> None:
    """Imports behind a flag bound by a failing import, or a check named after the module.

    ``if has_simplejson: from simplejson import ...`` and ``if is_running_trio(): import
    trio`` run only where the module is there.
    """
    for position, (imported, guard) in enumerate(index.imports):
        if guard is None or guard == OPTIONAL:
            continue  # outside every branch, or already optional
        line = imported.lineno
        if isinstance(imported, ast.Import):
            modules = [a.name for a in imported.names]
        else:
            modules = [imported.module or ""] if not imported.level else []
        tops = [m.split(".")[0].lower() for m in modules if len(m.split(".")[0]) >= 3]
        for test, start, end in branches:
            if not start <= line <= end:
                continue
            # Walked only for the few branches that hold an import.
            names = {_tail(n) for n in walk(test) if type(n) in (ast.Name, ast.Attribute)}  # type: ignore[arg-type]
            if names & index.flags or any(top in name.lower() for name in names for top in tops):
                index.imports[position] = (imported, OPTIONAL)
                break
