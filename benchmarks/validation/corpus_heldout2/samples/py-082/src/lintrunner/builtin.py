from __future__ import annotations


class LineLength:
    name = "line-length"

    def __init__(self, limit: int = 100) -> None:
        self.limit = limit

    def run(self, path: str, text: str) -> list[str]:
        return [
            f"{path}:{n}: line is {len(line)} characters (limit {self.limit})"
            for n, line in enumerate(text.splitlines(), 1)
            if len(line) > self.limit
        ]


class TrailingSpace:
    name = "trailing-space"

    def run(self, path: str, text: str) -> list[str]:
        return [f"{path}:{n}: trailing whitespace" for n, line in enumerate(text.splitlines(), 1) if line != line.rstrip()]
