"""Render the Prometheus SLO rules (SLIs, objectives, burn-rate alerts) from one specification.

``deploy/monitoring/slo.yml`` is the one place where objectives, the latency threshold and
the alerting windows live; ``deploy/monitoring/prometheus/rules/slo.yml`` is rendered from it
(``make monitoring-rules``). :class:`RenderOverrides` shortens windows and ``for`` durations
for the live integration test without a second copy of the rules: the rule names, labels and
structure stay those of production, only the durations inside the expressions change.

Run ``python -m claude_tui.observability.slo_rules SPEC OUT`` to render, add ``--check`` to
fail when OUT is not what SPEC renders to.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from claude_tui.observability.metrics import LATENCY_BUCKETS

RUNBOOK_BASE = "https://github.com/claude-tui/claude-tui/blob/main/docs/runbooks"
SEVERITIES = ("critical", "warning", "info")
_DURATION = re.compile(r"^(\d+)(s|m|h|d|w)$")
_DURATION_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_RE2_SPECIAL = set(".^$*+?()[]{}|\\")
HEADER = (
    "# Rendered from deploy/monitoring/slo.yml by `make monitoring-rules`: do not edit by hand.\n"
    "# Recording rules are named level:metric:operation; see docs/operations/slo.md.\n"
)


class SloSpecError(Exception):
    """The SLO specification is invalid; the message names the field."""


@dataclass(frozen=True)
class Objective:
    name: str
    alert: str
    objective: float
    description: str
    threshold_seconds: float | None = None


@dataclass(frozen=True)
class BurnRateAlert:
    long_window: str
    short_window: str
    burn_rate: float
    for_: str
    severity: str


@dataclass(frozen=True)
class SloSpec:
    service: str
    job: str
    excluded_routes: tuple[str, ...]
    period: str
    objectives: tuple[Objective, ...]
    burn_rate_alerts: tuple[BurnRateAlert, ...]

    @property
    def windows(self) -> list[str]:
        """Every window an SLI is recorded over, shortest first."""
        found = {self.period}
        for alert in self.burn_rate_alerts:
            found.update((alert.long_window, alert.short_window))
        return sorted(found, key=duration_seconds)


@dataclass(frozen=True)
class RenderOverrides:
    """Shorter durations for a test Prometheus; production renders without overrides.

    ``windows`` maps a production window (``"5m"``) to the range used in the expressions;
    ``for_`` replaces every alert's ``for``. Rule names and labels are not changed.
    """

    windows: Mapping[str, str] = field(default_factory=dict)
    for_: str | None = None


def duration_seconds(value: str) -> int:
    """Seconds in a Prometheus duration such as ``5m`` or ``3d``."""
    match = _DURATION.match(value)
    if match is None:
        raise SloSpecError(f"{value!r} is not a duration such as 30s, 5m, 1h or 3d")
    return int(match.group(1)) * _DURATION_SECONDS[match.group(2)]


def _require(data: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in data:
        raise SloSpecError(f"{where}: missing field {key!r}")
    return data[key]


def parse_spec(data: Any) -> SloSpec:
    """Validate the parsed YAML of an SLO specification."""
    if not isinstance(data, Mapping):
        raise SloSpecError("the SLO specification must be a mapping")
    objectives = []
    for index, raw in enumerate(_require(data, "objectives", "spec")):
        where = f"objectives[{index}]"
        objective = float(_require(raw, "objective", where))
        if not 0 < objective < 1:
            raise SloSpecError(f"{where}: objective must be between 0 and 1, not {objective}")
        threshold = raw.get("threshold_seconds")
        if threshold is not None and float(threshold) not in LATENCY_BUCKETS:
            raise SloSpecError(
                f"{where}: threshold_seconds {threshold} is not a bucket boundary of the "
                f"latency histogram ({', '.join(str(b) for b in LATENCY_BUCKETS)})"
            )
        objectives.append(
            Objective(
                name=str(_require(raw, "name", where)),
                alert=str(_require(raw, "alert", where)),
                objective=objective,
                description=str(_require(raw, "description", where)),
                threshold_seconds=None if threshold is None else float(threshold),
            )
        )
    alerts = []
    for index, raw in enumerate(_require(data, "burn_rate_alerts", "spec")):
        where = f"burn_rate_alerts[{index}]"
        alert = BurnRateAlert(
            long_window=str(_require(raw, "long_window", where)),
            short_window=str(_require(raw, "short_window", where)),
            burn_rate=float(_require(raw, "burn_rate", where)),
            for_=str(_require(raw, "for", where)),
            severity=str(_require(raw, "severity", where)),
        )
        if duration_seconds(alert.short_window) >= duration_seconds(alert.long_window):
            raise SloSpecError(f"{where}: short_window must be shorter than long_window")
        duration_seconds(alert.for_)
        if alert.severity not in SEVERITIES:
            raise SloSpecError(f"{where}: severity must be one of {', '.join(SEVERITIES)}")
        alerts.append(alert)
    spec = SloSpec(
        service=str(_require(data, "service", "spec")),
        job=str(_require(data, "job", "spec")),
        excluded_routes=tuple(str(r) for r in data.get("excluded_routes", ())),
        period=str(_require(data, "period", "spec")),
        objectives=tuple(objectives),
        burn_rate_alerts=tuple(alerts),
    )
    duration_seconds(spec.period)
    return spec


def load_spec(path: Path) -> SloSpec:
    """Read and validate the SLO specification at ``path``."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise SloSpecError(f"cannot read {path}: {exc}") from exc
    return parse_spec(data)


