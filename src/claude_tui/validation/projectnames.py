"""Invented project-internal code: modules, names and methods the project itself lacks.

Each Python file is summarised (:class:`FileFacts`) from the tree and index the per-file
checks already built, in the worker that parsed it; the project-wide pass then resolves the
project's own modules (src and flat layouts, namespace packages, ``package_dir``) and checks
every claim against them. A claim is reported only when the answer is known: a module that
can gain names at run time, a class whose bases cannot all be read, or one that may get
members from decorators, metaclasses, ``__getattr__`` or ``setattr`` is never judged.
"""

from __future__ import annotations

import ast
import bisect
import configparser
import difflib
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from claude_tui.validation.model import Check, Finding, Severity
from claude_tui.validation.moduleapi import (
    STDLIB,
    _Bindings,
    _read,
    _stub_path,
    dynamic_namespace,
    module_exists,
    module_names,
)
from claude_tui.validation.placeholders import down_rank
from claude_tui.validation.pyindex import CONDITIONAL, OPTIONAL, SHIELDED, PyIndex, index_tree

MISSING_MODULE = "imports.missing-project-module"
MISSING_NAME = "names.missing-project-name"
UNDEFINED_METHOD = "names.undefined-method"
UNEXPECTED_ARGUMENT = "names.unexpected-argument"

#: Metaclasses known to add no members a method could call.
_PLAIN_METACLASSES = frozenset({"ABCMeta", "abc.ABCMeta", "type"})
#: Typing constructs that are bases in name only.
_TYPING_BASES = frozenset({"Generic", "Protocol", "typing.Generic", "typing.Protocol"})
_DYNAMIC_MEMBERS = frozenset({"__getattr__", "__getattribute__"})
_REGISTERS_MODULES = re.compile(r"sys\.modules\s*(\[[^\]]+\]\s*=[^=]|\.update\(|\.setdefault\()")
#: Classes made to be completed by subclasses: their own hierarchy need not define a hook.
_OPEN_CLASS = re.compile(r"(?i:mixin)|^_?Base|Base$|^_?Abstract|Interface|Protocol")
_MAX_DEPTH = 12
#: In a set of members: stubs leave private members out, so private names are unknown.
_PRIVATE_UNKNOWN = "<private>"


@dataclass(frozen=True, slots=True)
class Claim:
    """One import of a project name: ``from {'.' * level}{module} import {name}``."""

    line: int
    column: int
    text: str
    level: int
    module: str
    #: None for ``import module``.
    name: str | None
    guard: str | None


@dataclass(frozen=True, slots=True)
class ClassFacts:
    """A module-level class: what it defines, what it derives from, what it calls on itself."""

    name: str
    line: int
    #: Dotted base expressions; None for a base that is not a plain name.
    bases: tuple[str | None, ...]
    #: Members may come from where no file says: decorators, metaclasses, setattr.
    dynamic: bool
    members: frozenset[str]
    #: ``self.name(...)``: (name, line, column, line text).
    calls: tuple[tuple[str, int, int, str], ...]


