"""The UI's modules import one another without cycles, and screens never import the app."""

from __future__ import annotations

import ast
from pathlib import Path

import claude_tui.tui

PACKAGE = "claude_tui.tui"
ROOT = Path(claude_tui.tui.__file__).parent


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join([PACKAGE, *parts])


def _imports(path: Path, name: str) -> set[str]:
    """Every module of the UI package this one imports, lazily or under TYPE_CHECKING too."""
    found: set[str] = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            # "from pkg import mod" imports the submodule when there is one.
            targets = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        else:
            continue
        found.update(t for t in targets if t == PACKAGE or t.startswith(PACKAGE + "."))
    return found


def _graph() -> dict[str, set[str]]:
    paths = {_module_name(p): p for p in ROOT.rglob("*.py")}
    return {name: _imports(path, name) & paths.keys() for name, path in paths.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as the list of modules on it, or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = 1
        stack.append(module)
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                return [*stack[stack.index(target) :], target]
            if target not in state and (found := visit(target)) is not None:
                return found
        stack.pop()
        state[module] = 2
        return None

    for module in sorted(graph):
        if module not in state and (found := visit(module)) is not None:
            return found
    return None


def test_the_walk_sees_the_ui_modules() -> None:
    graph = _graph()
    # Guards the test itself: a walk that found nothing would pass everything.
    assert f"{PACKAGE}.app" in graph
    assert f"{PACKAGE}.screens.dashboard" in graph[f"{PACKAGE}.app"]
    assert f"{PACKAGE}.screens.task" in graph[f"{PACKAGE}.screens.project"]


def test_screens_and_widgets_never_import_the_app() -> None:
    offenders = sorted(
        module
        for module, targets in _graph().items()
        if module.startswith((f"{PACKAGE}.screens", f"{PACKAGE}.widgets"))
        and f"{PACKAGE}.app" in targets
    )
    assert offenders == [], f"these import {PACKAGE}.app: {offenders}"


def test_no_import_cycle_in_the_ui() -> None:
    cycle = _cycle(_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_widgets_never_import_screens() -> None:
    offenders = sorted(
        module
        for module, targets in _graph().items()
        if module.startswith(f"{PACKAGE}.widgets")
        and any(t.startswith(f"{PACKAGE}.screens") for t in targets)
    )
    assert offenders == [], f"widgets importing screens: {offenders}"


def test_widgets_do_not_call_the_app() -> None:
    """Widgets tell their screen what happened with messages; they do not reach for the App."""
    offenders = []
    for path in (ROOT / "widgets").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr == "app":
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == [], f"widgets using self.app: {offenders}"
