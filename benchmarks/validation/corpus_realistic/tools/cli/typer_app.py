from __future__ import annotations

from typing import Annotated

import typer

from tools.cluster import Cluster

app = typer.Typer(no_args_is_help=True)
nodes = typer.Typer(help="Inspect and drain nodes.")
app.add_typer(nodes, name="nodes")


@app.callback()
def main() -> None:
    pass


@nodes.callback()
def nodes_main(ctx: typer.Context) -> None:
    """Node commands talk to the cluster named by KUBECONFIG."""


@nodes.command("list")
def list_nodes(
    ready_only: Annotated[bool, typer.Option("--ready", help="only ready nodes")] = False,
) -> None:
    for node in Cluster.from_env().nodes():
        if ready_only and not node.ready:
            continue
        typer.echo(f"{node.name}\t{node.status}")


@nodes.command()
def drain(name: str, force: bool = False) -> None:
    Cluster.from_env().drain(name, force=force)
    typer.echo(f"drained {name}")


if __name__ == "__main__":
    app()
