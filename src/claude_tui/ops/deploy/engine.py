"""The deploy engine: the steps of a blue-green release, its gates, rollback and history.

A deploy runs, in order: preflight (target checks, security-scan record, the lock), a backup
of the database, the migrations (before any traffic moves), the idle colour brought up,
readiness, smoke tests and a metrics analysis through the preview route, the switch, a
post-switch analysis (a failure switches back), a grace period, and the old colour scaled
down. A failure before the switch tears the new colour down and leaves traffic untouched.
Every step is an event (JSON) and every deploy or rollback a line of the environment's
history. The running app never imports this package.
"""

from __future__ import annotations

import getpass
import json
import os
import statistics
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from claude_tui.ops.deploy import analysis
from claude_tui.ops.deploy.environments import Environment
from claude_tui.ops.deploy.target import Colour, Target, TargetError, other
from claude_tui.sandbox.git import Git, GitError, find_worktree

EventSink = Callable[[dict[str, Any]], None]


class DeployFailed(Exception):
    """A deploy or rollback stopped; the message is one line saying where and why."""


def now() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def parse_time(value: str) -> datetime:
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def actor() -> str:
    explicit = os.environ.get("CLAUDE_TUI_DEPLOY_ACTOR")
    if explicit:
        return explicit
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def commit_time_of(revision: str | None) -> str | None:
    """The committer time of ``revision`` when the current directory's git knows it."""
    if not revision:
        return None
    top = find_worktree(Path.cwd())
    if top is None:
        return None
    try:
        result = Git(top, timeout=10).run("show", "-s", "--format=%cI", revision, check=False)
    except GitError:
        return None
    value = result.stdout.strip()
    if result.returncode != 0 or not value:
        return None
    return iso(parse_time(value))


@dataclass
class Step:
    name: str
    status: str = "ok"  # ok | failed | skipped
    seconds: float = 0.0
    detail: str = ""


@dataclass
class Record:
    """One line of the history: a deploy or a rollback."""

    id: str
    kind: str  # deploy | rollback
    environment: str
    target: str
    actor: str
    image: str
    started_at: str
    previous_image: str | None = None
    colour: str | None = None
    previous_colour: str | None = None
    revision: str | None = None
    commit_time: str | None = None
    finished_at: str | None = None
    seconds: float | None = None
    outcome: str = "running"  # succeeded | failed | rolled_back
    reason: str = ""
    switched_at: str | None = None  # when live traffic reached the new colour
    restored_at: str | None = None  # when traffic went back after a failed release
    reverts: str | None = None  # rollback: id of the deploy it undid
    steps: list[Step] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, line: str) -> Record:
        data = json.loads(line)
        data["steps"] = [Step(**s) for s in data.get("steps", [])]
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in known})


def read_history(target: Target) -> list[Record]:
    records: list[Record] = []
    for line in target.history_lines():
        if line.strip():
            try:
                records.append(Record.from_json(line))
            except (ValueError, TypeError):
                continue
    return records


class Probe:
    """Requests to a set of paths at a steady rate in a thread; counts what answered."""

    def __init__(self, base_url: str, paths: list[str], rate: float) -> None:
        self.base_url = base_url.rstrip("/")
        self.paths = paths
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self.sent = 0
        self.failed = 0
        self.errors: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        with httpx.Client(timeout=5.0) as client:
            index = 0
            while not self._stop.is_set():
                path = self.paths[index % len(self.paths)]
                index += 1
                try:
                    response = client.get(self.base_url + path)
                    ok = response.status_code < 500
                    if not ok and len(self.errors) < 5:
                        self.errors.append(f"{path}: {response.status_code}")
                except httpx.HTTPError as exc:
                    ok = False
                    if len(self.errors) < 5:
                        self.errors.append(f"{path}: {type(exc).__name__}")
                self.sent += 1
                self.failed += 0 if ok else 1
                self._stop.wait(self.interval)

    def __enter__(self) -> Probe:
        if self.interval > 0 and self.paths:
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=10)


def scrape(base_url: str) -> analysis.Snapshot:
    try:
        response = httpx.get(base_url.rstrip("/") + "/metrics", timeout=10.0)
    except httpx.HTTPError as exc:
        raise analysis.MetricsError(f"cannot read {base_url}/metrics: {exc}") from exc
    if response.status_code != 200:
        raise analysis.MetricsError(f"{base_url}/metrics answered {response.status_code}")
    return analysis.parse(response.text)


