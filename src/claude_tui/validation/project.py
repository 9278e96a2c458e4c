"""What a project declares and provides: its own modules, its dependencies, its environment.

Import resolution asks this context whether a module exists; the context digest is part of
the cache key, so a new dependency or a new module re-validates the files that import it.
"""

from __future__ import annotations

import ast
import configparser
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

#: Import names that a distribution always installs with it, as the index's metadata says:
#: code may import a dependency of a declared dependency (``botocore`` with ``boto3``).
REQUIRED_BY = {
    "boto3": ("botocore", "s3transfer", "jmespath"),
    "aiobotocore": ("botocore", "aiohttp"),
    "requests": ("urllib3", "idna", "certifi", "charset_normalizer"),
    "httpx": ("httpcore", "anyio", "idna", "certifi", "sniffio"),
    "flask": ("werkzeug", "jinja2", "itsdangerous", "click", "markupsafe", "blinker"),
    "fastapi": ("starlette", "pydantic", "typing_extensions"),
    "starlette": ("anyio",),
    "pydantic": ("pydantic_core", "typing_extensions", "annotated_types"),
    "uvicorn": ("h11", "click"),
    "celery": ("kombu", "billiard", "vine", "click"),
    "jinja2": ("markupsafe",),
    "aiohttp": ("multidict", "yarl", "aiosignal", "frozenlist", "attrs"),
    "pandas": ("numpy", "dateutil", "pytz"),
    "scikit_learn": ("numpy", "scipy", "joblib", "threadpoolctl"),
    "matplotlib": ("numpy", "PIL", "pyparsing", "cycler", "kiwisolver", "dateutil"),
    "paramiko": ("cryptography", "nacl", "bcrypt"),
    "sqlalchemy": ("typing_extensions",),
    "django": ("asgiref", "sqlparse"),
    "djangorestframework": ("django",),
    "pytest": ("pluggy", "_pytest", "iniconfig", "packaging"),
    "typer": ("click", "rich"),
    "rich": ("pygments", "markdown_it"),
}

#: How distributions conventionally name themselves after the module they install
#: (``python-dotenv`` installs ``dotenv``, ``msgpack-python`` installs ``msgpack``).
_DIST_SHAPES = ("py_{}", "python_{}", "{}_python")

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
    #: tsconfig ``paths`` aliases: (folder the config applies to, pattern, target paths).
    ts_paths: tuple[tuple[str, str, tuple[str, ...]], ...] = ()
    #: tsconfig ``baseUrl`` folders: (folder the config applies to, base folder).
    ts_base_urls: tuple[tuple[str, str], ...] = ()
    #: Modules named by ``declare module '...'`` in the project's TypeScript.
    ts_declared_modules: frozenset[str] = frozenset()

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
                [[d, p, list(t)] for d, p, t in self.ts_paths],
                [list(b) for b in self.ts_base_urls],
                sorted(self.ts_declared_modules),
            ]
        )
        return hashlib.sha256(data.encode()).hexdigest()[:16]

    def declares_python(self, module: str) -> bool:
        """True when ``module`` (a top-level import name) belongs to a declared dependency."""
        norm = normalize_dist(module)
        names = {norm, IMPORT_ALIASES.get(module), *(s.format(norm) for s in _DIST_SHAPES)}
        for dep in self.python_dependencies:
            if dep in names:
                return True
            # opentelemetry-sdk provides ``opentelemetry``; types-foo and foo-stubs do not.
            if dep.startswith(norm + "_") and not dep.startswith("types_"):
                return True
            if module in REQUIRED_BY.get(dep, ()):
                return True
        return False

    def prefixed_distribution(self, module: str) -> str | None:
        """A declared ``py<module>`` distribution, which may install ``module`` or not.

        ``pyzmq`` installs ``zmq`` but ``pymongo`` installs ``pymongo``: the name alone does
        not tell, so this is a lead, not a resolution.
        """
        candidate = "py" + normalize_dist(module)
        return candidate if candidate in self.python_dependencies else None

    def declares_python_module(self, dotted: str) -> bool:
        """True when a declared distribution is named after ``dotted`` or a package of it.

        Namespace packages are shared by many distributions, each named after the part it
        installs: ``google-cloud-storage`` provides ``google.cloud.storage``.
        """
        parts = dotted.split(".")
        return any(
            normalize_dist("_".join(parts[:end])) in self.python_dependencies
            for end in range(2, len(parts) + 1)
        )


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
    ts_paths: list[tuple[str, str, tuple[str, ...]]] = []
    ts_base_urls: list[tuple[str, str]] = []
    for folder in sorted(folders):
        python_deps |= _python_dependencies(folder, notes, manifests)
        node_deps |= _node_dependencies(folder, notes)
        _tsconfig_aliases(folder, notes, ts_paths, ts_base_urls)
    go_module, go_requires = _go_module(root)
    return ProjectContext(
        root=str(root),
        python_modules=frozenset(modules),
        python_dependencies=frozenset(python_deps),
        python_paths=tuple(python_search_paths(root)),
        node_dependencies=frozenset(node_deps),
        go_module=go_module,
        go_requires=tuple(go_requires),
        ts_paths=tuple(ts_paths),
        ts_base_urls=tuple(ts_base_urls),
        ts_declared_modules=_declared_ts_modules(files),
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
        # What a build script (setup.py, a hatch hook) imports is installed by the backend.
        specs.extend(
            s for s in data.get("build-system", {}).get("requires", []) if isinstance(s, str)
        )
        deps.update(n for n in map(requirement_name, specs) if n)
    deps |= _setuptools_dependencies(root, notes, manifests)
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


def _setuptools_dependencies(root: Path, notes: list[str], manifests: list[str]) -> set[str]:
    """Requirements declared in setup.cfg's options or as literals in setup.py's ``setup()``."""
    specs: list[str] = []
    setup_cfg = root / "setup.cfg"
    if setup_cfg.is_file():
        manifests.append(str(setup_cfg))
        parser = configparser.ConfigParser(interpolation=None)
        try:
            parser.read_string(setup_cfg.read_text(encoding="utf-8", errors="replace"))
        except configparser.Error as exc:
            notes.append(f"setup.cfg could not be read: {exc}")
        else:
            if parser.has_section("metadata") and parser.has_option("metadata", "name"):
                specs.append(parser.get("metadata", "name"))
            for key in ("install_requires", "setup_requires", "tests_require"):
                if parser.has_option("options", key):
                    specs.extend(parser.get("options", key).splitlines())
            if parser.has_section("options.extras_require"):
                for _, value in parser.items("options.extras_require"):
                    specs.extend(value.splitlines())
    setup_py = root / "setup.py"
    if setup_py.is_file():
        try:
            tree = ast.parse(setup_py.read_bytes())
        except (SyntaxError, ValueError):
            tree = None
        if tree is not None:
            manifests.append(str(setup_py))
            specs.extend(_setup_call_requirements(tree))
    return {n for n in map(requirement_name, specs) if n}


def _setup_call_requirements(tree: ast.Module) -> list[str]:
    specs: list[str] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        callee = node.func
        name = callee.attr if isinstance(callee, ast.Attribute) else getattr(callee, "id", "")
        if name != "setup":
            continue
        for keyword in node.keywords:
            if keyword.arg in ("install_requires", "setup_requires", "tests_require"):
                specs.extend(_string_literals(keyword.value))
            elif keyword.arg == "extras_require" and isinstance(keyword.value, ast.Dict):
                for value in keyword.value.values:
                    specs.extend(_string_literals(value))
    return specs


def _string_literals(node: ast.expr) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value.splitlines()
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        return [
            e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)
        ]
    return []


