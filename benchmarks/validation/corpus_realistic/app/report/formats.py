from __future__ import annotations

import csv
import io
import json
from typing import Any


def to_json(rows: list[dict[str, Any]]) -> str:
    return json.dumps(rows, indent=2, default=str)


def to_csv(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return ""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def to_xlsx(rows: list[dict[str, Any]]) -> bytes:
    # Excel export: same approach using openpyxl
    raise NotImplementedError


FORMATTERS = {
    "json": to_json,
    "csv": to_csv,
    "xlsx": to_xlsx,
}


def render(rows: list[dict[str, Any]], fmt: str) -> str | bytes:
    try:
        return FORMATTERS[fmt](rows)
    except KeyError:
        raise ValueError(f"unsupported format {fmt!r}") from None
