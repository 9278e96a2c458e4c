"""``deploy ENV``, ``deploy history|status|stats|manifests ENV`` and ``rollback ENV``: blue-green
releases."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from claude_tui.cli.common import CliError, one_line_errors

if TYPE_CHECKING:
    from claude_tui.ops.deploy.engine import Deployer
    from claude_tui.ops.deploy.environments import Environment

ACTIONS = ("history", "status", "stats", "manifests")
STRATEGIES = ("blue-green",)

EnvDirOption = Annotated[
    Path | None,
    typer.Option(
        "--environments",
        help="Directory of the environment files (default deploy/environments, or "
        "CLAUDE_TUI_DEPLOY_ENVIRONMENTS).",
    ),
]
JsonOption = Annotated[
    bool, typer.Option("--json", help="Events as JSON lines on stderr instead of the summary.")
]


def _environment(name: str, directory: Path | None, target: str | None = None) -> Environment:
    from pydantic import ValidationError

    from claude_tui.ops.deploy.environments import (
        Environment,
        EnvironmentFileError,
        load,
    )

    try:
        env = load(name, directory)
    except EnvironmentFileError as exc:
        raise CliError(str(exc)) from exc
    if target is not None and target != env.target:
        if target not in ("compose", "k8s"):
            raise CliError(f"unknown target {target!r} (compose or k8s)")
        try:
            env = Environment.model_validate({**env.model_dump(), "target": target})
        except ValidationError as exc:
            message = str(exc.errors()[0].get("msg", "invalid")).removeprefix("Value error, ")
            raise CliError(f"{env.path}: --target {target}: {message}") from exc
    return env


class _Terminal:
    """The events of a deploy: JSON lines (stderr, and a log file), or a progress summary."""

    def __init__(self, as_json: bool, log: Path | None) -> None:
        from rich.console import Console
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self.as_json = as_json
        self.log = log
        self.console = Console(stderr=True, highlight=False)
        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=self.console,
            disable=as_json,
        )
        self.tasks: dict[str, Any] = {}

    def __call__(self, event: dict[str, Any]) -> None:
        line = json.dumps(event, sort_keys=True)
        if self.log is not None:
            with self.log.open("a", encoding="utf-8") as handle:
                handle.write(line + "\n")
        if self.as_json:
            sys.stderr.write(line + "\n")
            sys.stderr.flush()
            return
        name = str(event.get("step", ""))
        kind = event["event"]
        if kind == "step.started":
            self.tasks[name] = self.progress.add_task(f"{name} …", total=1)
        elif kind in ("step.finished", "step.failed", "step.skipped"):
            mark = {"step.finished": "[green]✓", "step.failed": "[red]✗", "step.skipped": "[dim]-"}
            detail = str(event.get("detail", ""))
            description = f"{mark[kind]} {name}[/]" + (f"  [dim]{detail}[/]" if detail else "")
            if name in self.tasks:
                self.progress.update(self.tasks[name], description=description, completed=1)
            else:
                self.tasks[name] = self.progress.add_task(description, total=1, completed=1)

    def __enter__(self) -> _Terminal:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()


def _deployer(env: Environment, sink: Any) -> Deployer:
    from claude_tui.ops.deploy.engine import Deployer
    from claude_tui.ops.deploy.environments import make_target
    from claude_tui.ops.deploy.target import TargetError

    try:
        target = make_target(env)
    except TargetError as exc:
        raise CliError(str(exc), 1) from exc
    return Deployer(env, target, sink)


def _guard(what: str) -> Any:
    """Failures of the engine or the target as one line, exit 1."""
    import contextlib

    from claude_tui.ops.deploy.analysis import MetricsError
    from claude_tui.ops.deploy.engine import DeployFailed
    from claude_tui.ops.deploy.environments import EnvironmentFileError
    from claude_tui.ops.deploy.target import TargetError

    @contextlib.contextmanager
    def guard() -> Any:
        try:
            yield
        except EnvironmentFileError as exc:
            raise CliError(str(exc)) from exc
        except (DeployFailed, TargetError, MetricsError) as exc:
            raise CliError(f"{what}: {exc}", 1) from exc

    return guard()


def _confirm(env: Environment, yes: bool, what: str) -> None:
    if not env.confirm or yes:
        return
    if not sys.stdin.isatty():
        raise CliError(f"{env.name} asks for confirmation: pass --yes to {what} without a prompt")
    if not typer.confirm(f"{what} on {env.name}?", default=False):
        raise CliError("cancelled", 1)


@one_line_errors
def deploy(
    env_or_action: Annotated[
        str,
        typer.Argument(
            metavar="ENV|history|status|stats|manifests", help="Environment, or an action."
        ),
    ],
    env_name: Annotated[
        str | None, typer.Argument(metavar="[ENV]", help="Environment of the action.")
    ] = None,
    image: Annotated[str | None, typer.Option("--image", help="Image reference to deploy.")] = None,
    target: Annotated[
        str | None, typer.Option("--target", help="compose or k8s (default: the file's).")
    ] = None,
    strategy: Annotated[
        str, typer.Option("--strategy", help="Release strategy (blue-green, the only one).")
    ] = "blue-green",
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the plan only.")] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    as_json: JsonOption = False,
    log: Annotated[
        Path | None, typer.Option("--log", help="Append every event as a JSON line to FILE.")
    ] = None,
    revision: Annotated[
        str | None, typer.Option(help="Commit of the image (default $GITHUB_SHA).")
    ] = None,
    commit_time: Annotated[
        str | None, typer.Option(help="Commit time, ISO 8601 (default: from git).")
    ] = None,
    days: Annotated[int, typer.Option(help="stats: the period, in days.", min=1)] = 30,
    environments: EnvDirOption = None,
) -> None:
    """Deploy IMAGE to ENV blue-green, or show an environment's history, status or stats.

    ``deploy manifests ENV`` reads rendered manifests on stdin and prints them safe to
    re-apply: ``kubectl kustomize DIR | claude-tui deploy manifests ENV | kubectl apply
    --server-side -f -`` keeps the live colour, the colours' images and the HPAs' replicas.
    """
    import os

    if env_or_action in ACTIONS:
        if env_name is None:
            raise CliError(
                f"deploy {env_or_action} needs an environment: deploy {env_or_action} ENV"
            )
        env = _environment(env_name, environments, target)
        actions = {"history": _history, "status": _status, "stats": _stats, "manifests": _manifests}
        actions[env_or_action](env, as_json, days)
        return
    if env_name is not None:
        raise CliError(f"unexpected argument {env_name!r} (deploy ENV --image REF)")
    if strategy not in STRATEGIES:
        raise CliError(f"unknown strategy {strategy!r} (supported: {', '.join(STRATEGIES)})")
    if not image or not image.strip():
        raise CliError("missing --image: the image reference to deploy")
    if commit_time is not None:
        from claude_tui.ops.deploy.engine import iso, parse_time

        try:
            commit_time = iso(parse_time(commit_time))
        except ValueError as exc:
            raise CliError(f"--commit-time {commit_time!r} is not an ISO 8601 time") from exc
    env = _environment(env_or_action, environments, target)
    terminal = _Terminal(as_json, log)
    deployer = _deployer(env, terminal)
    if dry_run:
        with _guard("dry run"):
            lines = deployer.plan(image)
        typer.echo(f"dry run: deploy {image} to {env.name} (nothing is changed)")
        for number, line in enumerate(lines, 1):
            typer.echo(f"  {number:>2}. {line}")
        return
    _confirm(env, yes, f"deploy {image}")
    with _guard(f"deploy to {env.name} failed"), terminal:
        record = deployer.deploy(image, revision or os.environ.get("GITHUB_SHA"), commit_time)
    typer.echo(f"deployed {image} to {env.name} ({record.colour} is live) in {record.seconds:.1f}s")


def _manifests(env: Environment, as_json: bool, days: int) -> None:
    import yaml

    from claude_tui.ops.deploy.k8s import KubernetesTarget

    if env.target != "k8s":
        raise CliError(f"deploy manifests: {env.name} is a {env.target} environment, not k8s")
    usage = f"kubectl kustomize DIR | claude-tui deploy manifests {env.name}"
    if sys.stdin.isatty():
        raise CliError(f"deploy manifests reads the rendered manifests on stdin ({usage})")
    try:
        objects = [doc for doc in yaml.safe_load_all(sys.stdin.read()) if doc]
    except yaml.YAMLError as exc:
        raise CliError(f"deploy manifests: stdin is not YAML: {str(exc).splitlines()[0]}") from exc
    if not objects or not all(isinstance(o, dict) and o.get("kind") for o in objects):
        raise CliError(f"deploy manifests: no Kubernetes objects on stdin ({usage})")
    deployer = _deployer(env, lambda event: None)
    assert isinstance(deployer.target, KubernetesTarget)
    with _guard("deploy manifests"):
        kept = deployer.target.live_manifests(objects)
    if as_json:
        typer.echo(json.dumps({"apiVersion": "v1", "kind": "List", "items": kept}))
    else:
        typer.echo(yaml.safe_dump_all(kept, sort_keys=False), nl=False)


def _history(env: Environment, as_json: bool, days: int) -> None:
    from claude_tui.ops.deploy.engine import read_history

    with _guard("history"):
        records = read_history(_deployer(env, lambda event: None).target)
    if as_json:
        for record in records:
            typer.echo(record.to_json())
        return
    if not records:
        typer.echo(f"no deploys recorded for {env.name}")
        return
    for r in records:
        seconds = "-" if r.seconds is None else f"{r.seconds:.1f}s"
        typer.echo(
            f"{r.started_at}  {r.kind:<8}  {r.outcome:<11}  {seconds:>7}  {r.actor:<12}  "
            f"{r.image}" + (f"  ({r.reason})" if r.reason else "")
        )


def _status(env: Environment, as_json: bool, days: int) -> None:
    import httpx

    with _guard("status"):
        state = _deployer(env, lambda event: None).target.state()
    health: dict[str, Any] = {}
    if env.health_url:
        try:
            response = httpx.get(env.health_url.rstrip("/") + "/ready", timeout=5.0)
            health = {
                "url": env.health_url,
                "status": response.status_code,
                "colour": response.headers.get("X-Claude-Tui-Colour"),
            }
        except httpx.HTTPError as exc:
            health = {"url": env.health_url, "error": type(exc).__name__}
    colours = {
        c: {"image": s.image, "replicas": s.replicas, "ready": s.ready, "served": s.served}
        for c, s in state.colours.items()
    }
    if as_json:
        typer.echo(json.dumps({"active": state.active, "colours": colours, "health": health}))
        return
    typer.echo(f"{env.name} ({env.target}): live traffic on {state.active or 'nothing'}")
    for colour, s in colours.items():
        mark = "*" if colour == state.active else " "
        line = f" {mark} {colour:<5}  {s['ready']}/{s['replicas']} ready  {s['image']}"
        if s["served"] != s["image"]:
            line += f"  (rollback target: {s['served'] or 'none, never served traffic'})"
        typer.echo(line)
    if health:
        if "error" in health:
            typer.echo(f"health: {health['url']}/ready did not answer ({health['error']})")
        else:
            typer.echo(f"health: {health['url']}/ready answered {health['status']}")


def _stats(env: Environment, as_json: bool, days: int) -> None:
    from claude_tui.ops.deploy.engine import dora, read_history

    with _guard("stats"):
        records = read_history(_deployer(env, lambda event: None).target)
    stats = dora(records, days)
    rows = stats.checks()
    if as_json:
        typer.echo(
            json.dumps([{"measure": m, "value": v, "target": t, "met": ok} for m, v, t, ok in rows])
        )
        return
    typer.echo(f"{env.name}: DORA measures over the last {days} days")
    for measure, value, goal, met in rows:
        verdict = "" if met is None else ("  met" if met else "  MISSED")
        typer.echo(f"  {measure:<26} {value:<22} {goal:<9}{verdict}")


@one_line_errors
def rollback(
    env_name: Annotated[str, typer.Argument(metavar="ENV", help="Environment to roll back.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    as_json: JsonOption = False,
    log: Annotated[
        Path | None, typer.Option("--log", help="Append every event as a JSON line to FILE.")
    ] = None,
    environments: EnvDirOption = None,
) -> None:
    """Switch ENV back to the previous colour and image."""
    env = _environment(env_name, environments)
    _confirm(env, yes, "roll back")
    terminal = _Terminal(as_json, log)
    deployer = _deployer(env, terminal)
    with _guard(f"rollback of {env.name} failed"), terminal:
        record = deployer.rollback()
    typer.echo(
        f"rolled back {env.name} to {record.image} ({record.colour} is live) "
        f"in {record.seconds:.1f}s"
    )


def register(app: typer.Typer) -> None:
    app.command("deploy")(deploy)
    app.command("rollback")(rollback)
