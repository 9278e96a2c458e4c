"""Invented members of Go standard-library packages (``strings.Reverse``), read from GOROOT.

The installed toolchain's sources say what each package exports: top-level functions,
types, variables and constants of its non-test files, for every platform at once (a name
that exists on any platform is never reported). Nothing is compiled or run. When the
project asks for a newer Go than the one installed, names added since are unknown, so the
project is not judged.
"""

from __future__ import annotations

import os
import re
import shutil
from functools import lru_cache
from pathlib import Path
from typing import Any

from claude_tui.validation.model import Check, Finding, Severity
from claude_tui.validation.project import ProjectContext

RULE = "names.missing-attribute"

_VERSION = re.compile(r"go(\d+)\.(\d+)")
_GO_DIRECTIVE = re.compile(r"^go\s+(\d+)\.(\d+)", re.MULTILINE)
_SINGLE = re.compile(r"^(?:func|type|var|const)\s+([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)", re.M)
_GROUP = re.compile(r"^(?:type|var|const)\s*\(\n(.*?)^\)", re.MULTILINE | re.DOTALL)
_GROUP_ITEM = re.compile(r"^\t([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)", re.MULTILINE)
_OTHER_TOOLCHAIN = re.compile(rb"^//(go:build| \+build)\s.*\b(gccgo|zos)\b", re.MULTILINE)
#: Nodes whose identifiers declare a name in the file (a variable that may shadow a package).
_DECLARING = {
    "parameter_declaration", "variadic_parameter_declaration", "var_spec", "const_spec",
    "short_var_declaration", "range_clause", "type_spec", "function_declaration",
    "method_declaration", "type_parameter_declaration",
}  # fmt: skip


@lru_cache(maxsize=1)
def go_root() -> tuple[Path, tuple[int, int]] | None:
    """The installed Go's source tree and version, from the ``go`` on PATH or ``$GOROOT``."""
    candidates: list[Path] = []
    if os.environ.get("GOROOT"):
        candidates.append(Path(os.environ["GOROOT"]))
    found = shutil.which("go")
    if found is not None:
        candidates.append(Path(os.path.realpath(found)).parent.parent)
    for root in candidates:
        try:
            version = (root / "VERSION").read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        match = _VERSION.match(version)
        if match is not None and (root / "src" / "strings").is_dir():
            return root, (int(match.group(1)), int(match.group(2)))
    return None


@lru_cache(maxsize=512)
def exports(package: str) -> frozenset[str] | None:
    """Exported names of a standard-library package; None when GOROOT does not have it."""
    found = go_root()
    if found is None or not re.fullmatch(r"[a-z0-9_]+(/[a-z0-9_]+)*", package):
        return None
    directory = found[0] / "src" / package
    try:
        files = [p for p in directory.iterdir() if p.suffix == ".go"]
    except OSError:
        return None
    names: set[str] = set()
    for file in files:
        if file.name.endswith("_test.go"):
            continue
        try:
            text = file.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
        declared = [m.group(1) for m in _SINGLE.finditer(text)]
        for group in _GROUP.finditer(text):
            declared += [m.group(1) for m in _GROUP_ITEM.finditer(group.group(1))]
        for item in declared:
            names.update(n.strip() for n in item.split(","))
    return frozenset(n for n in names if n[:1].isupper()) if files else None


def _project_go_version(context: ProjectContext) -> tuple[int, int] | None:
    if not context.root:
        return None
    try:
        text = (Path(context.root) / "go.mod").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    match = _GO_DIRECTIVE.search(text)
    return (int(match.group(1)), int(match.group(2))) if match else None


def check_go_members(path: str, tree: Any, source: bytes, context: ProjectContext) -> list[Finding]:
    """``pkg.Name`` where the imported standard-library package exports no ``Name``."""
    found = go_root()
    wanted = _project_go_version(context)
    if found is None or wanted is None or wanted > found[1]:
        return []
    # A file built only by gccgo or for z/OS uses a standard library other than the gc one.
    if _OTHER_TOOLCHAIN.search(source.split(b"\npackage ", 1)[0]) is not None:
        return []
    packages: dict[str, str] = {}
    declared: set[str] = set()
    uses: list[tuple[Any, str, Any]] = []
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        kind = node.type
        if kind == "import_spec":
            target = node.child_by_field_name("path")
            alias = node.child_by_field_name("name")
            spec = _text(target).strip('"`') if target is not None else ""
            local = _text(alias) if alias is not None else spec.rsplit("/", 1)[-1]
            if spec and "." not in spec.split("/")[0] and local not in ("_", "."):
                packages[local] = spec
            continue
        if kind == "selector_expression":
            operand = node.child_by_field_name("operand")
            field = node.child_by_field_name("field")
            if operand is not None and field is not None and operand.type == "identifier":
                uses.append((operand, _text(field), field))
        elif kind == "qualified_type":
            package = node.child_by_field_name("package")
            name = node.child_by_field_name("name")
            if package is not None and name is not None:
                uses.append((package, _text(name), name))
        elif kind in _DECLARING:
            declared.update(_declared_names(node))
        stack.extend(node.children)
    lines = source.decode("utf-8", errors="replace").splitlines()
    out: list[Finding] = []
    for operand, member, at in uses:
        local = _text(operand)
        imported = packages.get(local)
        if imported is None or local in declared or not member[:1].isupper():
            continue
        known = exports(imported)
        if known is None or member in known:
            continue
        line = at.start_point[0] + 1
        out.append(
            Finding(
                Check.NAMES,
                RULE,
                Severity.HIGH,
                f"package {imported} (Go {found[1][0]}.{found[1][1]}, from GOROOT) exports no "
                f"`{member}`",
                path,
                line,
                operand.start_point[1] + 1,
                lines[line - 1].strip() if line <= len(lines) else "",
            )
        )
    return out


def _declared_names(node: Any) -> list[str]:
    """Identifiers a declaration binds (left of ``:=``, parameter and variable names)."""
    if node.type in ("short_var_declaration", "range_clause"):
        left = node.child_by_field_name("left")
        return [_text(c) for c in left.named_children] if left is not None else []
    return [_text(c) for c in node.named_children if c.type == "identifier"]


def _text(node: Any) -> str:
    data: bytes = node.text or b""
    return data.decode("utf-8", errors="replace")
