"""``audit_path`` as an MCP client sees it: its schema, its report, its errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mcp import Client
from mcp.server.mcpserver import MCPServer
from planted_secrets import SecretFactory

from claude_tui.audit.mcp_tool import audit_path


def payload(result: Any) -> dict[str, Any]:
    if result.structured_content is not None:
        data = result.structured_content
        return data.get("result", data) if isinstance(data, dict) else data
    return json.loads(result.content[0].text)


def server() -> MCPServer:
    srv: MCPServer = MCPServer("audit-test")
    srv.add_tool(audit_path)
    return srv


async def test_audit_path_over_mcp(tmp_path: Path) -> None:
    key = SecretFactory().openai_key()
    (tmp_path / ".env").write_text(f"OPENAI_API_KEY={key}\n")
    async with Client(server()) as client:
        (tool,) = (await client.list_tools()).tools
        assert tool.name == "audit_path"
        assert {"path", "scanners", "history", "fail_on"} <= set(tool.input_schema["properties"])
        result = await client.call_tool(
            "audit_path", {"path": str(tmp_path), "scanners": ["secrets"], "offline": True}
        )
        report = payload(result)
        assert report["verdict"] == "fail"
        assert [f["rule"] for f in report["findings"]] == ["openai-api-key"]
        assert key not in json.dumps(report)

        for bad, message in (
            ({"path": str(tmp_path / "nope")}, "does not exist"),
            ({"path": str(tmp_path), "scanners": ["virus"]}, "unknown scanner(s) virus"),
            ({"path": str(tmp_path), "fail_on": "severe"}, "unknown severity"),
            ({"path": str(tmp_path), "advisories": str(tmp_path / "x")}, "is not a directory"),
        ):
            error = await client.call_tool("audit_path", bad)
            assert error.is_error
            assert message in error.content[0].text


async def test_dependencies_without_a_source_are_incomplete_over_mcp(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("jinja2==3.1.4\n")
    async with Client(server()) as client:
        result = await client.call_tool(
            "audit_path", {"path": str(tmp_path), "scanners": ["dependencies"], "offline": True}
        )
    report = payload(result)
    assert report["verdict"] == "incomplete"
    assert report["scanners"][0]["status"] == "not checked"
