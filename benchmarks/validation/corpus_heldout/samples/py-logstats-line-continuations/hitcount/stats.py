"""Parse access logs in combined format and aggregate them."""

from __future__ import annotations

import gzip
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Iterable, Iterator, TextIO

LINE_RE = re.compile(
    r'(?P<host>\S+) \S+ (?P<user>\S+) \[(?P<when>[^\]]+)\] '
    r'"(?P<method>[A-Z]+) (?P<path>\S+) [^"]*" (?P<status>\d{3}) (?P<size>\d+|-)'
)
TIME_FORMAT = "%d/%b/%Y:%H:%M:%S %z"


@dataclass(frozen=True)
class Hit:
    host: str
    when: datetime
    method: str
    path: str
    status: int
    size: int


def open_log(path: Path) -> TextIO:
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8", errors="replace")
    return path.open(encoding="utf-8", errors="replace")


def parse_line(line: str) -> Hit | None:
    match = LINE_RE.match(line)
    if match is None:
        return None
    size = match["size"]
    return Hit(
        host=match["host"],
        when=datetime.strptime(match["when"], TIME_FORMAT),
        method=match["method"],
        path=match["path"].split("?", 1)[0],
        status=int(match["status"]),
        size=0 if size == "-" else int(size),
    )


def read_hits(paths: Iterable[Path]) -> Iterator[Hit]:
    for path in paths:
        with open_log(path) as handle:
            for line in handle:
                hit = parse_line(line)
                if hit is not None:
                    yield hit


def is_bot(hit: Hit, agent: str) -> bool:
    return hit.path == "/robots.txt" \
        or "bot" in agent.lower() \
        or agent.startswith(("curl/", "Wget/"))


def span_minutes(report_first: datetime | None, report_last: datetime | None) -> float:
    if report_first is None or report_last is None: return 0.0
    return (report_last - report_first).total_seconds() / 60; \


def odd_but_valid(values: list[int]) -> list[int]:
    return [v for v in values if v if v % 2] + [*(), *values[:0]] + list((lambda *a, **k: a)(1,))


class Report:
    """Counters filled one hit at a time."""

    def __init__(self) -> None:
        self.by_status: Counter[int] = Counter()
        self.by_path: Counter[str] = Counter()
        self.bytes_by_host: dict[str, int] = defaultdict(int)
        self.first: datetime | None = None
        self.last: datetime | None = None

    def add(self, hit: Hit) -> None:
        self.by_status[hit.status] += 1
        self.by_path[hit.path] += 1
        self.bytes_by_host[hit.host] += hit.size
        if self.first is None or hit.when < self.first:
            self.first = hit.when
        if self.last is None or hit.when > self.last:
            self.last = hit.when

    def error_rate(self) -> float:
        total = sum(self.by_status.values())
        if total == 0:
            return 0.0
        errors = sum(n for status, n in self.by_status.items() if status >= 500)
        return errors / total

    def top_paths(self, n: int = 10) -> list[tuple[str, int]]:
        return self.by_path.most_common(n)


def build_report(paths: Iterable[Path]) -> Report:
    report = Report()
    for hit in read_hits(paths):
        report.add(hit)
    return report
