from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .storage import Manifest
from .strip import strip_file


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="nbsync")
    p.add_argument("root", type=Path)
    p.add_argument("--keep-outputs", action="store_true")
    args = p.parse_args(argv)
    if not args.root.is_dir():
        print(f"nbsync: {args.root} is not a directory", file=sys.stderr)
        return 2
    manifest = Manifest(args.root)
    changed = 0
    for nb in sorted(args.root.rglob("*.ipynb")):
        if ".ipynb_checkpoints" in nb.parts or not manifest.changed(nb):
            continue
        if strip_file(nb, args.keep_outputs):
            changed += 1
        manifest.record(nb)
    manifest.save()
    print(f"{changed} notebooks cleaned")
    return 0
