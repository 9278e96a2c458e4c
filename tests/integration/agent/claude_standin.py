"""A scripted stand-in for the ``claude`` CLI: speaks its stream-json protocol on stdin/stdout.

The tests copy this file to an executable and point the Claude Agent SDK at it (``cli_path``).
``CLAUDE_STANDIN_SCRIPT`` names a JSON file: a list of turns, one per run of the CLI, each
``{"steps": [...], "result": "...", "cost": 0.01}``; a step is ``{"text": ...}``,
``{"write": {"path", "content"}}``, ``{"edit": {"path", "search", "replace"}}`` or
``{"read": "path"}`` and is
applied to the working directory like Claude Code's own tools would. Every invocation's argv
is appended to ``<script>.argv``.
"""

import json
import os
import sys
import uuid
from pathlib import Path


def emit(message: dict) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def assistant(blocks: list, session: str) -> None:
    emit(
        {
            "type": "assistant",
            "message": {
                "id": f"msg_{uuid.uuid4().hex[:8]}",
                "type": "message",
                "role": "assistant",
                "model": "claude-standin",
                "content": blocks,
                "stop_reason": None,
                "usage": {"input_tokens": 10, "output_tokens": 5},
            },
            "parent_tool_use_id": None,
            "session_id": session,
        }
    )


def run_turn(turn: dict, session: str) -> None:
    emit(
        {
            "type": "system",
            "subtype": "init",
            "session_id": session,
            "cwd": os.getcwd(),
            "tools": ["Read", "Edit", "Write"],
            "model": "claude-standin",
            "permissionMode": "acceptEdits",
            "claude_code_version": "2.1.300",
            "uuid": uuid.uuid4().hex,
        }
    )
    for step in turn.get("steps", []):
        if "text" in step:
            assistant([{"type": "text", "text": step["text"]}], session)
            continue
        call_id = f"toolu_{uuid.uuid4().hex[:8]}"
        if "read" in step:
            name, args = "Read", {"file_path": step["read"]}
            try:
                outcome = Path(step["read"]).read_text(errors="replace")[:2000]
            except OSError as exc:
                outcome = f"<error>{type(exc).__name__}: {exc}</error>"
        elif "write" in step:
            name, args = (
                "Write",
                {"file_path": step["write"]["path"], "content": step["write"]["content"]},
            )
            Path(step["write"]["path"]).write_text(step["write"]["content"])
            outcome = f"File created: {step['write']['path']}"
        else:
            spec = step["edit"]
            name, args = (
                "Edit",
                {
                    "file_path": spec["path"],
                    "old_string": spec["search"],
                    "new_string": spec["replace"],
                },
            )
            target = Path(spec["path"])
            target.write_text(target.read_text().replace(spec["search"], spec["replace"], 1))
            outcome = f"The file {spec['path']} has been updated."
        assistant([{"type": "tool_use", "id": call_id, "name": name, "input": args}], session)
        emit(
            {
                "type": "user",
                "session_id": session,
                "parent_tool_use_id": None,
                "message": {
                    "role": "user",
                    "content": [
                        {"type": "tool_result", "tool_use_id": call_id, "content": outcome}
                    ],
                },
            }
        )
    emit(
        {
            "type": "result",
            "subtype": "success",
            "is_error": False,
            "duration_ms": 12,
            "duration_api_ms": 10,
            "num_turns": len(turn.get("steps", [])) + 1,
            "session_id": session,
            "total_cost_usd": turn.get("cost", 0.0),
            "usage": {"input_tokens": 1200, "output_tokens": 300},
            "result": turn.get("result", "done"),
        }
    )


def main() -> None:
    script = Path(os.environ["CLAUDE_STANDIN_SCRIPT"])
    with open(f"{script}.argv", "a") as log:
        log.write(json.dumps(sys.argv[1:]) + "\n")
    if "--version" in sys.argv:
        print("2.1.300 (Claude Code)")
        return
    turns = json.loads(script.read_text())
    counter = Path(f"{script}.count")
    index = int(counter.read_text()) if counter.exists() else 0
    counter.write_text(str(index + 1))
    session = "session-standin"
    for line in sys.stdin:
        if not line.strip():
            continue
        message = json.loads(line)
        if message.get("type") == "control_request":
            emit(
                {
                    "type": "control_response",
                    "response": {
                        "subtype": "success",
                        "request_id": message["request_id"],
                        "response": {"commands": [], "output_style": "default"},
                    },
                }
            )
        elif message.get("type") == "user":
            run_turn(turns[index], session)


if __name__ == "__main__":
    main()
