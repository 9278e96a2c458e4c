from __future__ import annotations

import sys

try:
    import orjson as _json

    def dumps(value: object) -> str:
        return _json.dumps(value).decode()

except ImportError:
    import json as _json  # type: ignore[no-redef]

    def dumps(value: object) -> str:
        return _json.dumps(value, separators=(",", ":"))


if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib


def load_toml(data: bytes) -> dict[str, object]:
    return tomllib.loads(data.decode("utf-8"))