def analyse(
    env: Environment,
    base_url: str,
    window: float,
    colour: str = "",
    baseline: tuple[str, Colour] | None = None,
) -> analysis.Verdict:
    """Probe ``base_url`` for ``window`` seconds and judge the colour by its own metrics:
    two scrapes of its /metrics, or, when the environment names one, Prometheus.

    ``baseline`` (URL, colour) is probed the same way over the same window, and the new
    colour's latency is judged against it. An inconclusive verdict (too few requests to
    judge) extends the window, at most ``max_extensions`` times; the probes keep running.
    """
    gates = env.gates
    targets: list[tuple[str, str]] = [(base_url, colour)]
    if baseline is not None:
        targets.append(baseline)
    prometheus = gates.prometheus_url
    # Until the next scrape, Prometheus has not seen the end of the window.
    lag = gates.prometheus_scrape_interval if prometheus else 0.0
    befores = [] if prometheus else [scrape(url) for url, _ in targets]
    started = time.monotonic()
    with ExitStack() as probes:
        for url, _ in targets:
            probes.enter_context(Probe(url, gates.probe_paths, gates.analysis_rate))
        extensions = 0
        while True:
            time.sleep(window + lag)
            elapsed = time.monotonic() - started
            measured = [
                _measure_prometheus(env, name, elapsed + lag)
                if prometheus
                else _measure(befores[index], url)
                for index, (url, name) in enumerate(targets)
            ]
            total, errors, p99 = measured[0]
            compared = None
            if baseline is not None:
                old_total, _, old_p99 = measured[1]
                compared = analysis.Baseline(
                    baseline[1], int(old_total), None if old_p99 is None else old_p99 * 1000
                )
            verdict = analysis.judge_counts(
                total,
                errors,
                p99,
                min_success_rate=gates.min_success_rate,
                max_p99_ms=gates.max_p99_ms,
                min_requests=gates.min_requests,
                min_latency_samples=gates.min_latency_samples,
                max_p99_ratio=gates.max_p99_ratio,
                baseline=compared,
            )
            if not verdict.inconclusive or extensions >= gates.max_extensions:
                return verdict.with_window(elapsed, extensions)
            extensions += 1


def _measure(before: analysis.Snapshot, url: str) -> tuple[float, float, float | None]:
    return analysis.requests_and_p99(analysis.delta(before, scrape(url)))


def _measure_prometheus(
    env: Environment, colour: str, span: float
) -> tuple[float, float, float | None]:
    gates = env.gates
    assert gates.prometheus_url is not None
    selector = gates.prometheus_selector.replace("{colour}", colour)
    values = {
        what: analysis.prometheus_value(query_prometheus(gates.prometheus_url, expr), what)
        for what, expr in analysis.prometheus_queries(selector, span).items()
    }
    return values["total"] or 0.0, values["errors"] or 0.0, values["p99"]


def gate_problem(verdict: analysis.Verdict) -> str:
    """The one line a gate that did not pass fails with."""
    reasons = "; ".join(verdict.problems)
    if verdict.inconclusive:
        return f"inconclusive after {verdict.seconds or 0:.0f}s: {reasons}"
    return reasons


def query_prometheus(url: str, expr: str) -> dict[str, Any]:
    try:
        response = httpx.post(url.rstrip("/") + "/api/v1/query", data={"query": expr}, timeout=10)
        answer: dict[str, Any] = response.json()
    except (httpx.HTTPError, ValueError) as exc:
        raise analysis.MetricsError(f"cannot query Prometheus at {url}: {exc}") from exc
    return answer


def smoke(base_url: str, paths: list[str]) -> str:
    results = []
    for path in paths:
        url = base_url.rstrip("/") + path
        try:
            response = httpx.get(url, timeout=10.0)
        except httpx.HTTPError as exc:
            raise TargetError(f"smoke test {path}: {type(exc).__name__}: {exc}") from exc
        if not 200 <= response.status_code < 300:
            raise TargetError(f"smoke test {path} answered {response.status_code}")
        results.append(f"{path} {response.status_code}")
    return ", ".join(results)


def scan_record_passes(directory: Path, image: str) -> str | None:
    """The record file that shows a passing scan of ``image``, or None."""
    if not directory.is_dir():
        return None
    for path in sorted(directory.glob("*.json")):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(record, dict) and record.get("image") == image and record.get("passed"):
            return path.name
    return None


