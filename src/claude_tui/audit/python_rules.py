"""The audit's own Python rules, matched over the syntax tree in this process.

They are call and comparison patterns; starting semgrep to match them cost more CPU than
bandit's whole run, so they are checked here (semgrep runs only on rules a policy adds).
Names are resolved through the module's imports, so ``from subprocess import run`` and
``import yaml as y`` are seen as ``subprocess.run`` and ``yaml``.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass

from claude_tui.audit.model import Severity

SECRET_NAME_RE = re.compile(r"(?i).*(password|passwd|secret|api_key|signature|digest)$")
SAFE_LOADERS = frozenset({"yaml.SafeLoader", "yaml.CSafeLoader"})


@dataclass(frozen=True)
class Rule:
    """A rule's id, severity and the message every finding of it carries."""

    rule_id: str
    severity: Severity
    message: str


@dataclass(frozen=True)
class Match:
    """One place a rule matched: 1-based line and column."""

    rule: Rule
    line: int
    column: int


SHELL = Rule(
    "subprocess-shell-with-variable",
    Severity.HIGH,
    "A shell command built from a variable runs whatever the variable holds; pass a list of "
    "arguments without shell=True.",
)
YAML_LOAD = Rule(
    "yaml-load-without-safe-loader",
    Severity.HIGH,
    "yaml.load with a full loader builds arbitrary Python objects; use yaml.safe_load.",
)
TLS = Rule(
    "tls-verification-disabled",
    Severity.HIGH,
    "TLS certificate verification is turned off; any machine in the path can read and change "
    "the traffic.",
)
JWT = Rule(
    "jwt-decode-without-verification",
    Severity.HIGH,
    "The token's signature is not checked, so anyone can forge its claims.",
)
PICKLE = Rule(
    "pickle-load-of-untrusted-data",
    Severity.MEDIUM,
    "Unpickling runs code chosen by whoever wrote the data; use JSON for data that crosses a "
    "trust boundary.",
)
SECRET_EQUALS = Rule(
    "secret-compared-with-equals",
    Severity.MEDIUM,
    "Comparing secrets with == leaks their prefix through timing; use hmac.compare_digest.",
)
RULES = (SHELL, YAML_LOAD, TLS, JWT, PICKLE, SECRET_EQUALS)


def _imports(nodes: list[ast.Import | ast.ImportFrom]) -> dict[str, str]:
    """Local name -> the dotted name it was imported as, from every import in the module."""
    names: dict[str, str] = {}
    for node in nodes:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    names[alias.asname] = alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                if alias.name != "*":
                    names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return names


def _dotted(node: ast.expr, imports: dict[str, str]) -> str | None:
    """``a.b.c`` with its first name resolved through the imports; None for other shapes."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(imports.get(node.id, node.id))
    return ".".join(reversed(parts))


def _module_call(name: str | None, module: str) -> bool:
    """``module.X`` for a single attribute X (what ``module.$FN`` matches)."""
    return name is not None and name.startswith(module + ".") and "." not in name[len(module) + 1 :]


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def _is_false(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is False


def _is_true(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is True


def _is_string(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _shell(call: ast.Call, name: str | None, imports: dict[str, str]) -> bool:
    if _module_call(name, "subprocess"):
        shell = _is_true(_keyword(call, "shell"))
        return bool(call.args) and shell and not _is_string(call.args[0])
    if name == "asyncio.create_subprocess_shell":
        return bool(call.args) and not _is_string(call.args[0])
    return False


def _yaml_load(call: ast.Call, name: str | None, imports: dict[str, str]) -> bool:
    if name != "yaml.load":
        return False
    loader = _keyword(call, "Loader")
    return loader is None or _dotted(loader, imports) not in SAFE_LOADERS


def _tls(call: ast.Call, name: str | None, imports: dict[str, str]) -> bool:
    return (_module_call(name, "requests") or _module_call(name, "httpx")) and _is_false(
        _keyword(call, "verify")
    )


def _jwt(call: ast.Call, name: str | None, imports: dict[str, str]) -> bool:
    if name != "jwt.decode":
        return False
    if _is_false(_keyword(call, "verify")):
        return True
    options = _keyword(call, "options")
    if not isinstance(options, ast.Dict):
        return False
    return any(
        key is not None
        and _is_string(key)
        and getattr(key, "value", None) == "verify_signature"
        and _is_false(value)
        for key, value in zip(options.keys, options.values, strict=True)
    )


def _pickle(call: ast.Call, name: str | None, imports: dict[str, str]) -> bool:
    return name in ("pickle.load", "pickle.loads")


CallCheck = Callable[[ast.Call, str | None, dict[str, str]], bool]
CALL_RULES: tuple[tuple[Rule, CallCheck], ...] = (
    (SHELL, _shell),
    (YAML_LOAD, _yaml_load),
    (TLS, _tls),
    (JWT, _jwt),
    (PICKLE, _pickle),
)


def _segment(node: ast.expr, lines: list[bytes]) -> str:
    """The node's source text (ast.get_source_segment re-splits the whole file on each call)."""
    first, last = node.lineno - 1, (node.end_lineno or node.lineno) - 1
    start, end = node.col_offset, node.end_col_offset
    if first == last:
        text = lines[first][start:end]
    else:
        text = b"".join([lines[first][start:], *lines[first + 1 : last], lines[last][:end]])
    return text.decode("utf-8", "replace")


def _secret_compared(node: ast.Compare, lines: list[bytes]) -> bool:
    if len(node.ops) != 1 or not isinstance(node.ops[0], ast.Eq):
        return False
    sides = (node.left, node.comparators[0])
    return any(SECRET_NAME_RE.match(_segment(side, lines)) for side in sides)


def check_source(source: str, filename: str = "<source>") -> list[Match]:
    """Every rule's matches in ``source``, in line order; SyntaxError when it does not parse."""
    tree = ast.parse(source, filename=filename)
    # One walk: imports anywhere in the module (even below their use) resolve every call.
    import_nodes: list[ast.Import | ast.ImportFrom] = []
    candidates: list[ast.Call | ast.Compare] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call | ast.Compare):
            candidates.append(node)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            import_nodes.append(node)
    imports = _imports(import_nodes)
    lines: list[bytes] = []
    matches: list[Match] = []
    for node in candidates:
        if isinstance(node, ast.Call):
            name = _dotted(node.func, imports)
            for rule, check in CALL_RULES:
                if check(node, name, imports):
                    matches.append(Match(rule, node.lineno, node.col_offset + 1))
        else:
            lines = lines or source.encode("utf-8").splitlines(keepends=True)
            if _secret_compared(node, lines):
                matches.append(Match(SECRET_EQUALS, node.lineno, node.col_offset + 1))
    return sorted(matches, key=lambda m: (m.line, m.column, m.rule.rule_id))
