"""Names imported from a project's own JavaScript or TypeScript module that it does not export.

``import { a, b as c } from './x'`` and ``const { a } = require('./x')`` are checked against
what ``./x`` exports: declarations, ``export { a as b }``, ``export default``, re-exports
(``export * from`` followed through the project), ``module.exports = { ... }`` and
``exports.x = ...``. When a module's exports cannot be fully known (``module.exports`` set to
something other than an object literal, ``export =``, a re-export from a package, a
destructured export, a file that does not parse) nothing is said: a guess would be a false
alarm. A module that does not exist at all is the import check's finding, not this one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from claude_tui.validation import treesitter
from claude_tui.validation.languages import Language
from claude_tui.validation.model import Check, Finding, Severity

RULE = "names.missing-import-name"

_JS = {Language.JAVASCRIPT, Language.TYPESCRIPT, Language.TSX}
_EXTENSIONS = (".ts", ".tsx", ".mts", ".cts", ".js", ".mjs", ".cjs", ".jsx")
_LANGUAGE = {
    ".ts": Language.TYPESCRIPT, ".mts": Language.TYPESCRIPT, ".cts": Language.TYPESCRIPT,
    ".tsx": Language.TSX, ".js": Language.JAVASCRIPT, ".mjs": Language.JAVASCRIPT,
    ".cjs": Language.JAVASCRIPT, ".jsx": Language.TSX,
}  # fmt: skip
_DECLARATIONS = {
    "function_declaration", "generator_function_declaration", "class_declaration",
    "abstract_class_declaration", "interface_declaration", "type_alias_declaration",
    "enum_declaration", "internal_module", "module", "function_signature",
}  # fmt: skip
_MAX_DEPTH = 8


class _Unknown(Exception):
    """The exports of a module cannot be fully known."""


def check_tree(
    path: str,
    tree: Any,
    source: bytes,
    language: Language,
    file_path: Path | None,
) -> list[Finding]:
    """Names imported from the project's own modules that those modules do not export."""
    if language not in _JS or file_path is None or _declaration_file(file_path):
        return []
    lines = source.decode("utf-8", errors="replace").splitlines()
    findings: list[Finding] = []
    cache: dict[Path, frozenset[str] | None] = {}
    for spec, names in _imports(tree.root_node) + _namespace_uses(tree.root_node):
        target = resolve(file_path.parent, spec)
        if target is None or _typed_elsewhere(target, language):
            continue
        exported = _exports_of(target, cache, 0)
        if exported is None:
            continue
        for name_node, name in names:
            if name in exported:
                continue
            line = name_node.start_point[0] + 1
            findings.append(
                Finding(
                    Check.NAMES,
                    RULE,
                    Severity.HIGH,
                    f"`{name}` is not exported by {spec!r} ({target.name})",
                    path,
                    line,
                    name_node.start_point[1] + 1,
                    lines[line - 1].strip() if line <= len(lines) else "",
                )
            )
    return findings


def _declaration_file(file: Path) -> bool:
    return file.name.endswith((".d.ts", ".d.mts", ".d.cts"))


def _typed_elsewhere(target: Path, language: Language) -> bool:
    """Whether names imported from a JavaScript file may be types it does not show."""
    # TypeScript may import the types of a .d.ts beside the file, or its JSDoc typedefs;
    # JavaScript gets at run time only what the file itself exports.
    return target.suffix in (".js", ".mjs", ".cjs", ".jsx") and language is not Language.JAVASCRIPT


def resolve(directory: Path, spec: str) -> Path | None:
    """The file a relative specifier names, as Node and TypeScript resolve it, or None."""
    if not spec.startswith("."):
        return None
    base = directory / spec
    candidates = [base] if base.suffix in _EXTENSIONS else []
    if base.suffix in (".js", ".mjs", ".cjs", ".jsx"):
        # TypeScript sources import the emitted .js name of a .ts file.
        stem = str(base)[: -len(base.suffix)]
        candidates += [Path(stem + ext) for ext in (".ts", ".tsx", ".mts", ".cts")]
    candidates += [Path(str(base) + ext) for ext in _EXTENSIONS]
    candidates += [base / f"index{ext}" for ext in _EXTENSIONS]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    return None


def _string(node: Any) -> str:
    raw: str = (node.text or b"").decode("utf-8", errors="replace")
    return raw.strip("'\"`")


def _text(node: Any) -> str:
    data: bytes = node.text or b""
    return data.decode("utf-8", errors="replace")


def _imports(root: Any) -> list[tuple[str, list[tuple[Any, str]]]]:
    """``(specifier, [(name node, imported name)])`` of named imports from relative paths."""
    out: list[tuple[str, list[tuple[Any, str]]]] = []
    for node in root.named_children:
        if node.type == "import_statement":
            source = node.child_by_field_name("source")
            if source is None or not _string(source).startswith("."):
                continue
            names: list[tuple[Any, str]] = []
            for clause in node.named_children:
                if clause.type != "import_clause":
                    continue
                for part in clause.named_children:
                    if part.type == "identifier":
                        names.append((part, "default"))
                    elif part.type == "named_imports":
                        for spec in part.named_children:
                            if spec.type != "import_specifier":
                                continue
                            name = spec.child_by_field_name("name")
                            if name is not None and name.type == "identifier":
                                names.append((name, _text(name)))
            if names:
                out.append((_string(source), names))
        elif node.type in ("lexical_declaration", "variable_declaration"):
            for declarator in node.named_children:
                required = _required_names(declarator)
                if required is not None:
                    out.append(required)
    return out


