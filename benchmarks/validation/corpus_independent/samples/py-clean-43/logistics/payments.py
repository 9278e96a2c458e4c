"""Shipment handling for logistics."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import tomllib
import urllib.request
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar
logger = logging.getLogger(__name__)


_K = TypeVar("_K")
_V = TypeVar("_V")


class BoundedCache(Generic[_K, _V]):
    """Least-recently-used mapping with a fixed number of entries."""

    def __init__(self, capacity: int = 256) -> None:
        if capacity < 1:
            raise ValueError("capacity must be positive")
        self._capacity = capacity
        self._data: OrderedDict[_K, _V] = OrderedDict()

    def get(self, key: _K) -> _V | None:
        if key not in self._data:
            return None
        self._data.move_to_end(key)
        return self._data[key]

    def put(self, key: _K, value: _V) -> None:
        self._data[key] = value
        self._data.move_to_end(key)
        while len(self._data) > self._capacity:
            self._data.popitem(last=False)

    def __len__(self) -> int:
        return len(self._data)


_T = TypeVar("_T")


def in_batches(items: Sequence[_T], size: int) -> Iterator[list[_T]]:
    """Yield consecutive slices of at most `size` items (the bulk API takes 100 at a time)."""
    if size < 1:
        raise ValueError("batch size must be at least 1")
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


def render_table(headers: list[str], rows: list[list[str]]) -> str:
    """Plain-text table with columns padded to their widest cell."""
    widths = [len(h) for h in headers]
    for row in rows:
        if len(row) != len(headers):
            raise ValueError(f"row has {len(row)} cells, expected {len(headers)}")
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))
    return "\n".join(lines)


class ShipmentPaymentClient:
    """Talks to the carrier gateway for shipments."""

    def __init__(self, api_key: str, base_url: str = "https://api.carrier.example.com/v2") -> None:
        if not api_key:
            raise ValueError("an API key is required")
        self.api_key = api_key
        self.base_url = base_url.rstrip("/")

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.api_key}", "Content-Type": "application/json"}

    def charge(self, tracking_no: str, amount_cents: int, currency: str = "EUR") -> dict[str, Any]:
        """Charge the customer's card for this shipment."""
        if amount_cents <= 0:
            raise ValueError("amount must be positive")
        logger.info("charging %s: %d %s", tracking_no, amount_cents, currency)
        body = json.dumps({"reference": tracking_no, "amount": amount_cents, "currency": currency}).encode()
        request = urllib.request.Request(
            f"{self.base_url}/charges", data=body, method="POST", headers=self._headers()
        )
        with urllib.request.urlopen(request, timeout=15) as response:
            return dict(json.loads(response.read()))

    def refund(self, charge_id: str) -> dict[str, Any]:
        """Refund a charge in full."""
        request = urllib.request.Request(
            f"{self.base_url}/charges/{charge_id}/refund", method="POST", headers=self._headers()
        )
        with urllib.request.urlopen(request, timeout=15) as response:
            return dict(json.loads(response.read()))


@dataclass(frozen=True)
class FileSettings:
    """The [logistics] table of the deployment's settings file."""

    database_url: str
    workers: int = 4
    debug: bool = False


def read_settings(path: Path) -> FileSettings:
    with path.open("rb") as handle:
        document = tomllib.load(handle)
    table = document.get("logistics")
    if not isinstance(table, dict):
        raise ValueError(f"{path}: missing [logistics] table")
    if "database_url" not in table:
        raise ValueError(f"{path}: [logistics] needs database_url")
    return FileSettings(
        database_url=str(table["database_url"]),
        workers=int(table.get("workers", 4)),
        debug=bool(table.get("debug", False)),
    )


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


def etag_for(document: Any) -> str:
    """Stable ETag of a JSON-serialisable document (key order does not matter)."""
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"))
    return '"' + hashlib.sha256(canonical.encode()).hexdigest()[:32] + '"'
