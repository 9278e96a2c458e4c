"""What a module provides, read from its stub and its source: never by importing it.

Importing a module to list its names runs its code inside the validating process, and which
file a name imports from depends on that process's ``sys.path``: a workspace can plant a
module there. So modules are only located (path finders over explicit directories) and read:

- **stubs** — typeshed's for the standard library (bundled with ``typeshed_client``), and
  for installed packages a ``<name>-stubs`` distribution or ``.pyi`` files beside the code;
- **source** — ``.py`` files, parsed.

A stub is read first; the source only when the stub lacks a name (stubs omit what is not
public but exists at run time). Names a stub binds in any branch (``sys.platform``, version
checks) count as present. A module answers "unknown" when it can gain names at run time
(``__getattr__``, writes to ``globals()``, star-imports that cannot be resolved) or when it
is compiled code without a stub. Everything is parsed on first use and cached per process.
"""

from __future__ import annotations

import ast
import enum
import importlib.machinery
import re
import sys
import sysconfig
from functools import lru_cache
from pathlib import Path

from typeshed_client import finder

from claude_tui.validation.pyindex import walk

STDLIB = frozenset(sys.stdlib_module_names) | frozenset(sys.builtin_module_names)

#: Attributes every module object has, whatever its code.
MODULE_DUNDERS = frozenset(
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
        "__class__",
    }
)

#: Module namespaces filled at run time cannot be known statically.
DYNAMIC_GLOBALS = re.compile(
    r"(?m)(globals|vars)\(\)\s*(\[[^\]]+\]\s*=[^=]|\.update\(|\.setdefault\()"
    r"|sys\.modules\[__name__\]\s*=|_convert_\(|global_enum|^\s*exec\("
    # A lazy loader binds names on first access, from a table the source does not show.
    r"|(?i:\b(install|attach|enable|setup)_?lazy_?\w*\(|\blazy_?(import|load)\w*\.attach\()"
)
_GLOBALS_ALIAS = re.compile(r"^\s*(\w+)\s*=\s*globals\(\)", re.MULTILINE)
_MAX_DEPTH = 6


def dynamic_namespace(source: str) -> bool:
    """True when a module adds names to its own namespace at run time."""
    if DYNAMIC_GLOBALS.search(source):
        return True
    # ``d = globals()`` then ``d[name] = ...`` or ``d.update(...)``
    return any(
        re.search(rf"\b{alias}\s*(\[[^\]]+\]\s*=[^=]|\.update\()", source)
        for alias in _GLOBALS_ALIAS.findall(source)
    )


class Presence(enum.Enum):
    """What is known about one name of a module."""

    PRESENT = "present"
    #: Neither the stub nor the source defines it.
    MISSING = "missing"
    #: The stub does not define it and the source cannot tell (compiled, dynamic).
    MISSING_FROM_STUB = "missing-from-stub"
    UNKNOWN = "unknown"


class _Names:
    """Names one file binds at module level; ``names`` is None when they cannot be known."""

    __slots__ = ("aliases", "complete", "exported", "names", "partial")

    def __init__(
        self,
        names: frozenset[str] | None,
        aliases: dict[str, frozenset[str]] | None = None,
        partial: bool = False,
        exported: frozenset[str] = frozenset(),
        complete: bool = True,
    ) -> None:
        self.names = names
        #: False when the module can gain names at run time: ``names`` is a lower bound.
        self.complete = complete and names is not None
        #: name -> the modules it may be bound to (``import posixpath as path``).
        self.aliases = aliases or {}
        #: Some names come from a module that does not exist on this platform.
        self.partial = partial
        #: What a star-import of this module brings: ``__all__`` and the public names.
        self.exported = exported


_UNKNOWN = _Names(None)


# --- locating modules (no import) ------------------------------------------------------------


@lru_cache(maxsize=4096)
def find_spec(module: str, paths: tuple[str, ...]) -> importlib.machinery.ModuleSpec | None:
    """Where ``module`` (dotted) lives on ``paths``, found without importing anything."""
    if module in sys.builtin_module_names:
        return importlib.machinery.ModuleSpec(module, None, origin="built-in")
    search: list[str] | None = list(paths)
    spec = None
    for part in module.split("."):
        # The bare name, looked up in the parent's directories: a dotted name would make the
        # finder import the parent package.
        try:
            spec = importlib.machinery.PathFinder.find_spec(part, search)
        except (ImportError, ValueError, OSError, KeyError):
            return None
        if spec is None:
            return None
        search = list(spec.submodule_search_locations or [])
    return spec


