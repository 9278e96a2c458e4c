"""Invented dependencies and names.

Imports must resolve to the standard library, the project's environment, the project's own
modules, or a dependency it declares; otherwise the package is most likely invented. Names
taken from an imported module (``from m import name``, ``m.name``) must exist in it: pure
Python modules are read statically (never executed), standard-library extension modules are
introspected. Undefined names inside a file are ruff's F-codes (see :mod:`.ruff_names`).
"""

from __future__ import annotations

import ast
import importlib
import importlib.machinery
import importlib.util
import re
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

from claude_tui.validation.languages import Language
from claude_tui.validation.model import Check, Finding, Severity
from claude_tui.validation.project import NODE_BUILTINS, ProjectContext
from claude_tui.validation.pyindex import OPTIONAL, PyIndex, index_tree

_STDLIB = frozenset(sys.stdlib_module_names) | frozenset(sys.builtin_module_names)
#: Module namespaces filled at run time cannot be known statically.
DYNAMIC_GLOBALS = re.compile(
    r"(?m)(globals|vars)\(\)\s*(\[[^\]]+\]\s*=[^=]|\.update\(|\.setdefault\()"
    r"|sys\.modules\[__name__\]\s*=|_convert_\(|global_enum|^\s*exec\("
)
_GLOBALS_ALIAS = re.compile(r"^\s*(\w+)\s*=\s*globals\(\)", re.MULTILINE)


def dynamic_namespace(source: str) -> bool:
    """True when a module adds names to its own namespace at run time."""
    if DYNAMIC_GLOBALS.search(source):
        return True
    # ``d = globals()`` then ``d[name] = ...`` or ``d.update(...)``
    return any(
        re.search(rf"\b{alias}\s*(\[[^\]]+\]\s*=[^=]|\.update\()", source)
        for alias in _GLOBALS_ALIAS.findall(source)
    )


_MODULE_DUNDERS = frozenset(
    {
        "__name__",
        "__file__",
        "__doc__",
        "__path__",
        "__spec__",
        "__loader__",
        "__package__",
        "__builtins__",
        "__dict__",
        "__all__",
        "__cached__",
        "__annotations__",
    }
)


# --- what a module exports -----------------------------------------------------------------


class _Exports:
    """Names a module defines; ``None`` when they cannot be known statically."""

    __slots__ = ("extension", "names", "partial")

    def __init__(
        self, names: frozenset[str] | None, extension: bool, partial: bool = False
    ) -> None:
        self.names = names
        self.extension = extension
        #: Some names come from a module that does not exist on this platform.
        self.partial = partial


@lru_cache(maxsize=4096)
def _find_spec(module: str, paths: tuple[str, ...]) -> importlib.machinery.ModuleSpec | None:
    if module in sys.builtin_module_names:
        return importlib.machinery.ModuleSpec(module, None, origin="built-in")
    parts = module.split(".")
    search: list[str] | None = list(paths)
    spec = None
    for part in parts:
        # The bare name, looked up in the parent's directories: a dotted name would make the
        # finder consult sys.modules for the parent of a namespace package.
        try:
            spec = importlib.machinery.PathFinder.find_spec(part, search)
        except (ImportError, ValueError, OSError, KeyError):
            return None
        if spec is None:
            return None
        search = list(spec.submodule_search_locations or [])
    return spec


def module_exists(module: str, paths: tuple[str, ...]) -> bool:
    """True when ``module`` (dotted) can be found on ``paths``."""
    return _find_spec(module, paths) is not None


