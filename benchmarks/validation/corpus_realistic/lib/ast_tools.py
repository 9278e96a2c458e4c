from __future__ import annotations

import ast


class NameCollector(ast.NodeVisitor):
    """Collects the names a module binds at top level."""

    def __init__(self) -> None:
        self.names: set[str] = set()

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self.names.add(node.name)

    visit_AsyncFunctionDef = visit_FunctionDef  # type: ignore[assignment]

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.names.add(node.name)

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            if isinstance(target, ast.Name):
                self.names.add(target.id)

    def visit_Lambda(self, node: ast.Lambda) -> None:
        # A lambda binds nothing at module level, and its body holds no definitions.
        pass


def bound_names(source: str) -> set[str]:
    collector = NameCollector()
    collector.visit(ast.parse(source))
    return collector.names
