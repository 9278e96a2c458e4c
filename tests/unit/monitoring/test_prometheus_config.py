"""Prometheus configurations: static, file and Kubernetes discovery all pass promtool."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from monitoring_stack import PROMETHEUS, load_yaml
from servers import require_tool

pytestmark = pytest.mark.monitoring


def promtool_check(path: Path) -> subprocess.CompletedProcess[str]:
    found = require_tool("promtool", install="apt-get install prometheus")
    return subprocess.run(
        [found, "check", "config", str(path)], capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize("name", ["prometheus.yml", "prometheus-file-sd.yml"])
def test_config_passes_promtool(name: str) -> None:
    result = promtool_check(PROMETHEUS / name)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "5 rule files found" in result.stdout


def _kubernetes_as_file_sd(node: Any, targets: Path) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "kubernetes_sd_configs":
                out["file_sd_configs"] = [{"files": [str(targets)]}]
            else:
                out[key] = _kubernetes_as_file_sd(value, targets)
        return out
    if isinstance(node, list):
        return [_kubernetes_as_file_sd(v, targets) for v in node]
    return node


def test_kubernetes_config_passes_promtool(tmp_path: Path) -> None:
    """Debian's Prometheus is built without Kubernetes discovery, so promtool cannot load
    `kubernetes_sd_configs`; every other part (relabelling regexes, alerting) is checked by
    swapping only the discovery block for file discovery."""
    config = load_yaml(PROMETHEUS / "prometheus-kubernetes.yml")
    kinds = [
        sd["role"]
        for section in (config["scrape_configs"], config["alerting"]["alertmanagers"])
        for job in section
        for sd in job.get("kubernetes_sd_configs", [])
    ]
    assert kinds == ["pod", "endpoints"]
    targets = tmp_path / "targets.json"
    targets.write_text(json.dumps([]))
    swapped = _kubernetes_as_file_sd(config, targets)
    swapped["rule_files"] = [str(PROMETHEUS / "rules" / "*.yml")]
    path = tmp_path / "prometheus.yml"
    path.write_text(yaml.safe_dump(swapped))
    result = promtool_check(path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_kubernetes_relabelling_turns_the_component_into_the_job() -> None:
    config = load_yaml(PROMETHEUS / "prometheus-kubernetes.yml")
    relabel = config["scrape_configs"][0]["relabel_configs"]
    job_rule = next(r for r in relabel if r.get("target_label") == "job")
    assert job_rule["replacement"] == "claude-tui-$1"
    assert any(r.get("target_label") == "namespace" for r in relabel)


def test_file_sd_targets_are_valid_target_groups() -> None:
    for path in (PROMETHEUS / "targets").glob("*.json"):
        groups = json.loads(path.read_text())
        assert isinstance(groups, list), path
        for group in groups:
            assert all(":" in t for t in group["targets"]), path
