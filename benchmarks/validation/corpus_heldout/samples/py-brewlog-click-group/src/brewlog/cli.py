from pathlib import Path

import click

from brewlog.settings import ConfigError, load


@click.group()
@click.version_option()
def cli() -> None:
    """Brew log: record and look back at your batches."""


@cli.group()
def config() -> None:
    """Inspect settings."""
    pass


@config.command("show")
@click.option("--file", "path", type=click.Path(path_type=Path), default=Path("brewlog.toml"))
def show(path: Path) -> None:
    try:
        settings = load(path)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc
    for key, value in vars(settings).items():
        click.echo(f"{key} = {value!r}")


@cli.command()
def version() -> None:
    """Print the version."""
    from importlib.metadata import version as dist_version

    click.echo(dist_version("brewlog"))

