"""Find broken links in a static site build, using only the standard library."""
from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from queue import Empty, Queue
from urllib.parse import urljoin, urlparse


class LinkCollector(HTMLParser):
    def __init__(self, base: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base = base
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = {"a": "href", "img": "src", "link": "href", "script": "src"}.get(tag)
        if wanted is None:
            return
        for name, value in attrs:
            if name == wanted and value and not value.startswith(("mailto:", "javascript:", "#")):
                self.links.append(urljoin(self.base, value))

    @classmethod
    def collect(cls, base: str, html: str) -> list[str]:
        parser = cls(base)
        parser.feed(html)
        parser.close()
        return parser.links


class Checker(threading.Thread):
    def __init__(self, jobs: Queue[str], results: dict[str, int | str]) -> None:
        super().__init__(daemon=True)
        self.jobs = jobs
        self.results = results

    def run(self) -> None:
        while True:
            try:
                url = self.jobs.get(timeout=0.5)
            except Empty:
                return
            self.results[url] = self.status_of(url)
            self.jobs.task_done()

    @staticmethod
    def status_of(url: str) -> int | str:
        request = urllib.request.Request(url, method="HEAD", headers={"User-Agent": "linkcheck/0.3"})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code
        except urllib.error.URLError as exc:
            return f"unreachable: {exc.reason}"


class ReportEncoder(json.JSONEncoder):
    def default(self, o: object) -> object:
        if isinstance(o, Path):
            return str(o)
        return super().default(o)


def check_site(root: Path, site_url: str, workers: int = 8) -> dict[str, int | str]:
    jobs: Queue[str] = Queue()
    seen: set[str] = set()
    for page in root.rglob("*.html"):
        base = urljoin(site_url, page.relative_to(root).as_posix())
        for link in LinkCollector.collect(base, page.read_text(encoding="utf-8", errors="replace")):
            if urlparse(link).scheme in ("http", "https") and link not in seen:
                seen.add(link)
                jobs.put(link)
    results: dict[str, int | str] = {}
    threads = [Checker(jobs, results) for _ in range(workers)]
    for t in threads:
        t.start()
    jobs.join()
    for t in threads:
        t.join()
    return results


def write_report(results: dict[str, int | str], out: Path) -> int:
    broken = {u: s for u, s in results.items() if not (isinstance(s, int) and s < 400)}
    out.write_text(json.dumps({"file": out, "broken": broken}, cls=ReportEncoder, indent=2))
    return len(broken)
