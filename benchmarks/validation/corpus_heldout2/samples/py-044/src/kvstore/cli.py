"""kv PATH get|put|del|keys|compact|dump|load|stats ..."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from .log import LogStore


def dump(store: LogStore, out: Path) -> int:
    data = {k: store.get(k) for k in store.keys()}
    out.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return len(data)


def load(store: LogStore, src: Path, replace: bool = False) -> int:
    data = json.loads(src.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{src}: expected a JSON object of key -> value")
    if replace:
        for key in store.keys():
            if key not in data:
                store.remove(key)
    for key, value in data.items():
        store.put(str(key), value)
    return len(data)


def stats(store: LogStore) -> dict[str, int]:
    keys = store.keys()
    size = store.path.stat().st_size if store.path.exists() else 0
    live = sum(len(json.dumps([k, store.get(k)])) + 4 for k in keys)
    return {"keys": len(keys), "file_bytes": size, "live_bytes": live, "garbage_bytes": max(size - live, 0)}


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
        elif cmd == "dump" and len(rest) == 1:
            print(f"{dump(store, Path(rest[0]))} keys written")
        elif cmd == "load" and len(rest) in (1, 2):
            replace = rest[1:] == ["--replace"]
            try:
                print(f"{load(store, Path(rest[0]), replace)} keys loaded")
            except (OSError, ValueError) as exc:
                print(f"kv: {exc}", file=sys.stderr)
                return 1
        elif cmd == "stats":
            for name, value in stats(store).items():
                print(f"{name:>14}: {value}")
        else:
            print(__doc__, file=sys.stderr)
            return 2
    finally:
        store.close()
    return 0
