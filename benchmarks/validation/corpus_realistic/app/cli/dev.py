"""Developer commands; ``app dev --help``."""

from __future__ import annotations

import subprocess
import sys

import click


@click.group()
def dev() -> None:
    pass


@dev.command()
@click.option("--port", default=8000, show_default=True)
@click.option("--mock-llm", is_flag=True, help="answer model calls from recorded fixtures")
def serve(port: int, mock_llm: bool) -> None:
    """Run the API with auto-reload."""
    env_flag = ["--env", "LLM_MODE=replay"] if mock_llm else []
    subprocess.run([sys.executable, "-m", "uvicorn", "app.main:app", "--reload", "--port", str(port), *env_flag], check=True)
