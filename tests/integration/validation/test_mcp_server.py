"""The MCP server, driven by the SDK's own client over stdio as Claude Code would."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from mcp import Client, StdioServerParameters

TD = "TO" + "DO"


def _server(tmp_path: Path) -> StdioServerParameters:
    return StdioServerParameters(
        command=sys.executable,
        args=["-m", "claude_tui.mcp_server"],
        env={"XDG_CACHE_HOME": str(tmp_path / "cache"), "CLAUDE_TUI_DATA_DIR": str(tmp_path)},
        cwd=str(tmp_path),
    )


def _payload(result: Any) -> dict[str, Any]:
    if result.structured_content is not None:
        data = result.structured_content
        return data.get("result", data) if isinstance(data, dict) else data
    return json.loads(result.content[0].text)


async def test_tools_over_stdio(tmp_path: Path) -> None:
    project = tmp_path / "proj"
    project.mkdir()
    (project / "done.py").write_text("def ok():\n    return 1\n")
    (project / "stub.py").write_text("def later():\n    pass\n")
    async with Client(_server(tmp_path)) as client:
        names = [tool.name for tool in (await client.list_tools()).tools]
        assert names == ["validate_path", "validate_snippet", "check_progress", "audit_path"]

        snippet = _payload(
            await client.call_tool(
                "validate_snippet", {"code": "import leftpadzz\n", "language": "python"}
            )
        )
        assert snippet["passed"] is False
        assert snippet["findings"][0]["rule"] == "imports.unresolved"

        path = _payload(await client.call_tool("validate_path", {"path": str(project)}))
        assert [f["path"] for f in path["findings"]] == ["stub.py"]

        progress = _payload(
            await client.call_tool(
                "check_progress",
                {
                    "path": str(project),
                    "files_done": ["done.py", "stub.py"],
                    "percent_complete": 80,
                },
            )
        )
        assert progress["claimed_percent"] == 80
        assert progress["verified_percent"] == 40
        assert (
            "stub.py is claimed done but has placeholder.stub-body"
            in progress["deductions"][0]["reason"]
        )

        bad = await client.call_tool("validate_snippet", {"code": "x", "language": "cobolx"})
        assert bad.is_error
        assert "unknown language" in bad.content[0].text


async def test_in_process_client_sees_the_same_tools(tmp_path: Path) -> None:
    from claude_tui.mcp_server import build_server

    (tmp_path / "app.py").write_text("def f():\n    return missing_helper()\n")
    async with Client(build_server()) as client:
        result = await client.call_tool("validate_path", {"path": str(tmp_path)})
        payload = _payload(result)
        assert payload["passed"] is False
        assert [f["rule"] for f in payload["findings"]] == ["names.undefined"]
        bad = await client.call_tool("validate_path", {"path": str(tmp_path / "nope")})
        assert bad.is_error
        threshold = await client.call_tool(
            "validate_path", {"path": str(tmp_path), "fail_on": "critical"}
        )
        assert threshold.is_error
        claim = await client.call_tool(
            "check_progress", {"path": str(tmp_path), "files_done": "app.py"}
        )
        assert claim.is_error
