"""Helpers shared by the maintenance scripts in this directory."""
from __future__ import annotations

import logging
import os
import sys

import requests

API = os.environ.get("OPS_API", "https://ops.internal.example/api")


def setup_logging(verbose: bool) -> logging.Logger:
    logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO, format="%(levelname)s %(message)s")
    return logging.getLogger(os.path.basename(sys.argv[0]))


def api_session() -> requests.Session:
    token = os.environ.get("OPS_TOKEN")
    if not token:
        sys.exit("OPS_TOKEN is not set")
    s = requests.Session()
    s.headers["Authorization"] = f"Bearer {token}"
    return s


def confirm(prompt: str) -> bool:
    return input(f"{prompt} [y/N] ").strip().lower() in ("y", "yes")