@lru_cache(maxsize=4096)
def _exports(module: str, paths: tuple[str, ...], depth: int = 0) -> _Exports:
    spec = _find_spec(module, paths)
    if spec is None and depth <= 4 and module.split(".")[0] in _STDLIB and "." in module:
        # ``os.path`` is no file of its own: it is whatever module ``os`` bound to the name.
        try:
            real = importlib.import_module(module).__name__
        except Exception:  # noqa: BLE001 - a module that cannot load here is unknown
            return _Exports(None, extension=False)
        if real != module:
            return _exports(real, paths, depth + 1)
    if spec is None or depth > 4:
        return _Exports(None, extension=False)
    origin = spec.origin or ""
    if origin == "built-in" or origin.endswith((".so", ".pyd")):
        top = module.split(".")[0]
        if top not in _STDLIB:
            return _Exports(None, extension=True)
        try:
            loaded = importlib.import_module(module)
        except Exception:  # noqa: BLE001 - a module that cannot load here is unknown, not missing
            return _Exports(None, extension=True)
        return _Exports(frozenset(dir(loaded)), extension=True)
    if not origin.endswith((".py", ".pyi")):
        return _Exports(None, extension=False)
    try:
        source = Path(origin).read_text(encoding="utf-8")
        tree = ast.parse(source)
    except (OSError, SyntaxError, ValueError, UnicodeDecodeError):
        return _Exports(None, extension=False)
    if dynamic_namespace(source):
        return _Exports(None, extension=False)
    names: set[str] = set(_MODULE_DUNDERS)
    partial = False
    for star in _collect_bindings(tree.body, names):
        resolved = _resolve_relative(module, star, spec)
        if _find_spec(resolved, paths) is None:
            partial = True  # ``from nt import *`` on Linux
            continue
        sub = _exports(resolved, paths, depth + 1)
        if sub.names is None:
            return _Exports(None, extension=False)
        partial = partial or sub.partial or sub.extension
        names |= {n for n in sub.names if not n.startswith("_")}
    if "__getattr__" in names:
        return _Exports(None, extension=False)
    for node in ast.walk(tree):
        if isinstance(node, ast.Global):
            names.update(node.names)
    return _Exports(frozenset(names), extension=False, partial=partial)


def _resolve_relative(module: str, target: tuple[int, str], spec: Any) -> str:
    level, name = target
    if level == 0:
        return name
    package = module if spec.submodule_search_locations else module.rpartition(".")[0]
    for _ in range(level - 1):
        package = package.rpartition(".")[0]
    return f"{package}.{name}" if name else package


