from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .storage import Manifest
from .strip import strip_file


def status(root: Path) -> list[str]:
    """Notebooks that changed since the last run, relative to root."""
    manifest = Manifest(root)
    return [
        str(nb.relative_to(root))
        for nb in sorted(root.rglob("*.ipynb"))
        if ".ipynb_checkpoints" not in nb.parts and manifest.changed(nb)
    ]


def install_hook(repo: Path) -> Path:
    """Write a git pre-commit hook that runs nbsync on the repository."""
    hooks = repo / ".git" / "hooks"
    if not hooks.is_dir():
        raise FileNotFoundError(f"{repo} is not a git repository")
    hook = hooks / "pre-commit"
    hook.write_text("#!/bin/sh\nexec nbsync \"$(git rev-parse --show-toplevel)\"\n", encoding="utf-8")
    hook.chmod(0o755)
    return hook


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="nbsync")
    p.add_argument("root", type=Path)
    p.add_argument("--keep-outputs", action="store_true")
    p.add_argument("--status", action="store_true", help="only list notebooks that would be cleaned")
    p.add_argument("--install-hook", action="store_true")
    args = p.parse_args(argv)
    if args.install_hook:
        try:
            print(f"installed {install_hook(args.root)}")
        except FileNotFoundError as exc:
            print(f"nbsync: {exc}", file=sys.stderr)
            return 2
        return 0
    if not args.root.is_dir():
        print(f"nbsync: {args.root} is not a directory", file=sys.stderr)
        return 2
    if args.status:
        for name in status(args.root):
            print(name)
        return 0
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
