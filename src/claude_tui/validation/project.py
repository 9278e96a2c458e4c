"""What a project declares and provides: its own modules, its dependencies, its environment.

Import resolution asks this context whether a module exists; the context digest is part of
the cache key, so a new dependency or a new module re-validates the files that import it.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

#: Directories never walked: environments, caches, build output, vendored dependencies.
SKIPPED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".venv",
        "venv",
        "env",
        ".env",
        "node_modules",
        "__pycache__",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
        ".tox",
        ".nox",
        "build",
        "dist",
        "target",
        "site-packages",
        ".eggs",
        "vendor",
    }
)

#: Import names whose distribution is named differently (the common, well-known cases).
IMPORT_ALIASES = {
    "yaml": "pyyaml",
    "PIL": "pillow",
    "bs4": "beautifulsoup4",
    "sklearn": "scikit_learn",
    "cv2": "opencv_python",
    "dateutil": "python_dateutil",
    "jwt": "pyjwt",
    "dotenv": "python_dotenv",
    "attr": "attrs",
    "magic": "python_magic",
    "OpenSSL": "pyopenssl",
    "Crypto": "pycryptodome",
    "serial": "pyserial",
    "git": "gitpython",
    "docx": "python_docx",
    "multipart": "python_multipart",
    "jose": "python_jose",
    "slugify": "python_slugify",
    "google": "protobuf",
    "pkg_resources": "setuptools",
    "psycopg2": "psycopg2_binary",
}

NODE_BUILTINS = frozenset(
    [
        "assert",
        "async_hooks",
        "buffer",
        "child_process",
        "cluster",
        "console",
        "constants",
        "crypto",
        "dgram",
        "diagnostics_channel",
        "dns",
        "domain",
        "events",
        "fs",
        "http",
        "http2",
        "https",
        "inspector",
        "module",
        "net",
        "os",
        "path",
        "perf_hooks",
        "process",
        "punycode",
        "querystring",
        "readline",
        "repl",
        "stream",
        "string_decoder",
        "sys",
        "timers",
        "tls",
        "trace_events",
        "tty",
        "url",
        "util",
        "v8",
        "vm",
        "wasi",
        "worker_threads",
        "zlib",
        "test",
    ]
)


def normalize_dist(name: str) -> str:
    """A distribution name in the form used for comparisons (PEP 503, underscores)."""
    return re.sub(r"[-_.]+", "_", name).lower()


_REQ_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def requirement_name(spec: str) -> str | None:
    """The distribution name of a requirement line (``name[extra]>=1; marker``)."""
    spec = spec.strip()
    if not spec or spec.startswith(("#", "-", "git+", "http:", "https:", "file:")):
        return None
    match = _REQ_NAME.match(spec)
    return normalize_dist(match.group(1)) if match else None


@dataclass(frozen=True, slots=True)
class ProjectContext:
    """The facts about a project that import resolution needs; small and picklable."""

    root: str
    python_modules: frozenset[str] = frozenset()
    python_dependencies: frozenset[str] = frozenset()
    python_paths: tuple[str, ...] = ()
    node_dependencies: frozenset[str] = frozenset()
    go_module: str = ""
    go_requires: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())
    #: The Python dependency manifests read, relative to the root (for messages).
    python_manifests: tuple[str, ...] = ()

    def digest(self) -> str:
        """A hash of everything that can change an import's resolution."""
        data = json.dumps(
            [
                sorted(self.python_modules),
                sorted(self.python_dependencies),
                list(self.python_paths),
                sorted(self.node_dependencies),
                self.go_module,
                list(self.go_requires),
            ]
        )
        return hashlib.sha256(data.encode()).hexdigest()[:16]

    def declares_python(self, module: str) -> bool:
        """True when ``module`` (a top-level import name) belongs to a declared dependency."""
        norm = normalize_dist(module)
        alias = IMPORT_ALIASES.get(module)
        for dep in self.python_dependencies:
            if dep in (norm, alias):
                return True
            # opentelemetry-sdk provides ``opentelemetry``; types-foo and foo-stubs do not.
            if dep.startswith(norm + "_") and not dep.startswith("types_"):
                return True
        return False