#: Where an identifier is bound rather than used: a namespace's name shadowed or rebound.
_BINDING_PARENTS = {
    "variable_declarator", "formal_parameters", "required_parameter", "optional_parameter",
    "function_declaration", "class_declaration", "catch_clause", "arrow_function",
    "shorthand_property_identifier_pattern", "object_pattern", "array_pattern",
    "pair_pattern", "assignment_pattern", "rest_pattern", "for_in_statement",
    "function_expression", "class", "import_specifier",
}  # fmt: skip


def _namespace_uses(root: Any) -> list[tuple[str, list[tuple[Any, str]]]]:
    """``import * as m from './x'`` or ``const m = require('./x')``, then ``m.name``."""
    namespaces: dict[str, tuple[str, Any]] = {}
    for node in root.named_children:
        if node.type == "import_statement":
            source = node.child_by_field_name("source")
            if source is None or not _string(source).startswith("."):
                continue
            for clause in node.named_children:
                for part in clause.named_children if clause.type == "import_clause" else []:
                    if part.type == "namespace_import":
                        alias = next(
                            (c for c in part.named_children if c.type == "identifier"), None
                        )
                        if alias is not None:
                            namespaces[_text(alias)] = (_string(source), alias)
        elif node.type in ("lexical_declaration", "variable_declaration"):
            for declarator in node.named_children:
                spec = _required_module(declarator)
                if spec is not None:
                    name = declarator.child_by_field_name("name")
                    namespaces[_text(name)] = (spec, name)
    if not namespaces:
        return []
    uses: dict[str, list[tuple[Any, str]]] = {alias: [] for alias in namespaces}
    written: dict[str, set[str]] = {alias: set() for alias in namespaces}
    shadowed: set[str] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        stack.extend(node.named_children)
        if node.type == "identifier" and _text(node) in namespaces:
            parent = node.parent
            declared = namespaces[_text(node)][1]
            if parent is not None and parent.type in _BINDING_PARENTS and node.id != declared.id:
                shadowed.add(_text(node))  # bound again somewhere: not judged
            continue
        if node.type != "member_expression":
            continue
        target = node.child_by_field_name("object")
        prop = node.child_by_field_name("property")
        if target is None or prop is None or target.type != "identifier":
            continue
        alias = _text(target)
        if alias not in namespaces or prop.type != "property_identifier":
            continue
        parent = node.parent
        left = parent.child_by_field_name("left") if parent is not None else None
        if left is not None and left.id == node.id:
            written[alias].add(_text(prop))  # ``m.extra = ...`` adds the member
        elif _text(prop) not in _OBJECT_MEMBERS:
            uses[alias].append((prop, _text(prop)))
    out = []
    for alias, found in uses.items():
        kept = [(n, name) for n, name in found if name not in written[alias]]
        if kept and alias not in shadowed:
            out.append((namespaces[alias][0], kept))
    return out


#: Members every object has: a CommonJS module's exports object answers to them.
_OBJECT_MEMBERS = frozenset(
    {"constructor", "hasOwnProperty", "isPrototypeOf", "propertyIsEnumerable", "toString",
     "toLocaleString", "valueOf", "__proto__"}
)  # fmt: skip


def _required_module(declarator: Any) -> str | None:
    """``const m = require('./x')``: the relative specifier, or None."""
    if declarator.type != "variable_declarator":
        return None
    name = declarator.child_by_field_name("name")
    value = declarator.child_by_field_name("value")
    if name is None or value is None or name.type != "identifier":
        return None
    if value.type != "call_expression" or _text(value.child_by_field_name("function")) != "require":
        return None
    arguments = value.child_by_field_name("arguments")
    if arguments is None or arguments.named_child_count != 1:
        return None
    argument = arguments.named_children[0]
    if argument.type != "string" or not _string(argument).startswith("."):
        return None
    return _string(argument)


def _required_names(declarator: Any) -> tuple[str, list[tuple[Any, str]]] | None:
    """``const { a, b: c } = require('./x')``: the specifier and the names taken."""
    if declarator.type != "variable_declarator":
        return None
    pattern = declarator.child_by_field_name("name")
    value = declarator.child_by_field_name("value")
    if pattern is None or value is None or pattern.type != "object_pattern":
        return None
    if value.type != "call_expression" or _text(value.child_by_field_name("function")) != "require":
        return None
    arguments = value.child_by_field_name("arguments")
    if arguments is None or arguments.named_child_count != 1:
        return None
    argument = arguments.named_children[0]
    if argument.type != "string" or not _string(argument).startswith("."):
        return None
    names: list[tuple[Any, str]] = []
    for part in pattern.named_children:
        if part.type == "shorthand_property_identifier_pattern":
            names.append((part, _text(part)))
        elif part.type == "pair_pattern":
            key = part.child_by_field_name("key")
            if key is not None and key.type == "property_identifier":
                names.append((key, _text(key)))
        else:
            return None  # a rest element or a computed key takes what is there
    return _string(argument), names