def _collect_bindings(body: list[ast.stmt], names: set[str]) -> list[tuple[int, str]]:
    """Add the names bound at module level to ``names``; return the star-import sources."""
    stars: list[tuple[int, str]] = []
    for node in body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                names.add(alias.asname or alias.name.split(".")[0])
        elif isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if alias.name == "*":
                    stars.append((node.level, node.module or ""))
                else:
                    names.add(alias.asname or alias.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                names.update(_target_names(target))
        elif isinstance(node, ast.For | ast.AsyncFor):
            names.update(_target_names(node.target))
        if isinstance(node, ast.If | ast.For | ast.AsyncFor | ast.While | ast.With | ast.AsyncWith):
            stars += _collect_bindings(node.body, names)
            stars += _collect_bindings(getattr(node, "orelse", []), names)
            if isinstance(node, ast.With | ast.AsyncWith):
                for item in node.items:
                    if item.optional_vars is not None:
                        names.update(_target_names(item.optional_vars))
        elif isinstance(node, ast.Try | ast.TryStar):
            for part in (node.body, node.orelse, node.finalbody):
                stars += _collect_bindings(part, names)
            for handler in node.handlers:
                if handler.name:
                    names.add(handler.name)
                stars += _collect_bindings(handler.body, names)
        elif isinstance(node, ast.Match):
            for case in node.cases:
                stars += _collect_bindings(case.body, names)
        if isinstance(node, ast.stmt) and not isinstance(
            node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
        ):
            for sub in ast.walk(node):
                if isinstance(sub, ast.NamedExpr):
                    names.update(_target_names(sub.target))
    return stars


def _target_names(target: ast.expr) -> set[str]:
    if isinstance(target, ast.Name):
        return {target.id}
    if isinstance(target, ast.Tuple | ast.List):
        out: set[str] = set()
        for elt in target.elts:
            out |= _target_names(elt)
        return out
    if isinstance(target, ast.Starred):
        return _target_names(target.value)
    return set()


# --- Python ---------------------------------------------------------------------------------


def check_python(
    path: str,
    tree: ast.Module,
    lines: list[str],
    context: ProjectContext,
    file_path: Path | None,
    index: PyIndex | None = None,
) -> list[Finding]:
    """Unresolvable imports and missing module attributes in a parsed Python file."""
    index = index or index_tree(tree)
    paths = context.python_paths
    findings: list[Finding] = []
    module_aliases: dict[str, str] = {}

    def text(line: int) -> str:
        return lines[line - 1].strip() if 0 < line <= len(lines) else ""

    def add(node: ast.AST, check: Check, rule: str, severity: Severity, message: str) -> None:
        line = getattr(node, "lineno", 1)
        column = getattr(node, "col_offset", 0) + 1
        findings.append(Finding(check, rule, severity, message, path, line, column, text(line)))

    def resolve(module: str) -> str | None:
        top = module.split(".")[0]
        if top in _STDLIB or top == "__future__":
            return "stdlib"
        if top in context.python_modules:
            return "project"
        if module_exists(top, paths):
            return "installed"
        if context.declares_python(top):
            return "declared"
        return None

    for node, guard in index.imports:
        if isinstance(node, ast.Import):
            for alias in node.names:
                where = resolve(alias.name)
                if where is None:
                    _unresolved(add, node, alias.name, guard)
                elif where in ("stdlib", "installed"):
                    if "." in alias.name and not _submodule_exists(alias.name, paths):
                        _unresolved(add, node, alias.name, guard)
                        continue
                    bound = alias.asname or alias.name.split(".")[0]
                    module_aliases[bound] = alias.name if alias.asname else bound
            continue
        if node.level:
            _check_relative(add, node, file_path)
            continue
        module = node.module or ""
        where = resolve(module)
        if where is None:
            _unresolved(add, node, module, guard)
            continue
        if where not in ("stdlib", "installed"):
            continue
        if not _submodule_exists(module, paths):
            _unresolved(add, node, module, guard)
            continue
        exports = _exports(module, paths)
        if exports.names is None:
            continue
        for alias in node.names:
            if alias.name == "*" or alias.name in exports.names:
                continue
            if module_exists(f"{module}.{alias.name}", paths):
                continue
            add(
                node,
                Check.NAMES,
                "names.missing-import-name",
                _name_severity(exports, guard),
                f"`{alias.name}` does not exist in module `{module}`",
            )
    if module_aliases:
        _attribute_findings(index, module_aliases, paths, add)
    return findings


def _submodule_exists(module: str, paths: tuple[str, ...]) -> bool:
    if module_exists(module, paths):
        return True
    # ``os.path`` is an attribute bound by ``os`` and registered in sys.modules at import.
    parent, _, last = module.rpartition(".")
    names = _exports(parent, paths).names
    return names is None or last in names


def _name_severity(exports: _Exports, guard: str | None) -> Severity:
    if guard == OPTIONAL:
        return Severity.LOW
    if exports.extension or exports.partial or guard == "conditional":
        # Extension modules differ by platform and build; a guarded use may be deliberate.
        return Severity.MEDIUM
    return Severity.HIGH


#: Roots of modules that exist only on other Python runtimes (Jython, IronPython, Pyodide).
_OTHER_RUNTIMES = frozenset({"java", "javax", "org", "clr", "System", "js", "pyodide"})


def _unresolved(add: Any, node: ast.AST, module: str, guard: str | None) -> None:
    if module.split(".")[0] in _OTHER_RUNTIMES:
        add(
            node,
            Check.IMPORTS,
            "imports.other-runtime",
            Severity.LOW,
            f"`{module}` exists only on another Python runtime",
        )
        return
    if guard == OPTIONAL:
        add(
            node,
            Check.IMPORTS,
            "imports.optional-missing",
            Severity.LOW,
            f"optional import `{module}` is not available (guarded by an ImportError handler)",
        )
        return
    add(
        node,
        Check.IMPORTS,
        "imports.unresolved",
        Severity.HIGH,
        f"`{module}` is neither installed, part of the project, nor a declared dependency; "
        "the package may not exist",
    )


def _check_relative(add: Any, node: ast.ImportFrom, file_path: Path | None) -> None:
    if file_path is None:
        return
    base = file_path.parent
    for _ in range(node.level - 1):
        base = base.parent
    if not node.module:
        return
    target = base.joinpath(*node.module.split("."))
    if (
        target.with_suffix(".py").is_file()
        or target.with_suffix(".pyi").is_file()
        or target.is_dir()
        or any(target.parent.glob(target.name + ".*.so"))
    ):
        return
    add(
        node,
        Check.IMPORTS,
        "imports.unresolved-relative",
        Severity.HIGH,
        f"relative import `{'.' * node.level}{node.module}` points to no module of the project",
    )


def _attribute_findings(
    index: PyIndex, aliases: dict[str, str], paths: tuple[str, ...], add: Any
) -> None:
    seen: set[tuple[str, str]] = set()
    for node, bound, guard in index.attributes:
        module = aliases.get(bound)
        # A name rebound anywhere in the file may not be the module any more: leave it alone.
        if module is None or bound in index.rebound or (module, node.attr) in seen:
            continue
        seen.add((module, node.attr))
        exports = _exports(module, paths)
        if exports.names is None or node.attr in exports.names:
            continue
        if module_exists(f"{module}.{node.attr}", paths):
            continue
        add(
            node,
            Check.NAMES,
            "names.missing-attribute",
            _name_severity(exports, guard),
            f"module `{module}` has no attribute `{node.attr}`",
        )


# --- JavaScript / TypeScript / Go (tree-sitter) ----------------------------------------------

_JS_EXTENSIONS = (
    "",
    ".js",
    ".mjs",
    ".cjs",
    ".jsx",
    ".ts",
    ".tsx",
    ".mts",
    ".cts",
    ".json",
    ".d.ts",
)


def check_tree(
    path: str,
    tree: Any,
    source: bytes,
    language: Language,
    context: ProjectContext,
    file_path: Path | None,
) -> list[Finding]:
    """Unresolvable imports of a JavaScript, TypeScript or Go file."""
    lines = source.decode("utf-8", errors="replace").splitlines()
    findings: list[Finding] = []
    for node, spec in _import_specifiers(tree.root_node, language):
        if language is Language.GO:
            problem = _go_problem(spec, context)
        else:
            problem = _js_problem(spec, context, file_path)
        if problem is None:
            continue
        line = node.start_point[0] + 1
        findings.append(
            Finding(
                Check.IMPORTS,
                "imports.unresolved",
                Severity.HIGH,
                problem,
                path,
                line,
                node.start_point[1] + 1,
                lines[line - 1].strip() if line <= len(lines) else "",
            )
        )
    return findings


def _string_value(node: Any) -> str:
    raw: str = (node.text or b"").decode("utf-8", errors="replace")
    return raw.strip("'\"`")


def _import_specifiers(root: Any, language: Language) -> list[tuple[Any, str]]:
    out: list[tuple[Any, str]] = []
    stack = [root]
    while stack:
        node = stack.pop()
        kind = node.type
        if language is Language.GO:
            if kind == "import_spec":
                target = node.child_by_field_name("path")
                if target is not None:
                    out.append((node, _string_value(target)))
                continue
        elif kind in ("import_statement", "export_statement"):
            source = node.child_by_field_name("source")
            if source is not None:
                out.append((node, _string_value(source)))
                continue
        elif kind == "call_expression":
            callee = node.child_by_field_name("function")
            args = node.child_by_field_name("arguments")
            if (
                callee is not None
                and args is not None
                and (callee.type == "import" or callee.text == b"require")
                and args.named_child_count == 1
                and args.named_children[0].type == "string"
            ):
                out.append((node, _string_value(args.named_children[0])))
        stack.extend(reversed(node.children))
    return out


def _js_problem(spec: str, context: ProjectContext, file_path: Path | None) -> str | None:
    if spec.startswith((".", "/")):
        if file_path is None:
            return None
        base = (file_path.parent / spec) if spec.startswith(".") else Path(spec)
        candidates = [Path(str(base) + ext) for ext in _JS_EXTENSIONS]
        candidates += [base / f"index{ext}" for ext in _JS_EXTENSIONS[1:]]
        # TypeScript imports name the emitted .js file of a .ts source.
        if base.suffix == ".js":
            candidates.append(base.with_suffix(".ts"))
            candidates.append(base.with_suffix(".tsx"))
        if any(c.is_file() for c in candidates):
            return None
        return f"relative import {spec!r} points to no file of the project"
    if spec.startswith("node:") or spec.split("/")[0] in NODE_BUILTINS:
        return None
    if spec.startswith(("@/", "~/", "#", "virtual:")) or re.match(r"^[a-z]+:", spec):
        return None
    parts = spec.split("/")
    package = "/".join(parts[:2]) if spec.startswith("@") else parts[0]
    if package in context.node_dependencies:
        return None
    if (Path(context.root) / "node_modules" / package).is_dir():
        return None
    return (
        f"package {package!r} is neither installed (node_modules) nor declared in "
        "package.json; it may not exist"
    )


def _go_problem(spec: str, context: ProjectContext) -> str | None:
    first = spec.split("/")[0]
    if "." not in first:
        return None  # standard library
    if context.go_module and (
        spec == context.go_module or spec.startswith(context.go_module + "/")
    ):
        package_dir = Path(context.root, spec[len(context.go_module) :].lstrip("/"))
        if not context.root or package_dir.is_dir():
            return None
        return f"Go package {spec!r} would be in this module, but {package_dir} does not exist"
    for required in context.go_requires:
        if spec == required or spec.startswith(required + "/"):
            return None
    if (Path(context.root) / "vendor" / spec).is_dir():
        return None
    return (
        f"Go package {spec!r} is not in go.mod's requirements nor in this module; it may not exist"
    )
