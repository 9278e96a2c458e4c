"""Command line interface of the deployment tool."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from tools.deploy import apply_plan, load_plan


@click.group()
@click.version_option()
def cli() -> None:
    """Plan and apply deployments."""


@cli.group()
def db() -> None:
    """Database maintenance commands."""


@db.command()
@click.option("--revision", default="head", show_default=True)
def migrate(revision: str) -> None:
    """Apply migrations up to REVISION."""
    from tools.migrations import upgrade

    upgrade(revision)
    click.echo(f"migrated to {revision}")


@cli.command()
@click.argument("plan_file", type=click.Path(exists=True, path_type=Path))
@click.option("--yes", is_flag=True, help="apply without asking")
def apply(plan_file: Path, yes: bool) -> None:
    """Apply the deployment plan in PLAN_FILE."""
    plan = load_plan(plan_file)
    if not yes and not click.confirm(f"apply {len(plan.steps)} steps?"):
        sys.exit(1)
    apply_plan(plan)
