from __future__ import annotations

from typing import Any


class Validator:
    def validate(self, value: Any) -> Any:
        raise NotImplementedError


class AnyValidator(Validator):
    def validate(self, value: Any) -> Any:
        # Nothing to check: the schema accepts any JSON value here.
        return value


class IntValidator(Validator):
    def __init__(self, minimum: int | None = None) -> None:
        self.minimum = minimum

    def validate(self, value: Any) -> int:
        if not isinstance(value, int) or isinstance(value, bool):
            raise TypeError(f"expected an integer, got {type(value).__name__}")
        if self.minimum is not None and value < self.minimum:
            raise ValueError(f"{value} < {self.minimum}")
        return value
