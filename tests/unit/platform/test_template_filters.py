"""The answer-escaping filters give literals that parse back to the exact answer."""

from __future__ import annotations

import ast
import tomllib
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claude_tui.services.template_filters import python_string, toml_string

# Every character a UTF-8 file can hold, except NUL, which the templates refuse.
RENDERABLE = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"))


@given(RENDERABLE)
def test_toml_string_parses_back_to_the_value(value: str) -> None:
    assert tomllib.loads(f"v = {toml_string(value)}\n") == {"v": value}


@given(RENDERABLE)
def test_python_string_parses_back_to_the_value(value: str) -> None:
    assert ast.literal_eval(python_string(value)) == value


@pytest.mark.parametrize("value", ["a\x00b", "lone \ud800", "\udfff"])
@pytest.mark.parametrize("escape", [toml_string, python_string])
def test_unrenderable_values_are_refused(value: str, escape: Callable[[object], str]) -> None:
    with pytest.raises(ValueError, match="cannot be rendered"):
        escape(value)