@dataclass(frozen=True, slots=True)
class FileFacts:
    """What the project-wide pass needs of one Python file; small and picklable."""

    names: frozenset[str]
    exported: frozenset[str]
    #: ``from X import *`` as (level, module).
    stars: tuple[tuple[int, str], ...]
    #: The module may gain names at run time (``__getattr__``, writes to ``globals()``).
    dynamic: bool
    #: The module puts entries in ``sys.modules``: its dotted names may have no file.
    registers_modules: bool
    #: Module-level bound name -> (level, module, imported name or None for a module).
    imports: tuple[tuple[str, int, str, str | None], ...]
    claims: tuple[Claim, ...]
    classes: tuple[ClassFacts, ...]
    stored_attributes: frozenset[str]
    #: ``module.attr`` through a module-level import binding never rebound in the file:
    #: (bound name, attr, line, column, line text, guard).
    uses: tuple[tuple[str, str, int, int, str, str | None], ...] = ()
    #: ``x.name(...)`` on a local bound once in its function by ``x = Class(...)``:
    #: (class name, name, line, column, line text).
    instance_calls: tuple[tuple[str, str, int, int, str], ...] = ()
    #: Module-level functions and classes whose call signature the source fixes.
    signatures: tuple[tuple[str, Signature], ...] = ()
    #: Calls of imported names with plain arguments: (bound name, positional count,
    #: keyword names, line, column, line text).
    name_calls: tuple[tuple[str, int, tuple[str, ...], int, int, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Signature:
    """What a call may pass: names by position and keyword, and whether more are taken."""

    positional: tuple[str, ...]
    #: Positional parameters that may also be passed by keyword.
    keywords: tuple[str, ...]
    varargs: bool
    varkw: bool


class _RawStars(_Bindings):
    """Module bindings with star-imports kept as written: the package is not known here."""

    def __init__(self) -> None:
        # Stub mode skips the walk of every statement for walrus targets (a tenth of the
        # validation's time); imports are bound here as source binds them.
        super().__init__("", stub=True)
        self.raw_stars: list[tuple[int, str]] = []
        self.bound: list[tuple[str, int, str, str | None]] = []

    def _import_from(self, node: ast.ImportFrom) -> None:
        for alias in node.names:
            if alias.name == "*":
                self.raw_stars.append((node.level, node.module or ""))
            else:
                bound = alias.asname or alias.name
                self.bound.append((bound, node.level, node.module or "", alias.name))
                self.names.add(bound)

    def collect(self, body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, ast.Import):
                for alias in node.names:
                    bound = alias.asname or alias.name.split(".")[0]
                    target = alias.name if alias.asname else bound
                    self.bound.append((bound, 0, target, None))
                    self.names.add(bound)
        super().collect(body)


def collect_facts(tree: ast.Module, index: PyIndex, source: str, lines: list[str]) -> FileFacts:
    """The facts of one parsed file, from its tree and the index already built."""

    def text(line: int) -> str:
        return lines[line - 1].strip() if 0 < line <= len(lines) else ""

    bindings = _RawStars()
    bindings.collect(tree.body)
    claims: list[Claim] = []
    for node, guard in index.imports:
        if isinstance(node, ast.Import):
            for alias in node.names:
                claims.append(
                    Claim(
                        node.lineno,
                        node.col_offset + 1,
                        text(node.lineno),
                        0,
                        alias.name,
                        None,
                        guard,
                    )
                )
            continue
        for alias in node.names:
            if alias.name != "*":
                claims.append(
                    Claim(
                        node.lineno,
                        node.col_offset + 1,
                        text(node.lineno),
                        node.level,
                        node.module or "",
                        alias.name,
                        guard,
                    )
                )
    stored = set(index.stored_attributes)
    dynamic_lines: list[int] = []
    setattr_lines: list[int] = []
    for call in index.calls:
        func = call.func
        attr = func.attr if isinstance(func, ast.Attribute) else "setattr"
        if attr not in ("setattr", "__setattr__"):
            continue
        name = call.args[1] if len(call.args) > 1 else None
        if isinstance(name, ast.Constant) and isinstance(name.value, str):
            stored.add(name.value)
        else:
            setattr_lines.append(call.lineno)
    # ``self.__dict__.update(...)``: members written through the instance dictionary.
    for attribute, _, _ in index.attributes:
        link: ast.expr = attribute
        while isinstance(link, ast.Attribute):
            if link.attr == "__dict__":
                dynamic_lines.append(attribute.lineno)
                break
            link = link.value
    top = [stmt for stmt in tree.body if isinstance(stmt, ast.ClassDef)]
    dynamic_lines += setattr_lines
    # ``setattr(test_class, name, value)`` in a function or at module level (test
    # parametrisation, plugin registries) may give any class of the file any member.
    if any(
        not any(c.lineno <= line <= (c.end_lineno or c.lineno) for c in top)
        for line in setattr_lines
    ):
        dynamic_lines += [c.lineno for c in top]
    nested: set[int] = set()
    if len(top) != len(index.classes):
        tops = {id(cls) for cls in top}
        for inner in index.classes:
            if id(inner) not in tops:
                nested.update(range(inner.lineno, (inner.end_lineno or inner.lineno) + 1))
    method_calls = sorted(
        (c for c in index.calls if isinstance(c.func, ast.Attribute)), key=lambda c: c.lineno
    )
    lines_of_calls = [c.lineno for c in method_calls]
    classes = []
    for cls in top:
        first = bisect.bisect_left(lines_of_calls, cls.lineno)
        last = bisect.bisect_right(lines_of_calls, cls.end_lineno or cls.lineno)
        classes.append(_class_facts(cls, method_calls[first:last], nested, dynamic_lines, text))
    # ``global NAME`` in a function binds a module name when it runs.
    names = frozenset(bindings.names | index.declared_global)
    imported = {bound for bound, _, _, _ in bindings.bound}
    uses = []
    seen_uses: set[tuple[str, str]] = set()
    for attribute, bound, guard in index.attributes:
        if bound not in imported or bound in index.bound_otherwise or guard == SHIELDED:
            continue
        head: ast.expr = attribute
        while isinstance(head, ast.Attribute) and isinstance(head.value, ast.Attribute):
            head = head.value
        if not isinstance(head, ast.Attribute) or (bound, head.attr) in seen_uses:
            continue
        seen_uses.add((bound, head.attr))
        uses.append((bound, head.attr, head.lineno, head.col_offset + 1, text(head.lineno), guard))
    return FileFacts(
        names=names,
        exported=bindings.exported(),
        stars=tuple(bindings.raw_stars),
        dynamic="__getattr__" in names or _dynamic(source),
        registers_modules="sys.modules" in source and _REGISTERS_MODULES.search(source) is not None,
        imports=tuple(bindings.bound),
        claims=tuple(claims),
        classes=tuple(classes),
        stored_attributes=frozenset(stored),
        uses=tuple(uses),
        instance_calls=_instance_calls(tree, method_calls, lines, text),
        signatures=_signatures(tree),
        name_calls=_name_calls(index, imported, text),
    )


def _signatures(tree: ast.Module) -> tuple[tuple[str, Signature], ...]:
    """Signatures of undecorated module-level functions and of classes with a plain ``__init__``."""
    defined: dict[str, int] = {}
    for stmt in tree.body:
        for sub in ast.walk(stmt) if not isinstance(stmt, _DEFINITIONS) else [stmt]:
            if isinstance(sub, _DEFINITIONS):
                defined[sub.name] = defined.get(sub.name, 0) + 1
            elif isinstance(sub, ast.Name) and not isinstance(sub.ctx, ast.Load):
                defined[sub.id] = defined.get(sub.id, 0) + 1
            elif isinstance(sub, ast.Import | ast.ImportFrom):
                for alias in sub.names:
                    bound = alias.asname or alias.name.split(".")[0]
                    defined[bound] = defined.get(bound, 0) + 1
    out: list[tuple[str, Signature]] = []
    for stmt in tree.body:
        if not isinstance(stmt, _DEFINITIONS) or stmt.decorator_list or defined[stmt.name] != 1:
            continue
        if isinstance(stmt, ast.ClassDef):
            # A metaclass or ``__new__`` may take other arguments than ``__init__`` names.
            if stmt.keywords or any(
                isinstance(i, _DEFINITIONS) and i.name in ("__new__", "__call__", "__getattr__")
                for i in stmt.body
            ):
                continue
            inits = [i for i in stmt.body if isinstance(i, _DEFINITIONS) and i.name == "__init__"]
            if len(inits) != 1 or isinstance(inits[0], ast.ClassDef) or inits[0].decorator_list:
                continue
            signature = _signature_of(inits[0].args, skip_first=True)
        else:
            signature = _signature_of(stmt.args, skip_first=False)
        if signature is not None:
            out.append((stmt.name, signature))
    return tuple(out)


_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def _signature_of(args: ast.arguments, *, skip_first: bool) -> Signature | None:
    positional = [a.arg for a in (*args.posonlyargs, *args.args)]
    if skip_first:
        if not positional:
            return None
        positional = positional[1:]
    by_keyword = [a.arg for a in args.args][1 if skip_first and not args.posonlyargs else 0 :]
    return Signature(
        positional=tuple(positional),
        keywords=tuple(by_keyword + [a.arg for a in args.kwonlyargs]),
        varargs=args.vararg is not None,
        varkw=args.kwarg is not None,
    )


def _name_calls(
    index: PyIndex, imported: set[str], text: Callable[[int], str]
) -> tuple[tuple[str, int, tuple[str, ...], int, int, str], ...]:
    """Calls of imported names, never bound otherwise in the file, with plain arguments."""
    out = []
    for call in index.name_calls:
        func = call.func
        assert isinstance(func, ast.Name)
        name = func.id
        if name not in imported or name in index.bound_otherwise:
            continue
        if any(isinstance(a, ast.Starred) for a in call.args):
            continue
        keywords = tuple(k.arg for k in call.keywords if k.arg is not None)
        if len(keywords) != len(call.keywords):
            continue  # ``**options`` may carry anything
        out.append(
            (name, len(call.args), keywords, call.lineno, func.col_offset + 1, text(call.lineno))
        )
    return tuple(out)


#: ``name = Capitalised(`` at the start of a line: a local that may hold a new instance.
_CONSTRUCTED = re.compile(r"^[ \t]*([a-z_]\w*)[ \t]*=[ \t]*([A-Z]\w*)\(", re.MULTILINE)


def _instance_calls(
    tree: ast.Module,
    method_calls: list[ast.Call],
    lines: list[str],
    text: Callable[[int], str],
) -> tuple[tuple[str, str, int, int, str], ...]:
    """Method calls on locals whose class is known: each bound once, by calling the class."""
    receivers = {
        c.func.value.id  # type: ignore[attr-defined]
        for c in method_calls
        if c.func.value.id not in ("self", "cls")  # type: ignore[attr-defined]
    }
    if not receivers:
        return ()
    functions: list[ast.FunctionDef | ast.AsyncFunctionDef] = []
    for stmt in tree.body:
        body = stmt.body if isinstance(stmt, ast.ClassDef) else [stmt]
        functions += [f for f in body if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)]
    out: list[tuple[str, str, int, int, str]] = []
    for function in functions:
        # The source is read first: walking every function's tree would cost a pass of its own.
        segment = "\n".join(lines[function.lineno - 1 : function.end_lineno or function.lineno])
        wanted = {m.group(1): m.group(2) for m in _CONSTRUCTED.finditer(segment)}
        annotated = _annotated_parameters(function)
        wanted.update(annotated)
        wanted = {local: cls for local, cls in wanted.items() if local in receivers}
        # A class that the file calls methods on (``Manager.register("get_queue")``) may be
        # given members that way.
        wanted = {local: cls for local, cls in wanted.items() if cls not in receivers}
        if wanted:
            out += _calls_on_instances(function, wanted, annotated, text)
    return tuple(out)


def _annotated_parameters(function: ast.FunctionDef | ast.AsyncFunctionDef) -> dict[str, str]:
    """Parameters annotated with a bare class name (``inventory: Inventory``)."""
    args = function.args
    found: dict[str, str] = {}
    for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs):
        annotation = arg.annotation
        if isinstance(annotation, ast.Name) and annotation.id[:1].isupper():
            found[arg.arg] = annotation.id
    return found


