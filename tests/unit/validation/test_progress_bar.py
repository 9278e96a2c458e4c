"""The CLI's progress bar: shown for large trees on a terminal, silent otherwise."""

from __future__ import annotations

import io
import sys

import pytest

from claude_tui.cli import validate_cmd


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_large_tree_on_a_terminal_shows_a_bar(monkeypatch: pytest.MonkeyPatch) -> None:
    screen = Terminal()
    monkeypatch.setattr(sys, "stderr", screen)
    with validate_cmd._progress_bar() as progress:
        progress(0, 400)
        progress(400, 400)
    assert "validating" in screen.getvalue()


def test_small_tree_or_pipe_shows_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    screen = Terminal()
    monkeypatch.setattr(sys, "stderr", screen)
    with validate_cmd._progress_bar() as progress:
        progress(0, 10)
        progress(10, 10)
    assert screen.getvalue() == ""
    piped = io.StringIO()
    monkeypatch.setattr(sys, "stderr", piped)
    with validate_cmd._progress_bar() as progress:
        progress(0, 400)
    assert piped.getvalue() == ""
