import logging

import click

from tools.config import load_config


@click.group(invoke_without_command=False)
@click.option("-v", "--verbose", count=True)
@click.option("--config", "config_path", type=click.Path(dir_okay=False))
@click.pass_context
def main(ctx: click.Context, verbose: int, config_path: str | None) -> None:
    logging.basicConfig(level=logging.WARNING - 10 * verbose)
    ctx.obj = load_config(config_path)


@main.group()
def cache():
    pass


@cache.command()
@click.pass_obj
def clear(config) -> None:
    removed = config.cache_dir.clear()
    click.echo(f"removed {removed} entries")


@cache.command()
@click.pass_obj
def stats(config) -> None:
    for key, value in config.cache_dir.stats().items():
        click.echo(f"{key}: {value}")
