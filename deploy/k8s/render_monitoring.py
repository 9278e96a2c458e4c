#!/usr/bin/env python3
"""Render the Prometheus-operator resources from the monitoring configuration.

The PrometheusRule carries every group of ``deploy/monitoring/prometheus/rules/*.yml`` and
the ServiceMonitors (API and worker) take their path, interval and timeout from the
``claude-tui-api`` and ``claude-tui-worker`` jobs of
``deploy/monitoring/prometheus/prometheus.yml``: one source for compose, plain Prometheus and
the operator. Usage::

    render_monitoring.py            # write components/prometheus-operator/generated.yaml
    render_monitoring.py --check    # exit 1 when the committed file is out of date
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
RULES_DIR = ROOT / "deploy" / "monitoring" / "prometheus" / "rules"
PROMETHEUS_CONFIG = ROOT / "deploy" / "monitoring" / "prometheus" / "prometheus.yml"
OUTPUT = Path(__file__).resolve().parent / "components" / "prometheus-operator" / "generated.yaml"
API_JOB = "claude-tui-api"
WORKER_JOB = "claude-tui-worker"
#: The label kube-prometheus-stack selects rules and monitors by (its release name).
OPERATOR_SELECTOR = {"release": "kube-prometheus-stack"}


class RenderError(Exception):
    """The monitoring configuration cannot be turned into operator resources."""


def _load(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise RenderError(f"{path}: {exc}") from exc


def rule_groups(rules_dir: Path = RULES_DIR) -> list[dict[str, Any]]:
    """Every rule group of the rule files, in file order; group names must be unique."""
    files = sorted(rules_dir.glob("*.yml"))
    if not files:
        raise RenderError(f"no rule files in {rules_dir}")
    groups: list[dict[str, Any]] = []
    seen: dict[str, Path] = {}
    for path in files:
        document = _load(path)
        if not isinstance(document, dict) or not isinstance(document.get("groups"), list):
            raise RenderError(f"{path}: not a Prometheus rule file (no 'groups' list)")
        for group in document["groups"]:
            name = group.get("name")
            if not name:
                raise RenderError(f"{path}: a group has no name")
            if name in seen:
                raise RenderError(f"{path}: group {name!r} is also defined in {seen[name].name}")
            seen[name] = path
            groups.append(group)
    return groups


def api_scrape(config_path: Path = PROMETHEUS_CONFIG, job_name: str = API_JOB) -> dict[str, str]:
    """Path, interval and timeout with which Prometheus scrapes the API (or ``job_name``)."""
    config = _load(config_path)
    defaults = config.get("global", {}) if isinstance(config, dict) else {}
    for job in (config or {}).get("scrape_configs", []):
        if job.get("job_name") == job_name:
            return {
                "path": job.get("metrics_path", "/metrics"),
                "interval": job.get("scrape_interval", defaults.get("scrape_interval", "30s")),
                "scrapeTimeout": job.get("scrape_timeout", defaults.get("scrape_timeout", "10s")),
            }
    raise RenderError(f"{config_path}: no scrape job named {job_name!r}")


def operator_resources(
    rules_dir: Path = RULES_DIR, config_path: Path = PROMETHEUS_CONFIG
) -> list[dict[str, Any]]:
    """The PrometheusRule and the ServiceMonitors (API, worker), as Kubernetes objects."""
    scrape = api_scrape(config_path)
    rule = {
        "apiVersion": "monitoring.coreos.com/v1",
        "kind": "PrometheusRule",
        "metadata": {"name": "claude-tui", "labels": dict(OPERATOR_SELECTOR)},
        "spec": {"groups": rule_groups(rules_dir)},
    }
    return [
        rule,
        _service_monitor(API_JOB, "http", scrape, colours=True),
        _service_monitor(WORKER_JOB, "http-metrics", api_scrape(config_path, WORKER_JOB)),
    ]


def _service_monitor(
    job: str, port: str, scrape: dict[str, str], *, colours: bool = False
) -> dict[str, Any]:
    relabelings: list[dict[str, Any]] = [
        {
            "sourceLabels": ["__meta_kubernetes_pod_label_app_kubernetes_io_version"],
            "targetLabel": "version",
        }
    ]
    if colours:
        relabelings.insert(
            0, {"sourceLabels": ["__meta_kubernetes_pod_label_colour"], "targetLabel": "colour"}
        )
    return {
        "apiVersion": "monitoring.coreos.com/v1",
        "kind": "ServiceMonitor",
        "metadata": {"name": job, "labels": dict(OPERATOR_SELECTOR)},
        "spec": {
            # The job label comes from the Service's claude-tui.dev/job label, so the rules'
            # job="..." matches whatever the Service is called.
            "jobLabel": "claude-tui.dev/job",
            "selector": {"matchLabels": {"claude-tui.dev/job": job}},
            "endpoints": [
                {
                    "port": port,
                    "path": scrape["path"],
                    "interval": scrape["interval"],
                    "scrapeTimeout": scrape["scrapeTimeout"],
                    "relabelings": relabelings,
                }
            ],
        },
    }


def render(rules_dir: Path = RULES_DIR, config_path: Path = PROMETHEUS_CONFIG) -> str:
    """The generated file's text."""
    header = (
        "# GENERATED by deploy/k8s/render_monitoring.py from deploy/monitoring/prometheus/"
        "rules/*.yml\n# and prometheus.yml. Do not edit: change those files and run "
        "`make k8s-monitoring`.\n"
    )
    body = yaml.safe_dump_all(
        operator_resources(rules_dir, config_path), sort_keys=False, width=100
    )
    return header + body


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail when the file is stale")
    args = parser.parse_args(argv)
    try:
        text = render()
    except RenderError as exc:
        print(f"render_monitoring: {exc}", file=sys.stderr)
        return 2
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != text:
            print(
                f"render_monitoring: {OUTPUT.relative_to(ROOT)} is out of date with "
                "deploy/monitoring; run `make k8s-monitoring`",
                file=sys.stderr,
            )
            return 1
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