def module_exists(module: str, paths: tuple[str, ...]) -> bool:
    """True when ``module`` (dotted) has a file on ``paths`` or a standard-library stub."""
    if find_spec(module, paths) is not None:
        return True
    return _stub_is_stdlib(module, paths) and _stub_path(module, paths, True) is not None


@lru_cache(maxsize=1)
def _stdlib_dirs() -> tuple[str, ...]:
    paths = sysconfig.get_paths()
    return tuple({str(Path(paths[key]).resolve()) for key in ("stdlib", "platstdlib")})


def _in_stdlib(spec: importlib.machinery.ModuleSpec | None) -> bool:
    if spec is None or spec.origin in ("built-in", "frozen"):
        return True
    origin = spec.origin or next(iter(spec.submodule_search_locations or []), "")
    if not origin or "site-packages" in origin or "dist-packages" in origin:
        return False
    resolved = str(Path(origin).resolve())
    return any(resolved.startswith(base + "/") for base in _stdlib_dirs())


@lru_cache(maxsize=64)
def _search_context(paths: tuple[str, ...], stdlib: bool) -> finder.SearchContext:
    # An explicit search path: without one the finder would start an interpreter to ask.
    search = [] if stdlib else [Path(p) for p in paths]
    return finder.get_search_context(search_path=search, version=sys.version_info[:2])


@lru_cache(maxsize=4096)
def _stub_path(module: str, paths: tuple[str, ...], stdlib: bool) -> Path | None:
    if not stdlib and module.split(".")[0] in STDLIB:
        return None  # a project's module that shadows a standard-library name
    try:
        found = finder.get_stub_file(module, search_context=_search_context(paths, stdlib))
    except (OSError, ValueError):
        return None
    if found is None or found.suffix != ".pyi":
        return None
    return found


# --- reading one file -----------------------------------------------------------------------


def _read(path: Path) -> tuple[str, ast.Module] | None:
    try:
        source = path.read_text(encoding="utf-8")
        return source, ast.parse(source)
    except (OSError, SyntaxError, ValueError, UnicodeDecodeError):
        return None


def _resolve_relative(package: str, level: int, name: str) -> str:
    """The absolute module of ``from {'.' * level}{name} import ...`` in ``package``."""
    if level == 0:
        return name
    for _ in range(level - 1):
        package = package.rpartition(".")[0]
    return f"{package}.{name}" if name and package else (name or package)


class _Bindings:
    """Module-level bindings of one file, in every branch."""

    def __init__(self, package: str, stub: bool) -> None:
        self.package = package
        self.stub = stub
        self.names: set[str] = set()
        self.aliases: dict[str, set[str]] = {}
        self.stars: list[str] = []
        self.all: set[str] = set()

    def alias(self, name: str, target: str) -> None:
        self.aliases.setdefault(name, set()).add(target)

    def collect(self, body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                self.names.add(node.name)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        self.alias(alias.asname, alias.name)
                        # Stubs re-export ``import x as x`` only; source binds every import.
                        if not self.stub or alias.asname == alias.name:
                            self.names.add(alias.asname)
                    elif not self.stub:
                        self.names.add(alias.name.split(".")[0])
            elif isinstance(node, ast.ImportFrom):
                self._import_from(node)
            elif isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
                self._assign(node)
            elif isinstance(node, ast.For | ast.AsyncFor):
                self.names.update(_target_names(node.target))
            elif isinstance(node, ast.Global):
                self.names.update(node.names)
            if isinstance(node, ast.If | ast.For | ast.AsyncFor | ast.While):
                self.collect(node.body)
                self.collect(node.orelse)
            elif isinstance(node, ast.With | ast.AsyncWith):
                for item in node.items:
                    if item.optional_vars is not None:
                        self.names.update(_target_names(item.optional_vars))
                self.collect(node.body)
            elif isinstance(node, ast.Try | ast.TryStar):
                for part in (node.body, node.orelse, node.finalbody):
                    self.collect(part)
                for handler in node.handlers:
                    if handler.name:
                        self.names.add(handler.name)
                    self.collect(handler.body)
            elif isinstance(node, ast.Match):
                for case in node.cases:
                    self.collect(case.body)
            if not self.stub and not isinstance(
                node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
            ):
                for sub in walk(node):
                    if isinstance(sub, ast.NamedExpr):
                        self.names.update(_target_names(sub.target))
                    elif isinstance(sub, ast.Global):
                        self.names.update(sub.names)

    def _import_from(self, node: ast.ImportFrom) -> None:
        base = _resolve_relative(self.package, node.level, node.module or "")
        for alias in node.names:
            if alias.name == "*":
                self.stars.append(base)
                continue
            bound = alias.asname or alias.name
            self.alias(bound, f"{base}.{alias.name}" if base else alias.name)
            if not self.stub or alias.asname == alias.name:
                self.names.add(bound)

    def _assign(self, node: ast.Assign | ast.AnnAssign | ast.AugAssign) -> None:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for target in targets:
            names = _target_names(target)
            self.names.update(names)
            value = node.value
            if isinstance(value, ast.Name) and value.id in self.aliases:
                for name in names:
                    self.aliases.setdefault(name, set()).update(self.aliases[value.id])
            if names == {"__all__"} and value is not None:
                self.all.update(_literal_strings(value))

    def exported(self) -> frozenset[str]:
        return frozenset({n for n in self.names if not n.startswith("_")} | self.all)


def _literal_strings(node: ast.expr) -> set[str]:
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        return {
            e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)
        }
    if isinstance(node, ast.BinOp):
        return _literal_strings(node.left) | _literal_strings(node.right)
    return set()


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