def _calls_on_instances(
    function: ast.FunctionDef | ast.AsyncFunctionDef,
    wanted: dict[str, str],
    annotated: dict[str, str],
    text: Callable[[int], str],
) -> list[tuple[str, str, int, int, str]]:
    # Every binding in the function and in its nested scopes (parameters, comprehension
    # targets, imports, ``global``): a name bound twice may hold anything at the call.
    bindings: dict[str, int] = {}
    # A parameter the signature types as a class holds an instance of it (or of a subclass,
    # which a type checker would not let the caller rely on either).
    constructed: dict[str, tuple[str, int]] = {
        name: (cls, function.lineno) for name, cls in annotated.items() if wanted.get(name) == cls
    }
    calls: list[ast.Call] = []

    def bind(name: str) -> None:
        bindings[name] = bindings.get(name, 0) + 1

    for node in ast.walk(function):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            bind(node.id)
        elif isinstance(node, ast.arguments):
            for arg in (*node.posonlyargs, *node.args, *node.kwonlyargs, node.vararg, node.kwarg):
                if arg is not None:
                    bind(arg.arg)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            for alias in node.names:
                bind((alias.asname or alias.name).split(".")[0])
        elif isinstance(node, ast.Global | ast.Nonlocal):
            for name in node.names:
                # Bound in another scope too: never "bound once".
                bindings[name] = bindings.get(name, 0) + 2
        elif isinstance(node, ast.ExceptHandler | ast.MatchAs | ast.MatchStar) and node.name:
            bind(node.name)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            bind(node.rest)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            if node is not function:
                bind(node.name)
        elif isinstance(node, ast.Assign):
            target, value = node.targets[0], node.value
            if (
                len(node.targets) == 1
                and isinstance(target, ast.Name)
                and wanted.get(target.id) is not None
                and isinstance(value, ast.Call)
                and isinstance(value.func, ast.Name)
                and value.func.id == wanted[target.id]
            ):
                constructed[target.id] = (value.func.id, node.lineno)
        elif isinstance(node, ast.Call):
            func = node.func
            if (
                isinstance(func, ast.Attribute)
                and isinstance(func.value, ast.Name)
                and func.value.id in wanted
            ):
                calls.append(node)
    out = []
    for call in calls:
        func = call.func
        assert isinstance(func, ast.Attribute)
        assert isinstance(func.value, ast.Name)
        local = func.value.id
        known = constructed.get(local)
        if known is None or bindings.get(local) != 1 or known[0] in bindings:
            continue
        if call.lineno <= known[1]:
            continue
        out.append((known[0], func.attr, call.lineno, func.col_offset + 1, text(call.lineno)))
    return out


