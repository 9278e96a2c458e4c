"""The online dependency source, against an HTTP server on loopback speaking OSV's API."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from claude_tui.audit.options import AuditOptions
from claude_tui.audit.policy import Policy
from claude_tui.audit.runner import run_audit
from servers import free_port

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "audit" / "advisories"
# What the service answers: (ecosystem, name, version) -> advisory ids, as OSV would.
AFFECTED = {("PyPI", "jinja2", "3.1.4"): ["CTUI-TEST-2026-0001"]}


class OsvHandler(BaseHTTPRequestHandler):
    queries: list[dict[str, object]] = []

    def log_message(self, *args: object) -> None:
        return

    def _send(self, status: int, body: object) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self) -> None:
        if self.path != "/v1/querybatch":
            self._send(404, {"message": "not found"})
            return
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        OsvHandler.queries.extend(body["queries"])
        results = []
        for q in body["queries"]:
            key = (q["package"]["ecosystem"], q["package"]["name"].lower(), q["version"])
            results.append(
                {"vulns": [{"id": i} for i in AFFECTED.get(key, [])]} if key in AFFECTED else {}
            )
        self._send(200, {"results": results})

    def do_GET(self) -> None:
        vid = self.path.rsplit("/", 1)[-1]
        path = FIXTURES / f"{vid}.json"
        if not path.exists():
            self._send(404, {"message": "Bug not found"})
            return
        self._send(200, json.loads(path.read_text()))


@pytest.fixture
def osv_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), OsvHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_online_source_reports_what_the_service_says(tmp_path: Path, osv_url: str) -> None:
    (tmp_path / "requirements.txt").write_text("jinja2==3.1.4\nrich==13.7.0\n")
    report = run_audit(tmp_path, Policy(), AuditOptions(osv_url=osv_url, only=("dependencies",)))
    (outcome,) = report.outcomes
    assert outcome.status.value == "completed"
    assert [(f.rule_id, f.properties["package"]) for f in outcome.findings] == [
        ("CTUI-TEST-2026-0001", "jinja2")
    ]
    assert "fixed in 3.1.5" in outcome.findings[0].message
    assert {
        "package": {"ecosystem": "PyPI", "name": "rich"},
        "version": "13.7.0",
    } in OsvHandler.queries
    assert report.exit_code == 1


def test_a_service_error_is_not_checked(tmp_path: Path, osv_url: str) -> None:
    (tmp_path / "requirements.txt").write_text("jinja2==3.1.4\n")
    report = run_audit(
        tmp_path, Policy(), AuditOptions(osv_url=osv_url + "/wrong-prefix", only=("dependencies",))
    )
    (outcome,) = report.outcomes
    assert outcome.status.value == "not checked"
    assert "404" in outcome.reason
    assert report.exit_code == 2
