from __future__ import annotations

from typing import Any

import pytest

from lib.plugins.base import Plugin


class NoopPlugin(Plugin):
    name = "noop"

    def setup(self, config: dict[str, Any]) -> None:
        pass

    def run(self, payload: dict[str, Any]) -> dict[str, Any]:
        return payload

    @property
    def version(self) -> str:
        return "0"


class Incomplete(Plugin):
    name = "incomplete"


def test_noop_plugin_returns_payload() -> None:
    plugin = NoopPlugin()
    plugin.setup({})
    assert plugin.run({"a": 1}) == {"a": 1}


def test_abstract_methods_are_enforced() -> None:
    with pytest.raises(TypeError):
        Incomplete()  # type: ignore[abstract]


def test_teardown_default_does_nothing() -> None:
    NoopPlugin().teardown()