#: Words without which :func:`dynamic_namespace` cannot match: its scan of a file is slow.
_WORDS = ("globals()", "vars()", "sys.modules[", "_convert_(", "global_enum", "exec(")
_DYNAMIC_WORDS = re.compile("|".join(map(re.escape, _WORDS)))
_GLOBALS_ALIASED = re.compile(r"=[ \t]*globals\(\)")


def _dynamic(source: str) -> bool:
    # Plain substring tests first: a regular expression over every file costs more.
    if not any(word in source for word in _WORDS):
        return False
    if "globals()" in source and _GLOBALS_ALIASED.search(source):
        return dynamic_namespace(source)  # ``d = globals()``: its uses are on other lines
    lines = {
        source[source.rfind("\n", 0, at) + 1 : (source.find("\n", at) + 1) or len(source)]
        for at in (m.start() for m in _DYNAMIC_WORDS.finditer(source))
    }
    return dynamic_namespace("".join(lines))


def _dotted(node: ast.expr) -> str | None:
    if isinstance(node, ast.Subscript):
        node = node.value  # ``Generic[T]``, ``Base[int]``
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def _class_facts(
    node: ast.ClassDef,
    calls_in: list[ast.Call],
    nested: set[int],
    dynamic_lines: list[int],
    text: Callable[[int], str],
) -> ClassFacts:
    end = node.end_lineno or node.lineno
    body = _RawStars()
    body.collect(node.body)
    dynamic = any(not _adds_no_callables(d) for d in node.decorator_list) or any(
        k.arg != "metaclass" or _dotted(k.value) not in _PLAIN_METACLASSES for k in node.keywords
    )
    dynamic = dynamic or any(node.lineno <= line <= end for line in dynamic_lines)
    # Only calls on the first parameter of the class's own methods, outside nested classes.
    methods: list[tuple[int, int, str]] = []
    for item in node.body:
        if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
            params = [*item.args.posonlyargs, *item.args.args]
            decorators = {_dotted(d) for d in item.decorator_list}
            if params and "staticmethod" not in decorators:
                methods.append((item.lineno, item.end_lineno or item.lineno, params[0].arg))
    starts = [m[0] for m in methods]
    calls: list[tuple[str, int, int, str]] = []
    for call in calls_in:
        line = call.lineno
        func = call.func
        at = bisect.bisect_right(starts, line) - 1
        if at < 0 or line > methods[at][1] or line in nested:
            continue
        assert isinstance(func, ast.Attribute)
        assert isinstance(func.value, ast.Name)
        if func.value.id == methods[at][2]:
            calls.append((func.attr, line, func.col_offset + 1, text(line)))
    return ClassFacts(
        name=node.name,
        line=node.lineno,
        bases=tuple(_dotted(b) for b in node.bases),
        dynamic=dynamic,
        members=frozenset(body.names),
        calls=tuple(calls),
    )


#: Class decorators that add only dunders and data: a class's own methods stay all there is.
_FIXED_DECORATORS = frozenset(
    {"dataclass", "dataclasses.dataclass", "total_ordering", "functools.total_ordering"}
    | {"final", "typing.final", "unique", "enum.unique"}
)


def _adds_no_callables(decorator: ast.expr) -> bool:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    return _dotted(target) in _FIXED_DECORATORS


def facts_of_file(path: Path) -> FileFacts | None:
    """Facts of a file no worker summarised (a cache hit, a file outside the target)."""
    read = _read(path)
    if read is None:
        return None
    source, tree = read
    return collect_facts(tree, index_tree(tree), source, source.splitlines())


# --- the project's own modules ---------------------------------------------------------------


def source_roots(root: Path) -> list[Path]:
    """Directories the project's top-level packages live in: flat, src and package_dir."""
    roots = [root]
    declared: list[str] = []
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        try:
            data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError):
            data = {}
        setuptools = data.get("tool", {}).get("setuptools", {})
        package_dir = setuptools.get("package-dir", {})
        if isinstance(package_dir, dict) and isinstance(package_dir.get(""), str):
            declared.append(package_dir[""])
        find = setuptools.get("packages", {})
        if isinstance(find, dict):
            where = find.get("find", {}).get("where", [])
            declared.extend(w for w in where if isinstance(w, str))
    setup_cfg = root / "setup.cfg"
    if setup_cfg.is_file():
        parser = configparser.ConfigParser()
        try:
            parser.read(setup_cfg, encoding="utf-8")
            value = parser.get("options", "package_dir", fallback="")
        except (configparser.Error, UnicodeDecodeError):
            value = ""
        for line in value.replace(";", "\n").splitlines():
            key, _, target = line.partition("=")
            if key.strip() == "" and target.strip():
                declared.append(target.strip())
    for name in ["src", *declared]:
        candidate = (root / name).resolve()
        if candidate.is_dir() and candidate not in roots and candidate.is_relative_to(root):
            roots.append(candidate)
    return roots


@dataclass(frozen=True, slots=True)
class _Module:
    """A project module: its file (None for a namespace package) and package directory."""

    file: Path | None
    #: The directory of its submodules; None for a plain module.
    directory: Path | None
    #: Compiled or generated: its names cannot be read.
    opaque: bool = False


