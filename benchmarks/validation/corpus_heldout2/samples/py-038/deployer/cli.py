from __future__ import annotations

import argparse
import sys

from .targets import DryRunTarget, SshTarget, Target, release_plan


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="deployer")
    parser.add_argument("release")
    parser.add_argument("--host")
    parser.add_argument("--user", default="deploy")
    parser.add_argument("--key", default="~/.ssh/id_ed25519")
    parser.add_argument("--app-dir", default="/srv/app")
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args(argv)
    if not args.dry_run and not args.host:
        parser.error("--host is required unless --dry-run is given")
    target: Target = DryRunTarget() if args.dry_run else SshTarget(args.host, args.user, args.key)
    try:
        target.apply(release_plan(args.release, args.app_dir))
    except RuntimeError as exc:
        print(f"deployer: {exc}", file=sys.stderr)
        return 1
    finally:
        target.close()
    return 0