class Deployer:
    """Runs deploys and rollbacks of one environment on its target."""

    def __init__(self, env: Environment, target: Target, sink: EventSink) -> None:
        self.env = env
        self.target = target
        self.sink = sink

    # --- events and steps -----------------------------------------------------------------

    def emit(self, event: str, **fields: Any) -> None:
        self.sink({"ts": iso(now()), "environment": self.env.name, "event": event, **fields})

    @contextmanager
    def step(self, record: Record, name: str) -> Iterator[Step]:
        current = Step(name)
        self.emit("step.started", step=name)
        started = time.monotonic()
        try:
            yield current
        except BaseException as exc:
            current.status = "failed"
            current.detail = current.detail or _one_line(exc)
            raise
        finally:
            current.seconds = round(time.monotonic() - started, 3)
            record.steps.append(current)
            self.emit(
                f"step.{current.status if current.status != 'ok' else 'finished'}",
                step=name,
                seconds=current.seconds,
                detail=current.detail,
            )

    def skip(self, record: Record, name: str, why: str) -> None:
        record.steps.append(Step(name, "skipped", 0.0, why))
        self.emit("step.skipped", step=name, detail=why)

    def finish(self, record: Record, outcome: str, reason: str, started: float) -> Record:
        record.outcome = outcome
        record.reason = reason
        record.finished_at = iso(now())
        record.seconds = round(time.monotonic() - started, 3)
        self.target.append_history(record.to_json())
        self.emit(f"{record.kind}.finished", outcome=outcome, reason=reason, seconds=record.seconds)
        return record

    # --- plan -----------------------------------------------------------------------------

    def plan(self, image: str) -> list[str]:
        gates = self.env.gates
        if self.env.backup.resolved_url():
            backup = f"back up the database to {self.env.backup.directory or 'the default'}"
        elif self.env.backup.required:
            backup = "REQUIRED, but the database is not named (preflight will refuse)"
        else:
            backup = "skipped (no database named)"
        new: str
        try:
            state = self.target.state()
            active = state.active
            new = other(active) if active else "blue"
            where = f"live traffic on {active or 'nothing yet'}; the new release goes to {new}"
        except TargetError as exc:
            active, new = None, "the idle colour"
            where = f"current colours unknown ({_one_line(exc)})"
        lines = [
            f"environment {self.env.name} ({self.env.path}), target {self.target.name}",
            where,
            "preflight: target checks, configuration, "
            + ("security-scan record, " if self.env.require_security_scan else "")
            + "deploy lock",
            f"backup: {backup}",
            f"migrations: claude-tui db upgrade from {image}",
            f"bring up {new} with {image} ({self.env.replicas} replica(s))",
            f"wait for readiness (at most {gates.readiness_timeout:g}s)",
            f"smoke tests through the preview route: {', '.join(gates.smoke_paths)}",
            f"analysis for {gates.analysis_window:g}s: success >= "
            f"{gates.min_success_rate * 100:g}%, p99 <= {gates.max_p99_ms:g} ms "
            f"(judged over >= {gates.min_latency_samples} requests), "
            f">= {gates.min_requests} requests; inconclusive: extended up to "
            f"{gates.max_extensions} time(s)",
            f"switch live traffic to {new}",
            f"post-switch analysis for {gates.post_switch_window:g}s, {new} against "
            f"{active or 'nothing'} over the same window (p99 above {gates.max_p99_ms:g} ms "
            f"fails when over {gates.max_p99_ratio:g}x the old colour's; failure: switch back)",
            f"grace period {gates.grace_period:g}s, then scale "
            + (f"{active} down" if active else "the previous colour down (if any)"),
        ]
        return lines

    # --- deploy ---------------------------------------------------------------------------

    def deploy(
        self, image: str, revision: str | None = None, commit_time: str | None = None
    ) -> Record:
        started = time.monotonic()
        record = Record(
            id=uuid.uuid4().hex[:12],
            kind="deploy",
            environment=self.env.name,
            target=self.target.name,
            actor=actor(),
            image=image,
            started_at=iso(now()),
            revision=revision,
            commit_time=commit_time or commit_time_of(revision),
        )
        self.emit("deploy.started", image=image, actor=record.actor, id=record.id)
        with self.step(record, "preflight") as step:
            problems = self.target.preflight(image)
            if self.env.backup.required and self.env.backup.resolved_url() is None:
                problems.append(
                    "a backup is required but the database is not named "
                    "(backup.database_url or backup.database_url_file)"
                )
            if self.env.require_security_scan:
                assert self.env.security_scan_dir is not None
                found = scan_record_passes(self.env.security_scan_dir, image)
                if found is None:
                    problems.append(
                        f"no passing security scan record for {image} in "
                        f"{self.env.security_scan_dir}"
                    )
                else:
                    step.detail = f"scan record {found}"
            if problems:
                step.detail = "; ".join(problems)
                reason = f"preflight: {step.detail}"
                self.finish(record, "failed", reason, started)
                raise DeployFailed(reason)
        lock = self.target.lock(record.actor)
        try:
            lock.__enter__()
        except TargetError as exc:
            reason = f"lock: {_one_line(exc)}"
            self.finish(record, "failed", reason, started)
            raise DeployFailed(reason) from exc
        try:
            return self._deploy_locked(record, image, started)
        except TargetError as exc:
            # A step after the switch (switch, switch-back, scale-down) failed on the target.
            reason = f"{record.steps[-1].name if record.steps else 'deploy'}: {_one_line(exc)}"
            self.finish(record, "failed", reason, started)
            raise DeployFailed(reason) from exc
        finally:
            lock.__exit__(None, None, None)

    def _deploy_locked(self, record: Record, image: str, started: float) -> Record:
        state = self.target.state()
        old = state.active
        new: Colour = other(old) if old else "blue"
        record.colour = new
        record.previous_colour = old
        old_state = state.colours.get(old) if old else None
        record.previous_image = old_state.image if old_state else None
        live_image = record.previous_image
        if (
            old is not None
            and old_state is not None
            and live_image
            and live_image != old_state.served
        ):
            # Live before this tool kept track (a first deploy after applying manifests).
            self.target.mark_served(old, live_image)
        new_state = state.colours.get(new)
        standby = new_state.served if new_state else None
        gates = self.env.gates
        stage = "backup"
        touched = False
        try:
            self._backup(record, image)
            stage = "migrations"
            with self.step(record, "migrations"):
                self.target.run_migrations(image)
            stage = "bring-up"
            touched = True
            with self.step(record, "bring-up") as step:
                self.target.bring_up(new, image, self.env.replicas)
                step.detail = f"{new} with {image}"
            stage = "readiness"
            with self.step(record, "readiness"):
                self.target.wait_ready(new, gates.readiness_timeout)
            preview = self.target.preview_url(new)
            stage = "smoke"
            with self.step(record, "smoke") as step:
                step.detail = smoke(preview, gates.smoke_paths)
            stage = "analysis"
            if gates.analysis_window > 0:
                with self.step(record, "analysis") as step:
                    verdict = analyse(self.env, preview, gates.analysis_window, new)
                    step.detail = verdict.summary()
                    if not verdict.ok:
                        raise TargetError(gate_problem(verdict))
            else:
                self.skip(record, "analysis", "analysis_window is 0")
        except (TargetError, analysis.MetricsError, DeployFailed) as exc:
            reason = f"{stage}: {_one_line(exc)}"
            note = ""
            if touched and new != old:
                note = self._put_back(record, new, standby, old)
            self.finish(record, "failed", reason + note, started)
            raise DeployFailed(f"{reason} (traffic untouched on {old or 'nothing'}){note}") from exc

        with self.step(record, "switch") as step:
            self.target.switch(new)
            record.switched_at = iso(now())
            step.detail = f"live traffic on {new}"
        switched = time.monotonic()
        if gates.post_switch_window > 0:
            try:
                with self.step(record, "post-switch-analysis") as step:
                    if old is not None:
                        new_url, old_url = self.target.analysis_urls(new, old)
                        verdict = analyse(
                            self.env, new_url, gates.post_switch_window, new, (old_url, old)
                        )
                    else:
                        verdict = analyse(
                            self.env, self.target.preview_url(new), gates.post_switch_window, new
                        )
                    step.detail = verdict.summary()
                    if not verdict.ok:
                        raise TargetError(gate_problem(verdict))
            except (TargetError, analysis.MetricsError) as exc:
                reason = f"post-switch analysis: {_one_line(exc)}"
                if old is None:
                    self.finish(record, "failed", reason + " (no previous colour)", started)
                    raise DeployFailed(reason + "; no previous colour to switch back to") from exc
                with self.step(record, "switch-back") as step:
                    self.target.switch(old)
                    record.restored_at = iso(now())
                    step.detail = (
                        f"live traffic back on {old} after {time.monotonic() - switched:.1f}s"
                    )
                note = self._put_back(record, new, standby, old)
                self.finish(record, "rolled_back", reason + note, started)
                raise DeployFailed(f"{reason}; switched back to {old}{note}") from exc
        else:
            self.skip(record, "post-switch-analysis", "post_switch_window is 0")
        self.target.mark_served(new, image)
        if old is not None:
            with self.step(record, "grace-period") as step:
                time.sleep(gates.grace_period)
                step.detail = f"{old} kept {gates.grace_period:g}s"
            with self.step(record, "scale-down") as step:
                self.target.scale_down(old)
                step.detail = f"{old} scaled down (kept for a rollback)"
        return self.finish(record, "succeeded", "", started)

    def _put_back(
        self, record: Record, colour: Colour, standby: str | None, live: str | None
    ) -> str:
        """Remove a failed release from ``colour`` and put back the release that colour last
        served (``standby``), as the standby a rollback returns to. Returns a note for the
        failure message when that could not be done; the deploy has failed either way."""
        with self.step(record, "tear-down") as step:
            self.target.tear_down(colour)
            step.detail = f"{colour} removed; traffic stays on {live or 'nothing'}"
        if standby is None:
            return ""
        try:
            with self.step(record, "restore-standby") as step:
                self.target.restore_standby(
                    colour, standby, self.env.replicas, self.env.gates.readiness_timeout
                )
                step.detail = f"{colour} back on {standby}, standing by for a rollback"
        except TargetError as exc:
            return (
                f"; {colour} could not be put back on {standby} ({_one_line(exc)}): "
                "a rollback starts it"
            )
        return ""

    def _backup(self, record: Record, image: str) -> None:
        url = self.env.backup.resolved_url()
        if url is None:
            self.skip(record, "backup", "no database configured for backups")
            return
        from claude_tui.ops.backup import BackupError, BackupStore, create_backup

        with self.step(record, "backup") as step:
            directory = self.env.backup.directory or (
                Path.home() / ".local" / "share" / "claude-tui" / "backups" / self.env.name
            )
            store = BackupStore(directory)
            try:
                manifest = create_backup(url, store, reason=f"before deploy of {image}")
                store.prune(self.env.backup.keep)
            except BackupError as exc:
                raise TargetError(f"backup failed: {exc}") from exc
            step.detail = (
                f"backup {manifest.id} in {directory}: "
                f"{sum(manifest.row_counts.values())} rows, sha256 {manifest.sha256[:12]}"
            )

    # --- rollback -------------------------------------------------------------------------

    def rollback(self) -> Record:
        started = time.monotonic()
        who = actor()
        with self.target.lock(who):
            state = self.target.state()
            current = state.active
            if current is None:
                raise DeployFailed("nothing is deployed: there is nothing to roll back")
            previous = other(current)
            colour_state = state.colours.get(previous)
            # The release that colour last served, not whatever a failed attempt left on it.
            image = colour_state.served if colour_state else None
            if image is None:
                raise DeployFailed(
                    f"{previous} has never served traffic: there is no earlier release to "
                    "go back to"
                )
            history = read_history(self.target)
            reverted = next(
                (r for r in reversed(history) if r.kind == "deploy" and r.outcome == "succeeded"),
                None,
            )
            record = Record(
                id=uuid.uuid4().hex[:12],
                kind="rollback",
                environment=self.env.name,
                target=self.target.name,
                actor=who,
                image=image,
                started_at=iso(now()),
                previous_image=state.colours[current].image if current in state.colours else None,
                colour=previous,
                previous_colour=current,
                reverts=reverted.id if reverted else None,
            )
            self.emit("rollback.started", image=image, colour=previous, actor=who)
            try:
                with self.step(record, "bring-up") as step:
                    assert colour_state is not None
                    if colour_state.image == image and colour_state.ready >= max(
                        colour_state.replicas, 1
                    ):
                        step.detail = f"{previous} still running"
                    elif self.target.resume(previous, image, self.env.replicas):
                        step.detail = f"{previous} resumed (its standby of {image})"
                    else:
                        self.target.bring_up(previous, image, self.env.replicas)
                        step.detail = f"{previous} started with {image}"
                with self.step(record, "readiness"):
                    self.target.wait_ready(previous, self.env.gates.readiness_timeout)
                with self.step(record, "switch") as step:
                    self.target.switch(previous)
                    record.switched_at = record.restored_at = iso(now())
                    step.detail = f"live traffic on {previous}"
                self.target.mark_served(previous, image)
            except TargetError as exc:
                reason = _one_line(exc)
                self.finish(record, "failed", reason, started)
                raise DeployFailed(f"rollback failed: {reason}") from exc
            # Measured up to the switch: the time users waited for the old release.
            restored = round(time.monotonic() - started, 3)
            with self.step(record, "scale-down") as step:
                self.target.scale_down(current)
                step.detail = f"{current} scaled down"
            self.finish(record, "succeeded", f"traffic back on {image} in {restored:.1f}s", started)
            record.seconds = restored
            return record


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


