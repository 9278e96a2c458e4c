"""``config show``: the effective settings, secrets redacted."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from claude_tui.cli.common import load_settings, one_line_errors

app = typer.Typer(help="Configuration.", no_args_is_help=True)


@app.command()
@one_line_errors
def show(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Print the effective settings with secrets redacted."""
    values = load_settings().redacted()
    if as_json:
        typer.echo(json.dumps(values, indent=2, default=str))
        return
    width = max(len(k) for k in values)
    for key, value in values.items():
        typer.echo(f"{key.ljust(width)}  {'' if value is None else value}")
