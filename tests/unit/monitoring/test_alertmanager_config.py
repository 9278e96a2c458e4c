"""Alertmanager: the configuration passes amtool, and each kind of alert reaches its receiver."""

from __future__ import annotations

import re
import subprocess

import pytest

from monitoring_stack import ALERTMANAGER_CONFIG, alerting_rules, load_yaml
from servers import require_tool

pytestmark = pytest.mark.monitoring


def amtool(*args: str) -> subprocess.CompletedProcess[str]:
    found = require_tool("amtool", install="apt-get install prometheus-alertmanager")
    return subprocess.run([found, *args], capture_output=True, text=True, check=False)


def test_amtool_check_config_passes() -> None:
    result = amtool("check-config", str(ALERTMANAGER_CONFIG))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout


@pytest.mark.parametrize(
    ("labels", "receiver"),
    [
        (["alertname=ApiAvailabilityErrorBudgetBurn", "severity=critical"], "pager"),
        (["alertname=ApiLatencyErrorBudgetBurn", "severity=warning"], "chat"),
        (["alertname=ClaudeTuiVersionSkew", "severity=info"], "null"),
        (["alertname=Watchdog", "severity=info"], "deadmans-switch"),
        (["alertname=SomethingUnlabelled"], "chat"),
        (["alertname=ClaudeTuiDataDiskLow", "severity=critical", "namespace=prod"], "pager"),
    ],
)
def test_routes_send_each_severity_to_its_receiver(labels: list[str], receiver: str) -> None:
    result = amtool(
        "config",
        "routes",
        "test",
        f"--config.file={ALERTMANAGER_CONFIG}",
        f"--verify.receivers={receiver}",
        *labels,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == receiver


def test_a_wrong_expectation_is_reported() -> None:
    result = amtool(
        "config",
        "routes",
        "test",
        f"--config.file={ALERTMANAGER_CONFIG}",
        "--verify.receivers=chat",
        "severity=critical",
    )
    assert result.returncode != 0


def test_every_alert_of_the_rules_routes_by_its_severity() -> None:
    expected = {"critical": "pager", "warning": "chat", "info": "null"}
    for rule in alerting_rules():
        severity = rule["labels"]["severity"]
        name = rule["alert"]
        result = amtool(
            "config",
            "routes",
            "test",
            f"--config.file={ALERTMANAGER_CONFIG}",
            f"alertname={name}",
            f"severity={severity}",
        )
        want = "deadmans-switch" if name == "Watchdog" else expected[severity]
        assert result.stdout.strip() == want, (name, result.stdout, result.stderr)


def test_inhibition_is_critical_over_warning_over_info_per_alert_and_namespace() -> None:
    rules = load_yaml(ALERTMANAGER_CONFIG)["inhibit_rules"]
    pairs = {(r["source_matchers"][0], r["target_matchers"][0]) for r in rules}
    assert ('severity="critical"', 'severity=~"warning|info"') in pairs
    assert ('severity="warning"', 'severity="info"') in pairs
    assert all(set(r["equal"]) == {"alertname", "namespace"} for r in rules)


def test_the_secret_files_the_header_names_are_the_ones_the_receivers_read() -> None:
    text = ALERTMANAGER_CONFIG.read_text(encoding="utf-8")
    header = "\n".join(line for line in text.splitlines() if line.startswith("#"))
    promised = set(re.findall(r"/etc/alertmanager/secrets/[\w.-]+", header))
    config = load_yaml(ALERTMANAGER_CONFIG)
    read = {
        value
        for receiver in config["receivers"]
        for key, configs in receiver.items()
        if key.endswith("_configs")
        for entry in configs
        for field, value in entry.items()
        if field.endswith("_file")
    }
    assert promised, "the header names no secret file"
    assert promised == read, (promised, read)