# --- DORA -----------------------------------------------------------------------------------

LEAD_TIME_TARGET = timedelta(minutes=30)
RESTORE_TARGET = timedelta(minutes=15)
CHANGE_FAILURE_TARGET = 0.05


@dataclass(frozen=True)
class Dora:
    days: int
    deployments: int
    per_day: float
    lead_time: timedelta | None  # median, commit to production
    change_failure_rate: float | None
    changes: int  # deploys that moved traffic
    failures: int
    time_to_restore: timedelta | None  # median

    def checks(self) -> list[tuple[str, str, str, bool | None]]:
        """(measure, value, SLA target, met) rows; met is None without data."""

        def minutes(value: timedelta | None) -> str:
            return "-" if value is None else f"{value.total_seconds() / 60:.1f} min"

        cfr = self.change_failure_rate
        return [
            ("deployment frequency", f"{self.per_day:.2f}/day ({self.deployments})", "-", None),
            (
                "lead time (median)",
                minutes(self.lead_time),
                "< 30 min",
                None if self.lead_time is None else self.lead_time < LEAD_TIME_TARGET,
            ),
            (
                "change failure rate",
                "-" if cfr is None else f"{cfr * 100:.1f}% ({self.failures}/{self.changes})",
                "< 5%",
                None if cfr is None else cfr < CHANGE_FAILURE_TARGET,
            ),
            (
                "time to restore (median)",
                minutes(self.time_to_restore),
                "< 15 min",
                None if self.time_to_restore is None else self.time_to_restore < RESTORE_TARGET,
            ),
        ]


