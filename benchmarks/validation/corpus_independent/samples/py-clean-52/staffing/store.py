"""Employee handling for staffing."""

from __future__ import annotations

import hashlib
import json
import os
import statistics
import tempfile
from collections.abc import Sequence
from decimal import Decimal, ROUND_DOWN
from pathlib import Path
from typing import Any, Protocol, overload

def paginate(items: list[Any], page: int, per_page: int = 20) -> dict[str, Any]:
    """One page of results plus the numbers a client needs to ask for the next."""
    if page < 1 or per_page < 1:
        raise ValueError("page and per_page start at 1")
    total = len(items)
    start = (page - 1) * per_page
    return {
        "items": items[start : start + per_page],
        "page": page,
        "per_page": per_page,
        "total": total,
        "pages": (total + per_page - 1) // per_page,
    }


def summarize(values: Sequence[float]) -> dict[str, float]:
    """Count, mean, median and spread for the dashboard tiles."""
    if not values:
        return {"count": 0.0, "mean": 0.0, "median": 0.0, "stdev": 0.0}
    return {
        "count": float(len(values)),
        "mean": statistics.fmean(values),
        "median": float(statistics.median(values)),
        "stdev": statistics.pstdev(values) if len(values) > 1 else 0.0,
    }


class EmployeeStore(Protocol):
    """What the service needs from storage; SQL and in-memory stores both provide it."""

    def get(self, key: str) -> dict[str, Any] | None: ...

    def put(self, key: str, value: dict[str, Any]) -> None: ...

    def delete(self, key: str) -> bool: ...


@overload
def first(store: EmployeeStore, keys: list[str]) -> dict[str, Any] | None: ...
@overload
def first(store: EmployeeStore, keys: list[str], default: dict[str, Any]) -> dict[str, Any]: ...
def first(
    store: EmployeeStore, keys: list[str], default: dict[str, Any] | None = None
) -> dict[str, Any] | None:
    for key in keys:
        found = store.get(key)
        if found is not None:
            return found
    return default


def etag_for(document: Any) -> str:
    """Stable ETag of a JSON-serialisable document (key order does not matter)."""
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"))
    return '"' + hashlib.sha256(canonical.encode()).hexdigest()[:32] + '"'


def write_json_atomic(path: Path, data: Any) -> None:
    """Write through a temporary file so readers never see half a document."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=2, sort_keys=True)
            handle.write("\n")
        os.replace(tmp_name, path)
    except BaseException:
        os.unlink(tmp_name)
        raise


def allocate(total: Decimal, weights: list[int]) -> list[Decimal]:
    """Split an amount by weights; the cents lost to rounding go to the first shares."""
    if not weights or any(w < 0 for w in weights) or sum(weights) == 0:
        raise ValueError("weights must be non-negative and not all zero")
    cent = Decimal("0.01")
    shares = [(total * w / sum(weights)).quantize(cent, rounding=ROUND_DOWN) for w in weights]
    remainder = total - sum(shares)
    index = 0
    while remainder > 0:
        shares[index % len(shares)] += cent
        remainder -= cent
        index += 1
    return shares
