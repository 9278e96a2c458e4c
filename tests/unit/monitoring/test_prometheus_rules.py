"""The rule files: valid for promtool, unit-tested, documented, and the SLO file up to date."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from claude_tui.observability import slo_rules
from monitoring_stack import (
    DASHBOARDS,
    PROMETHEUS,
    RULE_TESTS,
    RUNBOOKS,
    SLO_SPEC,
    alerting_rules,
    load_yaml,
    recording_rules,
    rule_files,
)
from servers import require_tool

pytestmark = pytest.mark.monitoring

SEVERITIES = {"critical", "warning", "info"}


def promtool() -> str:
    found = require_tool("promtool", install="apt-get install prometheus")
    return found


def test_rule_files_pass_promtool_check() -> None:
    result = subprocess.run(
        [promtool(), "check", "rules", *map(str, rule_files())],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_promtool_unit_tests_of_every_rule_file_pass() -> None:
    tests = sorted(RULE_TESTS.glob("*.test.yml"))
    assert len(tests) >= 4
    result = subprocess.run(
        [promtool(), "test", "rules", *map(str, tests)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("SUCCESS") == len(tests)


def test_promtool_test_fails_when_an_alert_misbehaves(tmp_path: Path) -> None:
    """A broken threshold makes the unit tests fail: the tests can catch a regression."""
    broken = tmp_path / "rules"
    broken.mkdir()
    security = load_yaml(PROMETHEUS / "rules" / "security.yml")
    for group in security["groups"]:
        for rule in group["rules"]:
            if rule.get("alert") == "ClaudeTuiAuthFailureBurst":
                rule["expr"] = rule["expr"].replace("> 50", "> 5000")
    (broken / "security.yml").write_text(yaml.safe_dump(security))
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "security.test.yml").write_text((RULE_TESTS / "security.test.yml").read_text())
    result = subprocess.run(
        [promtool(), "test", "rules", str(tests / "security.test.yml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "ClaudeTuiAuthFailureBurst" in result.stdout + result.stderr


def test_every_alert_has_severity_summary_description_and_an_existing_runbook() -> None:
    alerts = alerting_rules()
    assert len(alerts) >= 20
    for rule in alerts:
        name = rule["alert"]
        assert rule["labels"]["severity"] in SEVERITIES, name
        annotations = rule["annotations"]
        assert annotations["summary"].strip(), name
        assert annotations["description"].strip(), name
        assert annotations["runbook_url"].endswith(f"/docs/runbooks/{name}.md"), name
        runbook = RUNBOOKS / f"{name}.md"
        assert runbook.is_file(), f"missing runbook {runbook}"
        text = runbook.read_text(encoding="utf-8")
        assert text.startswith(f"# {name}"), runbook
        for section in ("## Meaning", "## Confirm", "## Mitigate", "## Escalate"):
            assert section in text, f"{runbook} lacks {section}"


def test_every_alert_has_a_firing_and_a_silent_unit_test_case() -> None:
    firing: dict[str, int] = defaultdict(int)
    silent: dict[str, int] = defaultdict(int)
    for path in RULE_TESTS.glob("*.test.yml"):
        for group in load_yaml(path)["tests"]:
            for case in group.get("alert_rule_test", []):
                (firing if case.get("exp_alerts") else silent)[case["alertname"]] += 1
    always_firing = {"Watchdog"}
    for name in {rule["alert"] for rule in alerting_rules()}:
        assert firing[name], f"no promtool case where {name} fires"
        if name not in always_firing:
            assert silent[name], f"no promtool case where {name} stays silent"


def _mentions(text: str, record: str) -> bool:
    # A rule name ends at a character that cannot be part of a metric name.
    return re.search(rf"{re.escape(record)}(?![A-Za-z0-9_:])", text) is not None


def test_every_recording_rule_is_used_by_a_dashboard_an_alert_a_rule_or_a_runbook() -> None:
    records = {rule["record"]: rule["expr"] for rule in recording_rules()}
    readers = [rule["expr"] for rule in alerting_rules()]
    readers += [path.read_text(encoding="utf-8") for path in sorted(DASHBOARDS.glob("*.json"))]
    readers += [path.read_text(encoding="utf-8") for path in sorted(RUNBOOKS.glob("*.md"))]
    unused = [
        name
        for name in records
        if not any(_mentions(text, name) for text in readers)
        and not any(_mentions(expr, name) for other, expr in records.items() if other != name)
    ]
    assert not unused, f"recording rules nothing reads (delete them): {unused}"


def test_every_recording_rule_is_checked_by_a_promtool_test() -> None:
    """Directly by an expression test, or through an alert or a rule that promtool checks."""
    checked: list[str] = [rule["expr"] for rule in alerting_rules()]
    for path in RULE_TESTS.glob("*.test.yml"):
        for group in load_yaml(path)["tests"]:
            checked += [case["expr"] for case in group.get("promql_expr_test", [])]
    records = {rule["record"]: rule["expr"] for rule in recording_rules()}
    covered: set[str] = set()
    frontier = checked
    while frontier:
        found = {
            name
            for name in records
            if name not in covered and any(_mentions(text, name) for text in frontier)
        }
        covered |= found
        frontier = [records[name] for name in found]
    untested = sorted(set(records) - covered)
    assert not untested, f"recording rules no promtool test checks: {untested}"


def test_recording_rules_follow_the_level_metric_operation_convention() -> None:
    records = recording_rules()
    assert len(records) >= 30
    for rule in records:
        assert rule["record"].count(":") == 2, rule["record"]


def test_slo_rule_file_is_rendered_from_the_specification() -> None:
    rendered = slo_rules.dump_rules(slo_rules.render_rules(slo_rules.load_spec(SLO_SPEC)))
    committed = (PROMETHEUS / "rules" / "slo.yml").read_text(encoding="utf-8")
    assert committed == rendered, "run `make monitoring-rules`"
    assert slo_rules.main([str(SLO_SPEC), str(PROMETHEUS / "rules" / "slo.yml"), "--check"]) == 0


def test_slo_renderer_cli_writes_and_detects_drift(tmp_path: Path) -> None:
    out = tmp_path / "slo.yml"
    assert slo_rules.main([str(SLO_SPEC), str(out), "--check"]) == 1
    assert slo_rules.main([str(SLO_SPEC), str(out)]) == 0
    assert slo_rules.main([str(SLO_SPEC), str(out), "--check"]) == 0
    bad = tmp_path / "bad.yml"
    bad.write_text("service: x\n")
    assert slo_rules.main([str(bad), str(out)]) == 2


def test_thresholds_live_in_the_specification_only() -> None:
    spec = slo_rules.load_spec(SLO_SPEC)
    rules = slo_rules.render_rules(spec)
    text = slo_rules.dump_rules(rules)
    assert 'le="0.2"' in text
    assert "(14.4 * 0.001)" in text
    assert "(14.4 * 0.01)" in text
    assert "vector(0.999)" in text
    assert "vector(0.99)" in text


def test_overrides_shorten_durations_but_keep_names_and_labels() -> None:
    spec = slo_rules.load_spec(SLO_SPEC)
    production = slo_rules.render_rules(spec)
    fast = slo_rules.render_rules(
        spec, slo_rules.RenderOverrides(windows={"5m": "10s", "1h": "30s"}, for_="5s")
    )

    def shape(rules: dict[str, object]) -> list[tuple[str, str]]:
        return [
            (rule.get("record") or rule["alert"], yaml.safe_dump(rule.get("labels")))
            for group in rules["groups"]  # type: ignore[attr-defined]
            for rule in group["rules"]
        ]

    assert shape(production) == shape(fast)
    fast_text = slo_rules.dump_rules(fast)
    assert "[10s]" in fast_text
    assert "[5m]" not in fast_text
    assert "for: 5s" in fast_text
    assert "long_window: 1h" in fast_text


@pytest.mark.parametrize(
    ("patch", "message"),
    [
        (
            {"objectives": [{"name": "a", "alert": "A", "objective": 1.5, "description": "d"}]},
            "between 0 and 1",
        ),
        (
            {
                "objectives": [
                    {
                        "name": "a",
                        "alert": "A",
                        "objective": 0.9,
                        "description": "d",
                        "threshold_seconds": 0.15,
                    }
                ]
            },
            "not a bucket boundary",
        ),
        ({"objectives": [{"name": "a", "objective": 0.9, "description": "d"}]}, "'alert'"),
        (
            {
                "burn_rate_alerts": [
                    {
                        "long_window": "5m",
                        "short_window": "1h",
                        "burn_rate": 1,
                        "for": "1m",
                        "severity": "warning",
                    }
                ]
            },
            "shorter than",
        ),
        (
            {
                "burn_rate_alerts": [
                    {
                        "long_window": "1h",
                        "short_window": "5m",
                        "burn_rate": 1,
                        "for": "1m",
                        "severity": "page",
                    }
                ]
            },
            "severity must be",
        ),
        ({"period": "a month"}, "is not a duration"),
    ],
)
def test_invalid_specifications_are_refused_with_the_field_named(
    patch: dict[str, object], message: str
) -> None:
    data = load_yaml(SLO_SPEC)
    data.update(patch)
    with pytest.raises(slo_rules.SloSpecError, match=message):
        slo_rules.parse_spec(data)


def test_spec_that_is_not_a_mapping_or_not_yaml_is_refused(tmp_path: Path) -> None:
    with pytest.raises(slo_rules.SloSpecError, match="mapping"):
        slo_rules.parse_spec(["a"])
    broken = tmp_path / "broken.yml"
    broken.write_text("objectives: [\n")
    with pytest.raises(slo_rules.SloSpecError, match="cannot read"):
        slo_rules.load_spec(broken)


def test_route_templates_become_exact_regular_expressions() -> None:
    assert slo_rules.re2_literal("/docs-assets/{path:path}") == "/docs-assets/\\{path:path\\}"
    assert slo_rules.re2_literal("/openapi.json") == "/openapi\\.json"


def test_monitoring_yaml_passes_the_project_yamllint_rules() -> None:
    root = RULE_TESTS.parents[2]
    result = subprocess.run(
        [
            str(Path(sys.executable).with_name("yamllint")),
            "--strict",
            "--config-file",
            str(root.parent / ".yamllint.yaml"),
            str(root / "monitoring"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