def dora(records: list[Record], days: int = 30, at: datetime | None = None) -> Dora:
    """The four DORA measures over the last ``days`` of an environment's history.

    A change is a deploy that moved live traffic; it failed when the post-switch analysis
    switched back or a later rollback undid it. Time to restore runs from the switch (an
    automatic switch-back) or from the end of the deploy (a rollback by hand) to the moment
    traffic was back on the previous release.
    """
    moment = at or now()
    since = moment - timedelta(days=days)
    recent = [r for r in records if r.finished_at and parse_time(r.started_at) >= since]
    deploys = [r for r in recent if r.kind == "deploy"]
    succeeded = [r for r in deploys if r.outcome == "succeeded"]
    leads = [
        parse_time(r.finished_at) - parse_time(r.commit_time)
        for r in succeeded
        if r.commit_time and r.finished_at
    ]
    changes = [r for r in deploys if r.switched_at]
    restores: list[timedelta] = []
    failed_ids: set[str] = set()
    for r in changes:
        if r.outcome == "rolled_back" and r.switched_at and r.restored_at:
            failed_ids.add(r.id)
            restores.append(parse_time(r.restored_at) - parse_time(r.switched_at))
    by_id = {r.id: r for r in deploys}
    for r in recent:
        if r.kind == "rollback" and r.outcome == "succeeded" and r.reverts in by_id:
            undone = by_id[r.reverts]
            if undone.id not in failed_ids and undone.finished_at and r.restored_at:
                failed_ids.add(undone.id)
                restores.append(parse_time(r.restored_at) - parse_time(undone.finished_at))
    return Dora(
        days=days,
        deployments=len(succeeded),
        per_day=len(succeeded) / days if days else 0.0,
        lead_time=_median(leads),
        change_failure_rate=len(failed_ids) / len(changes) if changes else None,
        changes=len(changes),
        failures=len(failed_ids),
        time_to_restore=_median(restores),
    )


def _median(values: list[timedelta]) -> timedelta | None:
    if not values:
        return None
    return timedelta(seconds=statistics.median(v.total_seconds() for v in values))