def re2_literal(text: str) -> str:
    """``text`` as a regular expression matching exactly itself."""
    return "".join(f"\\{c}" if c in _RE2_SPECIAL else c for c in text)


def _promql_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _number(value: float) -> str:
    return repr(value) if value != int(value) else str(int(value))


def sli_selector(spec: SloSpec, *extra: str) -> str:
    """The label matchers of requests that count toward the SLIs."""
    matchers = [f"job={_promql_string(spec.job)}"]
    if spec.excluded_routes:
        pattern = "|".join(re2_literal(r) for r in spec.excluded_routes)
        matchers.append(f"route!~{_promql_string(pattern)}")
    matchers.extend(extra)
    return "{" + ",".join(matchers) + "}"


def sli_error_ratio_expr(spec: SloSpec, objective: Objective, window: str) -> str:
    """PromQL for the fraction of SLI requests that were bad over ``window``."""
    if objective.threshold_seconds is None:
        bad = "claude_tui_http_requests_total" + sli_selector(spec, 'status_class="5xx"')
        total = f"claude_tui_http_requests_total{sli_selector(spec)}"
        # `or ... * 0`: a service without any 5xx yet has a ratio of 0, not no data.
        # Selectors sit on lines of their own: long, but without spaces (readable diffs).
        return (
            f"(\n  sum by (namespace, job) (rate(\n    {bad}[{window}]\n  ))\n  or\n"
            f"  sum by (namespace, job) (rate(\n    {total}[{window}]\n  )) * 0\n)\n"
            f"/\nsum by (namespace, job) (rate(\n  {total}[{window}]\n))"
        )
    le = _number(objective.threshold_seconds)
    good = (
        "claude_tui_http_request_duration_seconds_bucket"
        f"{sli_selector(spec, f'le={_promql_string(le)}')}"
    )
    total = f"claude_tui_http_request_duration_seconds_count{sli_selector(spec)}"
    return (
        f"1 - (\n  sum by (namespace, job) (rate(\n    {good}[{window}]\n  ))\n  /\n"
        f"  sum by (namespace, job) (rate(\n    {total}[{window}]\n  ))\n)"
    )


