from __future__ import annotations

import http.server
import shutil
import socketserver
import sys
from functools import partial
from pathlib import Path

import click


@click.group()
@click.version_option()
def cli() -> None:
    """Build and preview the static site."""


@cli.group()
def theme() -> None:
    """Manage themes."""
    pass


@theme.command("list")
@click.option("--themes-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("themes"))
def list_themes(themes_dir: Path) -> None:
    if not themes_dir.is_dir():
        raise click.ClickException(f"no themes directory at {themes_dir}")
    for d in sorted(p for p in themes_dir.iterdir() if p.is_dir()):
        click.echo(d.name)


@cli.command()
@click.argument("out", type=click.Path(file_okay=False, path_type=Path), default=Path("public"))
@click.option("--clean/--no-clean", default=True)
def build(out: Path, clean: bool) -> None:
    """Copy content into OUT (the real renderer plugs in here via entry points)."""
    content = Path("content")
    if not content.is_dir():
        raise click.ClickException("run this from a site root (no content/ directory here)")
    if clean and out.exists():
        shutil.rmtree(out)
    shutil.copytree(content, out, dirs_exist_ok=True)
    click.echo(f"built into {out}")


@cli.command()
@click.option("--port", default=8000, show_default=True)
@click.argument("root", type=click.Path(exists=True, file_okay=False, path_type=Path), default=Path("public"))
def serve(port: int, root: Path) -> None:
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    try:
        with socketserver.TCPServer(("127.0.0.1", port), handler) as httpd:
            click.echo(f"serving {root} on http://127.0.0.1:{port}")
            httpd.serve_forever()
    except KeyboardInterrupt:
        click.echo("stopped")
        sys.exit(130)
    except OSError as exc:
        raise click.ClickException(f"cannot listen on port {port}: {exc.strerror}") from exc
