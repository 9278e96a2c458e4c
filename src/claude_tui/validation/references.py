"""Invented dependencies and names.

Imports must resolve to the standard library, the project's environment, the project's own
modules, or a dependency it declares; otherwise the package is most likely invented. Names
taken from an imported module (``from m import name``, ``m.name``, ``m.sub.name``) must exist
in it, as its stub and its source say (:mod:`.moduleapi`): nothing is ever imported or
executed. Undefined names inside a file are ruff's F-codes (see :mod:`.ruff_names`).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

from claude_tui.validation.gostd import check_go_members
from claude_tui.validation.languages import Language
from claude_tui.validation.model import Check, Finding, Severity
from claude_tui.validation.moduleapi import STDLIB as _STDLIB
from claude_tui.validation.moduleapi import ModuleApi, Presence, module_api, module_exists
from claude_tui.validation.moduleapi import dynamic_namespace as dynamic_namespace
from claude_tui.validation.placeholders import path_context
from claude_tui.validation.project import IMPORT_ALIASES, NODE_BUILTINS, ProjectContext
from claude_tui.validation.pyindex import (
    OPTIONAL,
    PLATFORM,
    SHIELDED,
    TYPING,
    PyIndex,
    index_tree,
)

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
    ambiguous: set[str] = set()

    def text(line: int) -> str:
        return lines[line - 1].strip() if 0 < line <= len(lines) else ""

    def add(node: ast.AST, check: Check, rule: str, severity: Severity, message: str) -> None:
        line = getattr(node, "lineno", 1)
        column = getattr(node, "col_offset", 0) + 1
        findings.append(Finding(check, rule, severity, message, path, line, column, text(line)))

    def resolve(module: str, guard: str | None) -> str | None:
        top = module.split(".")[0]
        if top in _STDLIB or top == "__future__":
            return "stdlib"
        if top == "_typeshed" and guard == TYPING:
            # typeshed's helper types: a stub-only module, importable by type checkers alone.
            return "typing"
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
                where = resolve(alias.name, guard)
                if where is None:
                    _unresolved(add, node, alias.name, guard, context, path)
                elif where in ("stdlib", "installed"):
                    if "." in alias.name and not _submodule_exists(alias.name, paths):
                        if not context.declares_python_module(alias.name):
                            _unresolved(add, node, alias.name, guard, context, path)
                        continue
                    bound = alias.asname or alias.name.split(".")[0]
                    target = alias.name if alias.asname else bound
                    # ``try: import posix`` / ``except ImportError: import nt as posix``: the
                    # name is one of several modules, which one depends on the platform.
                    if module_aliases.setdefault(bound, target) != target:
                        ambiguous.add(bound)
            continue
        if node.level:
            _check_relative(add, node, file_path)
            continue
        module = node.module or ""
        where = resolve(module, guard)
        if where is None:
            _unresolved(add, node, module, guard, context, path)
            continue
        if where not in ("stdlib", "installed"):
            continue
        if not _submodule_exists(module, paths):
            if not context.declares_python_module(module):
                _unresolved(add, node, module, guard, context, path)
            continue
        api = module_api(module, paths)
        for alias in node.names:
            if alias.name == "*":
                continue
            presence = api.lookup(alias.name)
            if presence in (Presence.PRESENT, Presence.UNKNOWN):
                continue
            if context.declares_python_module(f"{module}.{alias.name}"):
                # A submodule of a namespace package, installed by a declared distribution.
                continue
            add(
                node,
                Check.NAMES,
                "names.missing-import-name",
                _name_severity(api, presence, guard),
                f"`{alias.name}` does not exist in module `{module}`",
            )
    for bound in ambiguous:
        del module_aliases[bound]
    if module_aliases:
        _attribute_findings(index, module_aliases, paths, add)
    return findings


def _submodule_exists(module: str, paths: tuple[str, ...]) -> bool:
    if module_exists(module, paths):
        return True
    # ``os.path`` is an attribute bound by ``os`` and registered in sys.modules at import.
    parent, _, last = module.rpartition(".")
    return module_api(parent, paths).lookup(last) is not Presence.MISSING


def _name_severity(api: ModuleApi, presence: Presence, guard: str | None) -> Severity:
    if guard in _EXPECTED_MISSING:
        return Severity.LOW
    if api.extension or api.partial or not api.found or guard is not None:
        # Compiled modules differ by platform and build, a module without a file here exists
        # on another platform, and a guarded use may be deliberate.
        return Severity.MEDIUM
    if presence is Presence.MISSING_FROM_STUB and not api.stdlib:
        # Only a stub says so, and only typeshed's are complete for public names.
        return Severity.MEDIUM
    return Severity.HIGH


#: Roots of modules that exist only on other Python runtimes (Jython, IronPython, Pyodide).
_OTHER_RUNTIMES = frozenset({"java", "javax", "org", "clr", "System", "js", "pyodide"})


#: Guards under which the code itself expects an import may fail, and why.
_EXPECTED_MISSING = {
    OPTIONAL: "guarded by an ImportError handler or an availability flag",
    PLATFORM: "imported behind a platform or version check",
    TYPING: "imported only for type checking",
}


def _unresolved(
    add: Any, node: ast.AST, module: str, guard: str | None, context: ProjectContext, path: str
) -> None:
    if module.split(".")[0] in _OTHER_RUNTIMES:
        add(
            node,
            Check.IMPORTS,
            "imports.other-runtime",
            Severity.LOW,
            f"`{module}` exists only on another Python runtime",
        )
        return
    if guard in _EXPECTED_MISSING:
        add(
            node,
            Check.IMPORTS,
            "imports.optional-missing",
            Severity.LOW,
            f"optional import `{module}` is not available ({_EXPECTED_MISSING[guard]})",
        )
        return
    prefixed = context.prefixed_distribution(module.split(".")[0])
    if prefixed is not None:
        add(
            node,
            Check.IMPORTS,
            "imports.unverified",
            Severity.LOW,
            f"`{module}` is not installed; the declared distribution `{prefixed}` probably "
            "provides it (by its name), which cannot be checked without it installed",
        )
        return
    message = _unknown_module(module, context)
    where = path_context(path)
    if where is not None:
        # Tests and examples import what their runner installs or creates (test-only
        # dependencies, modules written by a fixture): down-ranked, still listed.
        add(node, Check.IMPORTS, "imports.unresolved", Severity.LOW, f"{message} (in {where})")
        return
    add(node, Check.IMPORTS, "imports.unresolved", Severity.HIGH, message)


def _unknown_module(module: str, context: ProjectContext) -> str:
    """What is known of an import that resolves nowhere, and nothing more."""
    top = module.split(".")[0]
    read = context.python_manifests
    manifests = " or ".join(read[:2]) or "any dependency manifest (none found)"
    if len(read) > 2:
        manifests += f" or {len(read) - 2} more requirement files"
    facts = f"`{module}` is not installed, not a module of the project, not declared in {manifests}"
    distribution = IMPORT_ALIASES.get(top)
    if distribution is not None:
        return f"{facts}; it comes from the distribution `{distribution}`, which is not declared"
    if top != module and top in _STDLIB:
        return f"{facts}; the standard library has `{top}` but no `{module}`"
    # No index metadata names it (only the known import-name aliases are held here).
    return f"{facts}; no known distribution provides it: the package may not exist"


_MODULE_SUFFIXES = (".py", ".pyi", ".pyx", ".so", ".pyd")


def _check_relative(add: Any, node: ast.ImportFrom, file_path: Path | None) -> None:
    if file_path is None:
        return
    base = file_path.parent
    for _ in range(node.level - 1):
        base = base.parent
    if not node.module:
        return
    target = base.joinpath(*node.module.split("."))
    # A compiled module's source (Cython .pyx, a C file named by setup.py) becomes the module
    # at build time; a built one carries an ABI tag (``name.cpython-312-x86_64-linux-gnu.so``).
    if target.is_dir() or any(
        target.with_name(target.name + suffix).is_file() for suffix in _MODULE_SUFFIXES
    ):
        return
    if any(target.parent.glob(target.name + ".*.so")) or any(
        target.parent.glob(target.name + ".*.pyd")
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
        # A name rebound anywhere in the file may not be the module any more; code behind a
        # platform check or expecting AttributeError knows the name may be missing.
        if module is None or bound in index.rebound or guard == SHIELDED:
            continue
        chain = _chain(node)
        for position, (attr, link) in enumerate(chain, start=1):
            if (module, attr) in seen:
                break
            api = module_api(module, paths)
            presence = api.lookup(attr)
            if presence is Presence.UNKNOWN:
                break
            if presence is not Presence.PRESENT:
                seen.add((module, attr))
                add(
                    link,
                    Check.NAMES,
                    "names.missing-attribute",
                    _name_severity(api, presence, guard),
                    f"module `{module}` has no attribute `{attr}`",
                )
                break
            # Only a chain that goes on needs to know whether the attribute is a module.
            submodule = api.submodule(attr) if position < len(chain) else None
            if submodule is None:
                seen.add((module, attr))
                break
            module = submodule


def _chain(node: ast.Attribute) -> list[tuple[str, ast.Attribute]]:
    """``a.b.c`` -> [("b", node of a.b), ("c", node of a.b.c)], innermost first."""
    links: list[tuple[str, ast.Attribute]] = []
    current: ast.expr = node
    while isinstance(current, ast.Attribute):
        links.append((current.attr, current))
        current = current.value
    links.reverse()
    return links


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
    if language is Language.GO:
        findings += check_go_members(path, tree, source, context)
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
        # A declaration file names the .js it describes; its types sit in a .d.ts beside.
        if base.suffix in (".js", ".mjs", ".cjs"):
            stem = base.with_suffix("")
            candidates += [Path(f"{stem}{ext}") for ext in (".d.ts", ".d.mts", ".d.cts")]
        if any(c.is_file() for c in candidates):
            return None
        return f"relative import {spec!r} points to no file of the project"
    if spec.startswith("node:") or spec.split("/")[0] in NODE_BUILTINS:
        return None
    if any(_ambient_match(spec, declared) for declared in context.ts_declared_modules):
        # Declared by the project (``declare module 'x'``): ambient, or augmenting a module
        # that a declared package's own types bring in.
        return None
    alias = _tsconfig_alias(spec, context, file_path)
    if alias is not None:
        return alias or None
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


def _ambient_match(spec: str, declared: str) -> bool:
    """``declare module 'x'`` names one module; ``'*.svg'`` or ``'virtual:*'`` a family."""
    prefix, star, suffix = declared.partition("*")
    if not star:
        return spec == declared
    return (
        len(spec) >= len(prefix) + len(suffix) and spec.startswith(prefix) and spec.endswith(suffix)
    )


def _ts_file(base: Path) -> bool:
    """Whether a module path without extension names a file, as TypeScript resolves it."""
    if base.is_file():
        return True
    candidates = [Path(str(base) + ext) for ext in _JS_EXTENSIONS[1:]]
    candidates += [base / f"index{ext}" for ext in _JS_EXTENSIONS[1:]]
    if base.suffix == ".js":
        candidates += [base.with_suffix(".ts"), base.with_suffix(".tsx")]
    return any(c.is_file() for c in candidates)


def _tsconfig_alias(spec: str, context: ProjectContext, file_path: Path | None) -> str | None:
    """None when no tsconfig alias applies; "" when one resolves; else the problem."""
    if file_path is None:
        return None
    here = file_path.resolve()
    best: tuple[int, str, tuple[str, ...]] | None = None
    for folder, pattern, targets in context.ts_paths:
        if not here.is_relative_to(Path(folder).resolve()):
            continue
        prefix, star, suffix = pattern.partition("*")
        if star:
            if not (spec.startswith(prefix) and spec.endswith(suffix)):
                continue
            if len(spec) < len(prefix) + len(suffix):
                continue
            hole = spec[len(prefix) : len(spec) - len(suffix)]
        elif spec != pattern:
            continue
        else:
            hole = ""
        # TypeScript picks the pattern with the longest prefix before the wildcard.
        if best is None or len(prefix) > best[0]:
            best = (len(prefix), pattern, tuple(t.replace("*", hole, 1) for t in targets))
    if best is not None:
        _, pattern, targets = best
        if any(_ts_file(Path(t)) for t in targets):
            return ""
        return (
            f"{spec!r} matches the tsconfig path alias {pattern!r}, but none of its targets "
            "is a file of the project"
        )
    for folder, base in context.ts_base_urls:
        if here.is_relative_to(Path(folder).resolve()) and _ts_file(Path(base) / spec):
            return ""
    return None


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