def _ratio_record(window: str) -> str:
    return f"slo:sli_error:ratio_rate{window}"


def render_rules(spec: SloSpec, overrides: RenderOverrides | None = None) -> dict[str, Any]:
    """The Prometheus rule file (as a mapping) for ``spec``."""
    overrides = overrides or RenderOverrides()

    def window_of(name: str) -> str:
        return overrides.windows.get(name, name)

    recording: list[dict[str, Any]] = []
    alerting: list[dict[str, Any]] = []
    for objective in spec.objectives:
        labels = {"service": spec.service, "slo": objective.name}
        selector = f'{{service="{spec.service}",slo="{objective.name}"}}'
        recording.append(
            {
                "record": "slo:objective:ratio",
                "expr": f"vector({_number(objective.objective)})",
                "labels": labels,
            }
        )
        for window in spec.windows:
            recording.append(
                {
                    "record": _ratio_record(window),
                    "expr": sli_error_ratio_expr(spec, objective, window_of(window)),
                    "labels": labels,
                }
            )
        budget = _number(round(1 - objective.objective, 10))
        recording.append(
            {
                "record": f"slo:error_budget_remaining:ratio{spec.period}",
                "expr": f"1 - ({_ratio_record(spec.period)}{selector} / {budget})",
                "labels": labels,
            }
        )
        for burn in spec.burn_rate_alerts:
            threshold = f"({_number(burn.burn_rate)} * {budget})"
            alerting.append(
                {
                    "alert": objective.alert,
                    "expr": (
                        f"{_ratio_record(burn.long_window)}{selector} > {threshold}\n"
                        f"and\n{_ratio_record(burn.short_window)}{selector} > {threshold}"
                    ),
                    "for": overrides.for_ or burn.for_,
                    "labels": {
                        "severity": burn.severity,
                        "service": spec.service,
                        "slo": objective.name,
                        "long_window": burn.long_window,
                        "short_window": burn.short_window,
                    },
                    "annotations": {
                        "summary": (
                            f"{spec.service} is burning its {objective.name} error budget "
                            f"{_number(burn.burn_rate)}x too fast"
                        ),
                        "description": (
                            f"Over the last {burn.long_window} and {burn.short_window}, more "
                            f"than {_number(burn.burn_rate)} times the allowed fraction of "
                            f"requests missed the objective ({objective.description}, "
                            f"{_number(objective.objective * 100)}% over {spec.period}). "
                            f"Bad ratio over {burn.long_window}: "
                            "{{ $value | humanizePercentage }}."
                        ),
                        "runbook_url": f"{RUNBOOK_BASE}/{objective.alert}.md",
                    },
                }
            )
    return {
        "groups": [
            {"name": "claude_tui_slo_sli", "rules": recording},
            {"name": "claude_tui_slo_alerts", "rules": alerting},
        ]
    }


class _LiteralDumper(yaml.SafeDumper):
    """Writes multi-line strings (PromQL) as readable block literals, without anchors."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _str_representer(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_LiteralDumper.add_representer(str, _str_representer)


def dump_rules(rules: Mapping[str, Any]) -> str:
    """The rule file as YAML text with its do-not-edit header."""
    body: str = yaml.dump(dict(rules), Dumper=_LiteralDumper, sort_keys=False, width=100)
    return HEADER + body


def main(argv: Sequence[str] | None = None) -> int:
    """Render (or with ``--check`` compare) the SLO rule file; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("spec", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--check", action="store_true", help="fail if OUT is out of date")
    args = parser.parse_args(argv)
    try:
        text = dump_rules(render_rules(load_spec(args.spec)))
    except SloSpecError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if current != text:
            print(
                f"error: {args.out} is out of date with {args.spec}; run `make monitoring-rules`",
                file=sys.stderr,
            )
            return 1
        return 0
    args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":  # pragma: no cover - exercised through `make monitoring-rules`
    sys.exit(main())
