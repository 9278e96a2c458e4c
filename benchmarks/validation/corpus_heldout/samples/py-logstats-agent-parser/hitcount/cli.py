import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

from hitcount.stats import build_report


def main(argv: list[str] | None = None) -> int:
    paths = [Path(p) for p in (argv if argv is not None else sys.argv[1:])]
    if not paths:
        print("usage: hitcount LOG...", file=sys.stderr)
        return 2
    report = build_report(paths)
    table = Table("path", "hits")
    for path, hits in report.top_paths():
        table.add_row(path, str(hits))
    Console().print(table)
    return 0

