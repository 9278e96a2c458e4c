"""Shared pieces of the agent tests: a small project with a failing test, the model server."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from model_server import ModelServer

BUGGY = "def add(a, b):\n    return a - b\n"
TEST = "from calc import add\n\n\ndef test_add():\n    assert add(2, 3) == 5\n"
# The venv's many pytest plugins take seconds to load; these projects need none.
TEST_COMMAND = (
    f"env PYTEST_DISABLE_PLUGIN_AUTOLOAD=1 {sys.executable} -m pytest -q -p no:cacheprovider "
    "--junitxml={junit}"
)


def write_calc_project(root: Path) -> Path:
    """A project whose one test fails until ``add`` is fixed."""
    (root / "tests").mkdir(parents=True, exist_ok=True)
    (root / "calc.py").write_text(BUGGY)
    (root / "tests" / "test_calc.py").write_text(TEST)
    (root / "pyproject.toml").write_text(
        '[project]\nname = "calc"\nversion = "0"\n\n[tool.pytest.ini_options]\n'
        'pythonpath = ["."]\n\n[tool.claude-tui.validation]\n'
        f"test-command = {TEST_COMMAND!r}\n".replace("'", '"')
    )
    return root


@pytest.fixture
def calc_project() -> Callable[[Path], Path]:
    """``calc_project(root)`` writes the project (see ``write_calc_project``) and returns root."""
    return write_calc_project


@pytest.fixture
def model_server() -> Iterator[ModelServer]:
    with ModelServer() as server:
        yield server