def _package_of(module: str, path: Path) -> str:
    return module if path.stem == "__init__" else module.rpartition(".")[0]


# --- stubs ----------------------------------------------------------------------------------


@lru_cache(maxsize=2048)
def _stub_names(module: str, paths: tuple[str, ...], stdlib: bool, depth: int = 0) -> _Names | None:
    """The names of ``module``'s stub; None when it has no stub."""
    path = _stub_path(module, paths, stdlib)
    if path is None:
        return None
    read = _read(path)
    if read is None or depth > _MAX_DEPTH:
        return _UNKNOWN
    bindings = _Bindings(_package_of(module, path), stub=True)
    bindings.collect(read[1].body)
    names = set(bindings.names) | bindings.all
    exported = set(bindings.exported())
    complete = True
    for star in bindings.stars:
        sub = _stub_names(star, paths, stdlib or star.split(".")[0] in STDLIB, depth + 1)
        if sub is None or sub.names is None:
            complete = False
            continue
        complete = complete and sub.complete
        names |= sub.exported
        exported |= sub.exported
    aliases = {k: frozenset(v) for k, v in bindings.aliases.items()}
    # A stub's module-level ``__getattr__`` marks it incomplete.
    complete = complete and "__getattr__" not in names
    return _Names(frozenset(names), aliases, exported=frozenset(exported), complete=complete)


# --- source ---------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _source_names(module: str, paths: tuple[str, ...], depth: int = 0) -> _Names | None:
    """The names ``module``'s Python source binds; None when it has no Python source."""
    if depth > _MAX_DEPTH:
        return _UNKNOWN
    spec = find_spec(module, paths)
    if spec is None:
        return _bound_by_parent(module, paths, depth)
    origin = spec.origin or ""
    if not origin.endswith(".py"):
        # Compiled, built in, or a namespace package (whose names are its submodules).
        return None if origin else _Names(frozenset())
    read = _read(Path(origin))
    if read is None:
        return _UNKNOWN
    bindings = _Bindings(_package_of(module, Path(origin)), stub=False)
    bindings.collect(read[1].body)
    names = set(bindings.names)
    exported = set(bindings.exported())
    partial = False
    complete = not dynamic_namespace(read[0])
    for star in bindings.stars:
        if not module_exists(star, paths):
            if star.split(".")[0] in STDLIB:
                partial = True  # ``from nt import *`` on Linux
            else:
                complete = False
            continue
        sub = module_names(star, paths, depth + 1)
        if sub is None:
            complete = False
            continue
        names |= sub[0]
        exported |= sub[0]
        complete = complete and sub[1]
    complete = complete and "__getattr__" not in names
    aliases = {k: frozenset(v) for k, v in bindings.aliases.items()}
    return _Names(frozenset(names), aliases, partial, frozenset(exported), complete)