def _exports_of(
    file: Path, cache: dict[Path, frozenset[str] | None], depth: int
) -> frozenset[str] | None:
    if file in cache:
        return cache[file]
    cache[file] = None  # a cycle of re-exports is not followed twice
    language = _LANGUAGE.get(file.suffix)
    if language is None or depth > _MAX_DEPTH or file.name.endswith(".d.ts"):
        return None
    try:
        source = file.read_bytes()
        if b"@typedef" in source or b"@callback" in source:
            return None  # JSDoc types are importable names this reading does not list
        tree = treesitter.parse(language, source)
        if tree.root_node.has_error:
            return None
        names = _collect(tree.root_node, file, cache, depth)
    except (OSError, _Unknown):
        return None
    result = frozenset(names)
    cache[file] = result
    return result


def _collect(
    root: Any, file: Path, cache: dict[Path, frozenset[str] | None], depth: int
) -> set[str]:
    names: set[str] = set()
    commonjs = False
    for node in root.named_children:
        if node.type == "export_statement":
            names |= _exported(node, file, cache, depth)
        elif node.type == "expression_statement":
            target, value = _assignment(node)
            if target == "module.exports":
                if value is None or value.type != "object":
                    raise _Unknown
                commonjs = True
                for entry in value.named_children:
                    if entry.type == "shorthand_property_identifier":
                        names.add(_text(entry))
                    elif entry.type in ("pair", "method_definition"):
                        key = entry.child_by_field_name("key") or entry.child_by_field_name("name")
                        if key is None or key.type not in ("property_identifier", "string"):
                            raise _Unknown
                        names.add(_string(key))
                    else:
                        raise _Unknown  # a spread copies what cannot be listed here
            elif target is not None and target.startswith(("exports.", "module.exports.")):
                commonjs = True
                names.add(target.rsplit(".", 1)[-1])
            elif target is not None and target.startswith(("exports[", "module.exports[")):
                raise _Unknown
            elif target is None and "exports" in _text(node):
                # ``Object.assign(module.exports, ...)``, ``Object.defineProperty(exports, ...)``
                raise _Unknown
        elif node.type in ("ambient_declaration", "if_statement", "try_statement") and (
            "exports" in _text(node)
        ):
            raise _Unknown  # exports set conditionally or in a declaration block
    if commonjs:
        # Node's ESM interop hands a CommonJS module's object over as the default too.
        names.add("default")
    return names


def _assignment(statement: Any) -> tuple[str | None, Any]:
    expression = statement.named_children[0] if statement.named_child_count else None
    if expression is None or expression.type != "assignment_expression":
        return None, None
    left = expression.child_by_field_name("left")
    right = expression.child_by_field_name("right")
    # ``module.exports = exports = f`` assigns the innermost value to both.
    while right is not None and right.type == "assignment_expression":
        right = right.child_by_field_name("right")
    return (_text(left) if left is not None else None), right


def _exported(
    node: Any, file: Path, cache: dict[Path, frozenset[str] | None], depth: int
) -> set[str]:
    names: set[str] = set()
    source = node.child_by_field_name("source")
    text = _text(node)
    if text.startswith("export default") or node.child_by_field_name("value") is not None:
        names.add("default")
    if text.startswith("export =") or text.startswith("export as namespace"):
        raise _Unknown
    declaration = node.child_by_field_name("declaration")
    if declaration is not None:
        if declaration.type in _DECLARATIONS:
            name = declaration.child_by_field_name("name")
            if name is None:
                raise _Unknown
            names.add(_string(name))
        elif declaration.type in ("lexical_declaration", "variable_declaration"):
            for declarator in declaration.named_children:
                if declarator.type != "variable_declarator":
                    continue
                name = declarator.child_by_field_name("name")
                if name is None or name.type != "identifier":
                    raise _Unknown  # a destructured export
                names.add(_text(name))
        else:
            raise _Unknown
    clause = next((c for c in node.named_children if c.type == "export_clause"), None)
    if clause is not None:
        for spec in clause.named_children:
            if spec.type != "export_specifier":
                continue
            alias = spec.child_by_field_name("alias") or spec.child_by_field_name("name")
            if alias is not None:
                names.add(_string(alias))
    elif source is not None and declaration is None:
        namespace = next((c for c in node.named_children if c.type == "namespace_export"), None)
        if namespace is not None:
            names.update(_string(c) for c in namespace.named_children)
        else:
            # ``export * from './y'``: everything ./y exports but its default.
            target = resolve(file.parent, _string(source))
            if target is None:
                raise _Unknown
            inner = _exports_of(target, cache, depth + 1)
            if inner is None:
                raise _Unknown
            names |= inner - {"default"}
    return names