def _module_at(base: Path) -> _Module | None:
    for suffix in (".py", ".pyi"):
        if base.with_suffix(suffix).is_file():
            return _Module(base.with_suffix(suffix), None)
    if base.is_dir():
        for init in ("__init__.py", "__init__.pyi"):
            if (base / init).is_file():
                return _Module(base / init, base)
        return _Module(None, base)
    parent = base.parent
    if parent.is_dir() and (
        any(parent.glob(base.name + ".*.so"))
        or any(parent.glob(base.name + ".*.pyd"))
        or (parent / (base.name + ".pyx")).is_file()
        or (parent / (base.name + ".so")).is_file()
    ):
        return _Module(None, None, opaque=True)
    return None


class ProjectModules:
    """The project's own modules, located on disk the way the import system would."""

    def __init__(self, root: Path, env_paths: tuple[str, ...]) -> None:
        self.roots = source_roots(root)
        rooted = {str(r) for r in self.roots}
        self.env_paths = tuple(p for p in env_paths if str(Path(p).resolve()) not in rooted)
        self._tops: dict[str, Path | None] = {}

    def top(self, name: str) -> Path | None:
        """The source root holding top-level package ``name`` when it is the project's."""
        if name in self._tops:
            return self._tops[name]
        found: Path | None = None
        if name.isidentifier() and name not in STDLIB:
            for root in self.roots:
                module = _module_at(root / name)
                if module is None or module.opaque:
                    continue
                # A bare directory shadows nothing installed: it is only a namespace package
                # when no installed distribution provides the name.
                if module.file is None and module_exists(name, self.env_paths):
                    continue
                found = root
                break
        self._tops[name] = found
        return found

    def dotted(self, location: Path) -> str | None:
        """The dotted name of the module at ``location`` (without suffix), if under a root."""
        for root in reversed(self.roots):
            if location.is_relative_to(root) and location != root:
                parts = location.relative_to(root).parts
                if all(p.isidentifier() for p in parts):
                    return ".".join(parts)
        return None

    def find(self, dotted: str) -> _Module | None:
        root = self.top(dotted.split(".")[0])
        return None if root is None else _module_at(root.joinpath(*dotted.split(".")))


# --- stdlib classes, from typeshed ----------------------------------------------------------


@lru_cache(maxsize=512)
def _stub_tree(module: str) -> ast.Module | None:
    path = _stub_path(module, (), True)
    read = _read(path) if path is not None else None
    return read[1] if read is not None else None


def _class_defs(body: list[ast.stmt], name: str) -> list[ast.ClassDef]:
    found: list[ast.ClassDef] = []
    for node in body:
        if isinstance(node, ast.ClassDef) and node.name == name:
            found.append(node)
        elif isinstance(node, ast.If):
            found += _class_defs(node.body, name) + _class_defs(node.orelse, name)
    return found


@lru_cache(maxsize=2048)
def stdlib_class_members(module: str, name: str, depth: int = 0) -> frozenset[str] | None:
    """Every member typeshed gives class ``module.name`` and its bases; None if unknown."""
    tree = _stub_tree(module)
    if tree is None or depth > _MAX_DEPTH:
        return None
    defs = _class_defs(tree.body, name)
    bindings = _Bindings(module, stub=True)
    bindings.collect(tree.body)
    if not defs:
        targets = bindings.aliases.get(name, set())
        if len(targets) != 1:
            return None
        target = next(iter(targets))
        parent, _, last = target.rpartition(".")
        return stdlib_class_members(parent, last, depth + 1) if parent else None
    members: set[str] = set()
    is_object = module == "builtins" and name == "object"
    for node in defs:
        body = _Bindings(module, stub=True)
        body.collect(node.body)
        # ``object.__getattribute__`` is the ordinary lookup; anywhere else it is dynamic.
        if not is_object and body.names & _DYNAMIC_MEMBERS:
            return None
        members |= body.names
        for base in node.bases:
            dotted = _dotted(base)
            if dotted in _TYPING_BASES:
                continue
            inherited = _stdlib_base(module, dotted, bindings, depth)
            if inherited is None:
                return None
            members |= inherited
    if not is_object:
        object_members = stdlib_class_members("builtins", "object", depth + 1)
        if object_members is None:
            return None
        members |= object_members | {_PRIVATE_UNKNOWN}
    return frozenset(members)


def _stdlib_base(
    module: str, dotted: str | None, bindings: _Bindings, depth: int
) -> frozenset[str] | None:
    if dotted is None:
        return None
    head, _, rest = dotted.partition(".")
    if not rest:
        targets = bindings.aliases.get(head)
        if targets is None:
            tree = _stub_tree(module)
            local = tree is not None and bool(_class_defs(tree.body, head))
            return stdlib_class_members(module if local else "builtins", head, depth + 1)
        if len(targets) != 1:
            return None
        parent, _, last = next(iter(targets)).rpartition(".")
        return stdlib_class_members(parent, last, depth + 1) if parent else None
    targets = bindings.aliases.get(head, {head})
    if len(targets) != 1:
        return None
    full = f"{next(iter(targets))}.{rest}"
    parent, _, last = full.rpartition(".")
    return stdlib_class_members(parent, last, depth + 1)


# --- the project-wide pass -------------------------------------------------------------------


