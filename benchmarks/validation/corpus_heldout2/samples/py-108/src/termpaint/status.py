"""Print a coloured status board of HTTP endpoints."""
from __future__ import annotations

import requests
from requests.adapters import HTTPAdapter
from urllib3.util import Retry

from . import colors


def session() -> requests.Session:
    s = requests.Session()
    retry = Retry(total=2, backoff_factor=0.3, status_forcelist=(502, 503, 504), allowed_methods=frozenset({"GET"}))
    s.mount("https://", HTTPAdapter(max_retries=retry))
    s.mount("http://", HTTPAdapter(max_retries=retry))
    return s


def board(urls: list[str]) -> str:
    s = session()
    lines = []
    for url in urls:
        try:
            code = s.get(url, timeout=5).status_code
        except requests.exceptions.ConnectionError:
            lines.append(f"{colors.BRIGHT_RED}DOWN{colors.RESET} {url}")
            continue
        colour = colors.GREEN if code < 400 else colors.YELLOW if code < 500 else colors.RED
        lines.append(f"{colour}{code}{colors.RESET}  {url}")
    return "\n".join(lines)
