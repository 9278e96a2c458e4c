#!/usr/bin/env python3
"""Rotate API keys older than N days. Run from this directory: ./rotate_keys.py --days 90"""
from __future__ import annotations

import argparse
import datetime as dt

import common
from common import API, api_session, confirm


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--yes", action="store_true")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    log = common.setup_logging(args.verbose)
    session = api_session()
    keys = session.get(f"{API}/keys", timeout=10).json()
    cutoff = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=args.days)
    old = [k for k in keys if dt.datetime.fromisoformat(k["created_at"]) < cutoff]
    log.info("%d of %d keys are older than %d days", len(old), len(keys), args.days)
    if not old or not (args.yes or confirm(f"rotate {len(old)} keys?")):
        return 0
    for key in old:
        r = session.post(f"{API}/keys/{key['id']}/rotate", timeout=10)
        r.raise_for_status()
        log.info("rotated %s (%s)", key["id"], key.get("owner", "?"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