_JSONC_NOISE = re.compile(r'("(?:\\.|[^"\\])*")|//[^\n]*|/\*.*?\*/|,(?=\s*[}\]])', re.DOTALL)


def _read_jsonc(path: Path) -> object:
    """A tsconfig-style JSON file: comments and trailing commas allowed."""
    text = path.read_text(encoding="utf-8", errors="replace")
    return json.loads(_JSONC_NOISE.sub(lambda m: m.group(1) or "", text))


def _tsconfig_options(
    config: Path, notes: list[str], depth: int = 0
) -> tuple[dict[str, object], Path]:
    """``compilerOptions`` of ``config`` merged over what it extends, and where baseUrl is."""
    try:
        data = _read_jsonc(config)
    except (json.JSONDecodeError, OSError) as exc:
        notes.append(f"{config.name} could not be read: {exc}")
        return {}, config.parent
    if not isinstance(data, dict):
        return {}, config.parent
    options: dict[str, object] = {}
    origin = config.parent
    parent = data.get("extends")
    # Only a relative ``extends`` is a file of the project; a package's preset sets no paths.
    if isinstance(parent, str) and parent.startswith(".") and depth < 8:
        target = (config.parent / parent).resolve()
        if target.suffix != ".json":
            target = target.with_name(target.name + ".json")
        if target.is_file():
            options, origin = _tsconfig_options(target, notes, depth + 1)
    own = data.get("compilerOptions")
    if isinstance(own, dict):
        options = {**options, **own}
        if "paths" in own or "baseUrl" in own:
            # Paths and baseUrl are relative to the file that sets them.
            origin = config.parent
    return options, origin


def _tsconfig_aliases(
    folder: Path,
    notes: list[str],
    paths: list[tuple[str, str, tuple[str, ...]]],
    base_urls: list[tuple[str, str]],
) -> None:
    config = folder / "tsconfig.json"
    if not config.is_file():
        config = folder / "jsconfig.json"
        if not config.is_file():
            return
    options, origin = _tsconfig_options(config, notes)
    base_url = options.get("baseUrl")
    base = origin / base_url if isinstance(base_url, str) else origin
    if isinstance(base_url, str):
        base_urls.append((str(folder), str(base.resolve())))
    aliases = options.get("paths")
    if not isinstance(aliases, dict):
        return
    for pattern, targets in aliases.items():
        if isinstance(pattern, str) and isinstance(targets, list):
            resolved = tuple(str((base / t).resolve()) for t in targets if isinstance(t, str))
            paths.append((str(folder), pattern, resolved))


_DECLARE_MODULE = re.compile(r"""^\s*declare\s+module\s+['"]([^'"]+)['"]""", re.MULTILINE)


def _declared_ts_modules(files: Iterable[Path]) -> frozenset[str]:
    """Module names declared (ambient) or augmented by the project's own TypeScript."""
    names: set[str] = set()
    for path in files:
        if path.suffix not in (".ts", ".mts", ".cts", ".tsx"):
            continue
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        if "declare" in text:
            names.update(_DECLARE_MODULE.findall(text))
    return frozenset(names)
