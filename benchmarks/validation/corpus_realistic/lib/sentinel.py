from __future__ import annotations

from typing import Any, Final


class _Missing:
    pass


MISSING: Final = _Missing()


class _Default:
    def __repr__(self) -> str:
        return "<default>"


DEFAULT: Final = _Default()


def get_option(options: dict[str, Any], key: str, default: Any = MISSING) -> Any:
    value = options.get(key, MISSING)
    if value is MISSING:
        if default is MISSING:
            raise KeyError(key)
        return default
    return value