def scan_project(root: Path, files: Iterable[Path] = ()) -> ProjectContext:
    """The context of the project at ``root``; ``files`` are its source files already found."""
    modules: set[str] = set()
    files = list(files)
    for path in files:
        if path.suffix in (".py", ".pyi"):
            modules.add(path.stem)
            try:
                rel = path.relative_to(root)
            except ValueError:
                continue
            modules.update(part for part in rel.parts[:-1] if part.isidentifier())
    notes: list[str] = []
    # Manifests of nested packages and workspace members declare what their own files
    # import: every folder that holds source files, up to the root, is looked at.
    folders = {root}
    for path in files:
        for parent in path.parents:
            if parent in folders or parent == parent.parent:
                break
            try:
                parent.relative_to(root)
            except ValueError:
                break
            folders.add(parent)
    python_deps: set[str] = set()
    node_deps: set[str] = set()
    manifests: list[str] = []
    for folder in sorted(folders):
        python_deps |= _python_dependencies(folder, notes, manifests)
        node_deps |= _node_dependencies(folder, notes)
    go_module, go_requires = _go_module(root)
    return ProjectContext(
        root=str(root),
        python_modules=frozenset(modules),
        python_dependencies=frozenset(python_deps),
        python_paths=tuple(python_search_paths(root)),
        node_dependencies=frozenset(node_deps),
        go_module=go_module,
        go_requires=tuple(go_requires),
        notes=tuple(notes),
        python_manifests=tuple(
            Path(m).relative_to(root).as_posix() if Path(m).is_relative_to(root) else m
            for m in manifests
        ),
    )


def python_search_paths(root: Path) -> list[str]:
    """Where the project's imports are looked up: its own virtualenv when it has one."""
    for name in (".venv", "venv", "env"):
        venv = root / name
        if (venv / "pyvenv.cfg").is_file():
            site = sorted(venv.glob("lib/python3*/site-packages"))
            return [str(root), str(root / "src"), *map(str, site), *_stdlib_paths()]
    return [str(root), str(root / "src"), *(p for p in sys.path if p and Path(p).is_absolute())]


def _stdlib_paths() -> list[str]:
    import sysconfig

    paths = sysconfig.get_paths()
    return [paths["stdlib"], paths["platstdlib"], str(Path(paths["stdlib"]) / "lib-dynload")]


def _python_dependencies(root: Path, notes: list[str], manifests: list[str]) -> set[str]:
    deps: set[str] = set()
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        manifests.append(str(pyproject))
        try:
            data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            notes.append(f"pyproject.toml could not be read: {exc}")
            data = {}
        project = data.get("project", {})
        if isinstance(name := project.get("name"), str):
            deps.add(normalize_dist(name))
        specs: list[str] = list(project.get("dependencies", []))
        for extra in project.get("optional-dependencies", {}).values():
            specs.extend(extra)
        for group in data.get("dependency-groups", {}).values():
            specs.extend(s for s in group if isinstance(s, str))
        poetry = data.get("tool", {}).get("poetry", {})
        for table in (poetry.get("dependencies", {}), poetry.get("dev-dependencies", {})):
            specs.extend(table.keys())
        for group in poetry.get("group", {}).values():
            specs.extend(group.get("dependencies", {}).keys())
        deps.update(n for n in map(requirement_name, specs) if n)
    candidates = list(root.glob("*requirements*.txt")) + list(root.glob("requirements/*.txt"))
    for req in candidates:
        manifests.append(str(req))
        for line in req.read_text(encoding="utf-8", errors="replace").splitlines():
            name = requirement_name(line.split("#", 1)[0])
            if name:
                deps.add(name)
    return deps


def _node_dependencies(root: Path, notes: list[str]) -> set[str]:
    manifest = root / "package.json"
    if not manifest.is_file():
        return set()
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        notes.append(f"package.json could not be read: {exc}")
        return set()
    deps: set[str] = set()
    if isinstance(data.get("name"), str):
        deps.add(data["name"])
    for key in ("dependencies", "devDependencies", "peerDependencies", "optionalDependencies"):
        table = data.get(key, {})
        if isinstance(table, dict):
            deps.update(table.keys())
    return deps


def _go_module(root: Path) -> tuple[str, list[str]]:
    gomod = root / "go.mod"
    if not gomod.is_file():
        return "", []
    module = ""
    requires: list[str] = []
    in_block = False
    for raw in gomod.read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.split("//", 1)[0].strip()
        if line.startswith("module "):
            module = line.split()[1]
        elif line.startswith("require ("):
            in_block = True
        elif in_block and line == ")":
            in_block = False
        elif in_block and line:
            requires.append(line.split()[0])
        elif line.startswith("require "):
            requires.append(line.split()[1])
    return module, requires