class _Project:
    def __init__(
        self,
        root: Path,
        facts: Mapping[Path, FileFacts],
        env_paths: tuple[str, ...],
    ) -> None:
        self.modules = ProjectModules(root, env_paths)
        self.env_paths = env_paths
        self.facts: dict[Path, FileFacts | None] = dict(facts)
        self.stored: set[str] = set()
        for file_facts in facts.values():
            self.stored |= file_facts.stored_attributes
        self._names: dict[Path, tuple[frozenset[str], bool] | None] = {}
        self._members: dict[tuple[Path, str], frozenset[str] | None] = {}
        self._children: dict[str, list[tuple[Path, ClassFacts]]] | None = None
        self._everywhere: set[str] = set()
        self._inherited_added = False

    def facts_of(self, path: Path) -> FileFacts | None:
        if path not in self.facts:
            self.facts[path] = facts_of_file(path)
        return self.facts[path]

    # modules and names

    def resolve(self, file: Path, level: int, module: str) -> tuple[str, _Module | None] | None:
        """The module an import in ``file`` names, or None when it is not the project's."""
        if level == 0:
            parts = module.split(".")
            found = self.modules.top(parts[0])
            # A file inside another copy of the package (a sample project, a fragment kept
            # as test data, a vendored tree) imports that copy, which may be incomplete on
            # purpose: not judged.
            if parts[0] in file.parts[:-1]:
                for ancestor in file.parents:
                    if ancestor.name == parts[0] and ancestor.parent != found:
                        return None
                    if ancestor == self.modules.roots[0]:
                        break
            if found is None:
                return None
            return module, self.modules.find(module)
        base = file.parent
        for _ in range(level - 1):
            base = base.parent
        target = base.joinpath(*module.split(".")) if module else base
        label = self.modules.dotted(target) or "." * level + module
        if not module:
            return label, _module_at(base) or _Module(None, base)
        return label, _module_at(target)

    def names(self, path: Path, depth: int = 0) -> tuple[frozenset[str], bool] | None:
        """The names a star-import of the module at ``path`` brings, and whether that is all."""
        if path in self._names:
            return self._names[path]
        self._names[path] = None  # a cycle of star-imports: unknown while it is resolved
        facts = self.facts_of(path)
        if facts is None or depth > _MAX_DEPTH:
            return None
        names = set(facts.exported)
        complete = not facts.dynamic
        for level, module in facts.stars:
            found = self._star(path, level, module, depth)
            if found is None:
                complete = False
                continue
            names |= found[0]
            complete = complete and found[1]
        result = (frozenset(names), complete)
        self._names[path] = result
        return result

    def _star(
        self, path: Path, level: int, module: str, depth: int
    ) -> tuple[frozenset[str], bool] | None:
        resolved = self.resolve(path, level, module)
        if resolved is None:
            return module_names(module, self.env_paths) if level == 0 else None
        target = resolved[1]
        if target is None or target.file is None:
            return None
        return self.names(target.file, depth + 1)

    def defines(self, module: _Module, name: str) -> tuple[bool, list[str]]:
        """Whether ``module`` has ``name`` (True when unknown), and what it is known to have."""
        if module.opaque:
            return True, []
        if module.directory is not None and _module_at(module.directory / name) is not None:
            return True, []
        submodules = _submodules(module.directory) if module.directory else []
        if module.file is None:
            return False, submodules
        facts = self.facts_of(module.file)
        if facts is None:
            return True, []
        if name in facts.names or facts.dynamic:
            return True, []
        for level, star in facts.stars:
            found = self._star(module.file, level, star, 0)
            if found is None or not found[1] or name in found[0]:
                return True, []
        return False, sorted(facts.names | set(submodules))

    # classes

    def defined_elsewhere(self, path: Path, name: str, member: str) -> bool:
        """Whether ``member`` may reach ``name``'s instances from outside its own hierarchy.

        A mixin calls what its host class defines; hosts are found by base name (a superset
        of the real subclasses), and classes built at run time (``type(name, bases, ns)``)
        are covered by every member any class of the project has or inherits.
        """
        if self._children is None:
            self._children = {}
            self._everywhere = set(self.stored)
            for file, facts in list(self.facts.items()):
                if facts is None:
                    continue
                for cls in facts.classes:
                    self._everywhere |= cls.members
                    for base in cls.bases:
                        if base is not None:
                            last = base.rpartition(".")[2]
                            self._children.setdefault(last, []).append((file, cls))
        if member in self._everywhere:
            return True
        if not self._inherited_added:
            # Members every class inherits (``assertEqual`` from TestCase): resolving every
            # hierarchy costs more than the rest of the pass, so only when still needed.
            self._inherited_added = True
            for file, facts in list(self.facts.items()):
                for cls in facts.classes if facts is not None else ():
                    known = self.class_members(file, cls.name)
                    if known is not None:
                        self._everywhere |= known
            if member in self._everywhere:
                return True
        seen: set[str] = set()
        stack = [name]
        while stack:
            current = stack.pop()
            if current in seen:
                continue
            seen.add(current)
            for file, child in self._children.get(current, []):
                members = self.class_members(file, child.name)
                if members is None or member in members:
                    return True
                if member.startswith("_") and _PRIVATE_UNKNOWN in members:
                    return True
                stack.append(child.name)
        return False

    def class_members(self, path: Path, name: str, depth: int = 0) -> frozenset[str] | None:
        key = (path, name)
        if key in self._members:
            return self._members[key]
        self._members[key] = None
        facts = self.facts_of(path)
        found: frozenset[str] | None = None
        if facts is not None and depth <= _MAX_DEPTH:
            matches = [c for c in facts.classes if c.name == name]
            rebound = sum(1 for i in facts.imports if i[0] == name)
            if len(matches) == 1 and not rebound:
                found = self._mro_members(path, facts, matches[0], depth)
            elif not matches and rebound == 1:
                found = self._imported_class(path, facts, name, depth)
        self._members[key] = found
        return found

    def _mro_members(
        self, path: Path, facts: FileFacts, cls: ClassFacts, depth: int
    ) -> frozenset[str] | None:
        if cls.dynamic or cls.members & _DYNAMIC_MEMBERS:
            return None
        members = set(cls.members)
        bases = [b for b in cls.bases if b not in _TYPING_BASES] or ["object"]
        for base in bases:
            inherited = self._base_members(path, facts, base, depth)
            if inherited is None:
                return None
            members |= inherited
        return frozenset(members)

    def _base_members(
        self, path: Path, facts: FileFacts, base: str | None, depth: int
    ) -> frozenset[str] | None:
        if base is None:
            return None
        head, _, rest = base.partition(".")
        bound = [i for i in facts.imports if i[0] == head]
        local = [c for c in facts.classes if c.name == head]
        if not rest:
            if local:
                return self.class_members(path, head, depth + 1)
            if len(bound) == 1:
                return self._imported_class(path, facts, head, depth)
            if not bound and head not in facts.names:
                return stdlib_class_members("builtins", head)
            return None
        if len(bound) != 1:
            return None
        _, level, module, imported = bound[0]
        dotted = module if imported is None else (f"{module}.{imported}" if module else imported)
        full = f"{dotted}.{rest}"
        parent, _, last = full.rpartition(".")
        return self._class_in(path, level, parent, last, depth)

    def _imported_class(
        self, path: Path, facts: FileFacts, name: str, depth: int
    ) -> frozenset[str] | None:
        bound = [i for i in facts.imports if i[0] == name]
        if len(bound) != 1 or bound[0][3] is None:
            return None
        _, level, module, imported = bound[0]
        assert imported is not None
        return self._class_in(path, level, module, imported, depth)

    def _class_in(
        self, path: Path, level: int, module: str, name: str, depth: int
    ) -> frozenset[str] | None:
        resolved = self.resolve(path, level, module)
        if resolved is None:
            if level == 0 and module.split(".")[0] in STDLIB:
                return stdlib_class_members(module, name)
            return None
        target = resolved[1]
        if target is None or target.file is None:
            return None
        return self.class_members(target.file, name, depth + 1)