def _bound_by_parent(module: str, paths: tuple[str, ...], depth: int) -> _Names | None:
    """``os.path`` has no file: it is whichever module ``os`` binds to ``path``."""
    parent, _, last = module.rpartition(".")
    if not parent:
        return None
    source = _source_names(parent, paths, depth + 1)
    if source is None or source.names is None:
        return source
    targets = source.aliases.get(last)
    if not targets:
        return None
    names: set[str] = set()
    complete = True
    for target in targets:
        found = _source_names(target, paths, depth + 1)
        if found is None or found.names is None:
            return _UNKNOWN
        names |= found.names
        complete = complete and found.complete
    return _Names(frozenset(names), complete=complete)


def module_names(
    module: str, paths: tuple[str, ...], depth: int = 0
) -> tuple[frozenset[str], bool] | None:
    """What a star-import of ``module`` brings and whether that is all; None if unknown."""
    stub = _stub_names(module, paths, _stub_is_stdlib(module, paths))
    source = _source_names(module, paths, depth)
    known = [n for n in (stub, source) if n is not None and n.names is not None]
    if not known:
        return None
    found: set[str] = set()
    for names in known:
        found |= names.exported
    return frozenset(found), any(n.complete for n in known)


def _stub_is_stdlib(module: str, paths: tuple[str, ...]) -> bool:
    return module.split(".")[0] in STDLIB and _in_stdlib(find_spec(module.split(".")[0], paths))


# --- the questions the checks ask ------------------------------------------------------------


class ModuleApi:
    """The names of one module, read on demand."""

    def __init__(self, module: str, paths: tuple[str, ...]) -> None:
        self.module = module
        self.paths = paths
        spec = find_spec(module, paths)
        origin = spec.origin if spec is not None else ""
        #: The module has a file here (``nt`` has only a stub on Linux).
        self.found = spec is not None or find_spec(module.split(".")[0], paths) is not None
        #: Compiled code: its names may differ by platform and build.
        self.extension = origin == "built-in" or (origin or "").endswith((".so", ".pyd"))
        #: The standard library's own module, described by typeshed.
        self.stdlib = _stub_is_stdlib(module, paths)

    @property
    def partial(self) -> bool:
        """Some of the module's names come from a module of another platform."""
        source = _source_names(self.module, self.paths)
        return source is not None and source.partial

    def lookup(self, name: str) -> Presence:
        """Whether the module has the attribute ``name``."""
        if name in MODULE_DUNDERS:
            return Presence.PRESENT
        stub = _stub_names(self.module, self.paths, self.stdlib)
        if stub is not None and stub.names is not None and name in stub.names:
            return Presence.PRESENT
        if self._submodule_file(name) is not None:
            return Presence.PRESENT
        source = _source_names(self.module, self.paths)
        if source is not None and source.names is not None:
            if name in source.names:
                return Presence.PRESENT
            if source.complete:
                return Presence.MISSING
            if "__getattr__" in source.names:
                # Resolved at run time (lazy loading, deprecation shims): no stub can tell.
                return Presence.UNKNOWN
        if stub is not None and stub.complete and not name.startswith("_"):
            # Stubs leave out private names; for public ones they are the reference.
            return Presence.MISSING_FROM_STUB
        return Presence.UNKNOWN

    def _submodule_file(self, name: str) -> str | None:
        dotted = f"{self.module}.{name}"
        if find_spec(dotted, self.paths) is not None:
            return dotted
        if self.stdlib and _stub_path(dotted, self.paths, True) is not None:
            return dotted
        return None

    def submodule(self, name: str) -> str | None:
        """The module that ``<this module>.name`` is, when it is one."""
        dotted = self._submodule_file(name)
        if dotted is not None:
            return dotted
        for names in (
            _stub_names(self.module, self.paths, self.stdlib),
            _source_names(self.module, self.paths),
        ):
            targets = names.aliases.get(name) if names is not None else None
            if targets and len(targets) == 1:
                (target,) = targets
                if module_exists(target, self.paths):
                    return target
        return None


@lru_cache(maxsize=4096)
def module_api(module: str, paths: tuple[str, ...]) -> ModuleApi:
    """The cached API of ``module`` as seen from ``paths``."""
    return ModuleApi(module, paths)
