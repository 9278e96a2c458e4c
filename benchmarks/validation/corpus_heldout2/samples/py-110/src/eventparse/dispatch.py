"""Turn loosely structured webhook JSON into typed events with structural pattern matching."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Push:
    repo: str
    branch: str
    commits: int


@dataclass(frozen=True)
class Comment:
    repo: str
    author: str
    body: str


@dataclass(frozen=True)
class Unknown:
    kind: str


Event = Push | Comment | Unknown


def parse(payload: dict[str, Any]) -> Event:
    match payload:
        case {"type": "push", "repo": str(repo), "ref": str(ref), "commits": [*commits]} if ref.startswith("refs/heads/"):
            return Push(repo, ref.removeprefix("refs/heads/"), len(commits))
        case {"type": "comment", "repo": str(repo), "user": {"login": str(author)}, "body": str(body), **_rest}:
            return Comment(repo, author, body.strip())
        case {"type": str(kind)}:
            return Unknown(kind)
        case _:
            return Unknown("malformed")


def describe(event: Event) -> str:
    match event:
        case Push(repo=repo, branch="main" | "master" as branch, commits=n):
            return f"{n} commit(s) to {repo}@{branch} (default branch)"
        case Push(repo, branch, n):
            return f"{n} commit(s) to {repo}@{branch}"
        case Comment(author=author, body=body) if len(body) > 80:
            return f"{author}: {body[:77]}..."
        case Comment(author=author, body=body):
            return f"{author}: {body}"
        case Unknown(kind=kind):
            return f"ignored {kind} event"


def count_by_type(payloads: list[dict[str, Any]]) -> dict[str, int]:
    match = {}
    for p in payloads:
        case = type(parse(p)).__name__
        match[case] = match.get(case, 0) + 1
    return match