def _submodules(directory: Path) -> list[str]:
    try:
        entries = list(directory.iterdir())
    except OSError:
        return []
    out = []
    for entry in entries:
        stem = entry.name.split(".")[0]
        if entry.name.startswith(("_", ".")) or not stem.isidentifier():
            continue
        if entry.suffix in (".py", ".pyi") or (entry.is_dir() and any(entry.glob("*.py"))):
            out.append(stem)
    return sorted(set(out))


def _severity(guard: str | None) -> Severity:
    if guard == OPTIONAL:
        return Severity.LOW
    if guard == CONDITIONAL:
        return Severity.MEDIUM
    return Severity.HIGH


def _known(names: Iterable[str], wanted: str) -> str:
    public = sorted(n for n in set(names) if not n.startswith(("_", "<")))
    if not public:
        return "defines nothing public"
    close = difflib.get_close_matches(wanted, public, n=3)
    rest = [n for n in public if n not in close]
    shown = close + rest[: max(0, 8 - len(close))]
    more = len(public) - len(shown)
    return "defined: " + ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def check_project(
    root: Path,
    files: Mapping[Path, str],
    facts: Mapping[Path, FileFacts],
    env_paths: tuple[str, ...],
) -> list[Finding]:
    """Findings of invented project modules, names and methods in ``files`` (path -> display)."""
    project = _Project(root, facts, env_paths)
    # Files answered from the results cache were not summarised by a worker, yet the members
    # they store on instances and the classes they define decide other files' findings.
    for path in files:
        if path not in facts:
            loaded = project.facts_of(path)
            if loaded is not None:
                project.stored |= loaded.stored_attributes
    findings: list[Finding] = []
    for path, display in files.items():
        file_facts = project.facts_of(path)
        if file_facts is None:
            continue
        found = _check_imports(project, path, display, file_facts)
        found += _check_module_uses(project, path, display, file_facts)
        found += _check_methods(project, path, display, file_facts)
        found += _check_arguments(project, path, display, file_facts)
        findings += down_rank(found, display)
    return findings


def _check_imports(project: _Project, path: Path, display: str, facts: FileFacts) -> list[Finding]:
    out: list[Finding] = []
    reported: set[tuple[int, str]] = set()
    for claim in facts.claims:
        if (claim.line, claim.module) in reported:
            continue  # ``from missing import a, b``: one finding for the module
        resolved = project.resolve(path, claim.level, claim.module)
        if resolved is None:
            continue
        label, module = resolved
        severity = _severity(claim.guard)
        if module is None:
            # A missing relative module is reported by the import check already.
            if claim.level == 0 and not _bound_by_ancestor(project, path, claim.module):
                reported.add((claim.line, claim.module))
                out.append(
                    Finding(
                        Check.IMPORTS,
                        MISSING_MODULE,
                        severity,
                        _missing_module_message(project, path, claim.module),
                        display,
                        claim.line,
                        claim.column,
                        claim.text,
                    )
                )
            continue
        if claim.name is None:
            continue
        present, known = project.defines(module, claim.name)
        if present:
            continue
        out.append(
            Finding(
                Check.NAMES,
                MISSING_NAME,
                severity,
                f"`{label}` has no name `{claim.name}` ({_known(known, claim.name)})",
                display,
                claim.line,
                claim.column,
                claim.text,
            )
        )
    return out


def _check_module_uses(
    project: _Project, path: Path, display: str, facts: FileFacts
) -> list[Finding]:
    """``pricing.calculate_totals(...)`` where the project's ``pricing`` has no such name."""
    out: list[Finding] = []
    if path.suffix == ".pyi":
        return out  # a stub names what the module's own stub declares, not its source
    bindings = {bound: (level, module, name) for bound, level, module, name in facts.imports}
    for bound, attr, line, column, text, guard in facts.uses:
        if bound not in bindings or attr in project.stored or attr.startswith("__"):
            continue
        level, module, name = bindings[bound]
        dotted = module if name is None else (f"{module}.{name}" if module else name)
        resolved = project.resolve(path, level, dotted)
        # Only a module of the project is judged: an imported class or function has members
        # this pass does not know.
        if resolved is None or resolved[1] is None:
            continue
        label, target = resolved[0], resolved[1]
        present, known = project.defines(target, attr)
        if present:
            continue
        out.append(
            Finding(
                Check.NAMES,
                MISSING_NAME,
                _severity(guard),
                f"`{label}` has no name `{attr}` ({_known(known, attr)})",
                display,
                line,
                column,
                text,
            )
        )
    return out


def _find(project: _Project, file: Path, dotted: str) -> _Module | None:
    resolved = project.resolve(file, 0, dotted)
    return resolved[1] if resolved is not None else None


