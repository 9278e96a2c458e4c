"""Agent overheads that are ours, not the model's: SDK round trips and the cost of a loop step.

Run: ``.venv/bin/python benchmarks/agent/bench_agent.py [--turns N] [--edits N]``
(or ``make bench-agent``).

1. Model turns against the scripted model server on loopback, through each official SDK:
   a streamed text reply and a streamed tool call, median and p90 over ``--turns`` turns.
   This is the client-side cost we add per turn (request building, SSE parsing).
2. The loop on a small Python project: ``--edits`` edits, each checked by the validation
   engine and committed, then ``finish`` with the full check (tests run in the sandbox).
   Reported: per-edit step time (tool + engine check + git commit) and the full check.

Results: benchmarks/results/agent.json and agent.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "benchmarks" / "results"
sys.path.insert(0, str(ROOT / "tests"))

from claude_tui.agent.git import TaskRepository  # noqa: E402
from claude_tui.agent.loop import AgentLoop, LoopLimits  # noqa: E402
from claude_tui.agent.providers import Message, ModelProvider  # noqa: E402
from claude_tui.agent.providers.anthropic_provider import AnthropicProvider  # noqa: E402
from claude_tui.agent.providers.openai_provider import OpenAICompatibleProvider  # noqa: E402
from claude_tui.agent.sandbox import EngineVerifier, SandboxCommands  # noqa: E402
from claude_tui.agent.tools import TOOL_SPECS, Toolbox, Workspace  # noqa: E402
from model_server import ModelServer, Reply, ToolUse  # noqa: E402


def quantiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p90 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))]
    return {"median_ms": statistics.median(ordered) * 1000, "p90_ms": p90 * 1000}


async def provider_turns(turns: int) -> dict[str, Any]:
    results: dict[str, Any] = {}
    with ModelServer() as server:
        providers: dict[str, ModelProvider] = {
            "anthropic": AnthropicProvider("claude-sonnet-4-6", "k", base_url=server.base_url),
            "openai": OpenAICompatibleProvider("qwen", None, base_url=server.openai_base_url),
        }
        tools = list(TOOL_SPECS.values())
        text = "Here is a careful explanation of what I will change next. " * 8
        for name, provider in providers.items():
            for kind, reply in (
                ("text", Reply(text=text)),
                ("tool call", Reply(tool_calls=[ToolUse("read_file", {"path": "a.py"})])),
            ):
                samples: list[float] = []
                for _ in range(turns + 3):
                    server.add(reply)
                    started = time.perf_counter()
                    await provider.complete("system", [Message("user", "go")], tools)
                    samples.append(time.perf_counter() - started)
                results[f"{name} / {kind}"] = quantiles(samples[3:])
            await provider.close()
    return results


async def loop_steps(edits: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-agent-") as tmp:
        root = Path(tmp) / "proj"
        (root / "tests").mkdir(parents=True)
        (root / "calc.py").write_text(
            "".join(f"def f{i}(x):\n    return x + {i}\n\n\n" for i in range(edits))
        )
        (root / "tests" / "test_calc.py").write_text(
            "from calc import f0\n\n\ndef test_f0():\n    assert f0(1) == 1\n"
        )
        (root / "pyproject.toml").write_text(
            '[project]\nname = "calc"\nversion = "0"\n\n[tool.pytest.ini_options]\n'
            'pythonpath = ["."]\n\n[tool.claude-tui.validation]\n'
            f'test-command = "env PYTEST_DISABLE_PLUGIN_AUTOLOAD=1 {sys.executable} -m pytest '
            '-q -p no:cacheprovider --junitxml={junit}"\n'
        )
        repo = TaskRepository(root, 1)
        repo.start()
        stamps: list[tuple[str, float]] = []

        async def record(kind: str, payload: dict[str, Any]) -> None:
            stamps.append((kind, time.perf_counter()))

        script = [
            Reply(
                tool_calls=[
                    ToolUse(
                        "edit_file",
                        {
                            "path": "calc.py",
                            "edits": [
                                {"search": f"return x + {i}\n", "replace": f"return {i} + x\n"}
                            ],
                        },
                    )
                ]
            )
            for i in range(edits)
        ]
        script.append(Reply(tool_calls=[ToolUse("finish", {"summary": "done"})]))
        with ModelServer(script) as server:
            loop = AgentLoop(
                AnthropicProvider("claude-sonnet-4-6", "k", base_url=server.base_url),
                Toolbox(Workspace(root), SandboxCommands(root), repo),
                EngineVerifier(root),
                record,
                repo=repo,
                limits=LoopLimits(max_steps=edits + 2),
            )
            outcome = await loop.run("edit")
            await loop.aclose()
        assert outcome.status == "succeeded", outcome.error
        steps: list[float] = []
        opened: float | None = None
        for kind, stamp in stamps:
            if kind == "tool_call":
                opened = stamp
            elif kind == "tool_result" and opened is not None:
                steps.append(stamp - opened)
                opened = None
        full_start = next(t for k, t in stamps if k == "phase")
        full_end = next(t for k, t in stamps if k == "validation" and t > full_start)
        return {
            "edit_step": quantiles(steps),
            "full_check_ms": (full_end - full_start) * 1000,
            "commits": len(repo.steps()),
        }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--turns", type=int, default=30)
    parser.add_argument("--edits", type=int, default=10)
    args = parser.parse_args()
    turns = asyncio.run(provider_turns(args.turns))
    steps = asyncio.run(loop_steps(args.edits))
    git = subprocess.run(["git", "--version"], capture_output=True, text=True).stdout.strip()
    result = {
        "command": f"benchmarks/agent/bench_agent.py --turns {args.turns} --edits {args.edits}",
        "machine": f"{platform.machine()}, Python {platform.python_version()}, {git}",
        "provider_turns": turns,
        "loop": steps,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "agent.json").write_text(json.dumps(result, indent=2) + "\n")
    lines = [
        "# Agent benchmark",
        "",
        f"Command: `.venv/bin/python {result['command']}` (`make bench-agent`). "
        f"Machine: {result['machine']}; the CPU is shared, so times vary.",
        "",
        "## One model turn through the SDK, scripted server on loopback (client overhead)",
        "",
        "| SDK / reply | median | p90 |",
        "|---|---:|---:|",
    ]
    for name, q in turns.items():
        lines.append(f"| {name} | {q['median_ms']:.1f} ms | {q['p90_ms']:.1f} ms |")
    lines += [
        "",
        f"## Loop on a small project ({args.edits} edits, each validated and committed)",
        "",
        "| what | time |",
        "|---|---:|",
        f"| edit step (tool + engine check + commit), median | "
        f"{steps['edit_step']['median_ms']:.0f} ms |",
        f"| edit step, p90 | {steps['edit_step']['p90_ms']:.0f} ms |",
        f"| full check with the tests in the sandbox | {steps['full_check_ms']:.0f} ms |",
        "",
    ]
    (RESULTS / "agent.md").write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
