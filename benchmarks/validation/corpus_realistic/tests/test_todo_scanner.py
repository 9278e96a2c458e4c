"""The scanner lists TODO and FIXME comments with their lines."""

from pathlib import Path

from devtools.todo_scanner import scan

SOURCE = '''
def parse(text):
    # TODO: handle tabs
    return text.split()


def render(items):
    pass  # FIXME: empty output
'''


def test_finds_todo_and_fixme(tmp_path: Path) -> None:
    target = tmp_path / "module.py"
    target.write_text(SOURCE)
    found = scan(target)
    assert [(f.line, f.tag) for f in found] == [(3, "TODO"), (8, "FIXME")]


def test_ignores_todo_in_strings(tmp_path: Path) -> None:
    target = tmp_path / "strings.py"
    target.write_text('MESSAGE = "TODO list is empty"\n')
    assert scan(target) == []


def test_empty_file(tmp_path: Path) -> None:
    target = tmp_path / "empty.py"
    target.write_text("")
    assert scan(target) == []