def _bound_by_ancestor(project: _Project, file: Path, dotted: str) -> bool:
    """``pkg.sub`` has no file, but ``pkg`` binds ``sub`` (``six.moves``) or is dynamic."""
    parts = dotted.split(".")
    for cut in range(1, len(parts)):
        ancestor = _find(project, file, ".".join(parts[:cut]))
        facts = project.facts_of(ancestor.file) if ancestor and ancestor.file else None
        if facts is not None and facts.registers_modules:
            return True
    for cut in range(len(parts) - 1, 0, -1):
        ancestor = _find(project, file, ".".join(parts[:cut]))
        if ancestor is None:
            continue
        present, _ = project.defines(ancestor, parts[cut])
        return present
    return False


def _missing_module_message(project: _Project, file: Path, dotted: str) -> str:
    parts = dotted.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        parent = ".".join(parts[:cut])
        module = _find(project, file, parent)
        if module is not None and module.directory is not None:
            subs = _submodules(module.directory)
            have = ", ".join(subs[:10]) if subs else "no submodules"
            return (
                f"`{dotted}` is not a module of the project: package `{parent}` has no "
                f"`{parts[cut]}` (its modules: {have})"
            )
        if module is not None:
            return f"`{dotted}` is not a module of the project: `{parent}` is not a package"
    return f"`{dotted}` is not a module of the project"


def _check_methods(project: _Project, path: Path, display: str, facts: FileFacts) -> list[Finding]:
    out = _check_instance_calls(project, path, display, facts)
    for cls in facts.classes:
        pending = [
            c
            for c in cls.calls
            if c[0] not in cls.members
            and c[0] not in project.stored
            and not (c[0].startswith("__") and not c[0].endswith("__"))
            # ``self.BytesIO()``: a class put on the test case or the instance by its owner.
            and not c[0][:1].isupper()
        ]
        if not pending or _OPEN_CLASS.search(cls.name):
            continue
        members = project.class_members(path, cls.name)
        if members is None:
            continue
        for name, line, column, text in pending:
            if name in members or (name.startswith("_") and _PRIVATE_UNKNOWN in members):
                continue
            if project.defined_elsewhere(path, cls.name, name):
                continue
            out.append(
                Finding(
                    Check.NAMES,
                    UNDEFINED_METHOD,
                    Severity.HIGH,
                    f"no class in the hierarchy of `{cls.name}` defines `{name}` "
                    f"({_known(members, name)})",
                    display,
                    line,
                    column,
                    text,
                )
            )
    return out


def _check_instance_calls(
    project: _Project, path: Path, display: str, facts: FileFacts
) -> list[Finding]:
    """``job = ReportJob(...); job.run_now()`` where no class of ``ReportJob``'s MRO has it."""
    out: list[Finding] = []
    for cls_name, name, line, column, text in facts.instance_calls:
        if (
            name in project.stored
            or name[:1].isupper()
            or (name.startswith("__") and not name.endswith("__"))
        ):
            continue
        if not _project_class(project, path, facts, cls_name):
            continue
        members = project.class_members(path, cls_name)
        if members is None or name in members:
            continue
        if name.startswith("_") and _PRIVATE_UNKNOWN in members:
            continue
        out.append(
            Finding(
                Check.NAMES,
                UNDEFINED_METHOD,
                Severity.HIGH,
                f"no class in the hierarchy of `{cls_name}` defines `{name}`, called on an "
                f"instance of it ({_known(members, name)})",
                display,
                line,
                column,
                text,
            )
        )
    return out


def _project_class(project: _Project, path: Path, facts: FileFacts, name: str) -> bool:
    """Whether ``name`` is a class of the project's own source (stubs of others may be partial)."""
    if any(c.name == name for c in facts.classes):
        return True
    bound = [i for i in facts.imports if i[0] == name]
    if len(bound) != 1 or bound[0][3] is None:
        return False
    _, level, module, _ = bound[0]
    resolved = project.resolve(path, level, module)
    return resolved is not None and resolved[1] is not None and resolved[1].file is not None


def _check_arguments(
    project: _Project, path: Path, display: str, facts: FileFacts
) -> list[Finding]:
    """A call of a project function or class with a keyword or more arguments than it takes."""
    out: list[Finding] = []
    if not facts.name_calls:
        return out
    for name, count, keywords, line, column, text in facts.name_calls:
        found = _signature(project, path, facts, name, 0)
        if found is None:
            continue
        label, signature = found
        problem = None
        unknown = [k for k in keywords if k not in signature.keywords]
        if unknown and not signature.varkw:
            takes = ", ".join(signature.keywords) or "none"
            problem = f"no parameter `{unknown[0]}` (keywords it takes: {takes})"
        elif count > len(signature.positional) and not signature.varargs:
            problem = f"{count} positional arguments given, it takes {len(signature.positional)}"
        if problem is None:
            continue
        out.append(
            Finding(
                Check.NAMES,
                UNEXPECTED_ARGUMENT,
                Severity.HIGH,
                f"`{label}` is called with arguments its definition does not accept: {problem}",
                display,
                line,
                column,
                text,
            )
        )
    return out


def _signature(
    project: _Project, path: Path, facts: FileFacts, name: str, depth: int
) -> tuple[str, Signature] | None:
    """The signature ``name`` has where the file imports it from, through re-exports."""
    bound = [i for i in facts.imports if i[0] == name]
    if len(bound) != 1 or bound[0][3] is None or depth > 3:
        return None
    _, level, module, imported = bound[0]
    assert imported is not None
    resolved = project.resolve(path, level, module)
    if resolved is None or resolved[1] is None or resolved[1].file is None:
        return None
    target = resolved[1].file
    target_facts = project.facts_of(target)
    if target_facts is None or target_facts.dynamic:
        return None
    for defined, signature in target_facts.signatures:
        if defined == imported:
            return f"{resolved[0]}.{imported}", signature
    return _signature(project, target, target_facts, imported, depth + 1)
