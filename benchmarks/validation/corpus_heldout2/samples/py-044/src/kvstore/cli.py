"""kv PATH get|put|del|keys|compact ..."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from .log import LogStore


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    store = LogStore(Path(args[0]))
    cmd, rest = args[1], args[2:]
    try:
        if cmd == "get" and len(rest) == 1:
            value = store.get(rest[0])
            if value is None:
                return 1
            print(json.dumps(value))
        elif cmd == "put" and len(rest) == 2:
            store.put(rest[0], json.loads(rest[1]))
        elif cmd == "del" and len(rest) == 1:
            return 0 if store.delete(rest[0]) else 1
        elif cmd == "keys":
            print("\n".join(store.keys()))
        elif cmd == "compact":
            print(f"{store.compact()} live keys")
        else:
            print(__doc__, file=sys.stderr)
            return 2
    finally:
        store.close()
    return 0
