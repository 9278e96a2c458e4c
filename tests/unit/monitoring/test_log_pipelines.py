"""Log shipping configs (Loki, promtail, Fluentd, Logstash) against real log lines of the app.

Neither promtail, Loki, Fluentd nor Logstash can be installed here (not in Debian), so each
pipeline's parsing rules are read from its config and applied to lines the app's own logging
produced: the fields they extract exist, the time formats parse the app's timestamps, and
only low-cardinality labels are indexed.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from opentelemetry.sdk.trace import TracerProvider

from claude_tui.observability import correlation
from claude_tui.observability.context import request_id_var
from claude_tui.observability.logging import configure_logging, get_logger
from monitoring_stack import MONITORING, load_yaml

LOW_CARDINALITY_LABELS = {"app", "env", "level"}
ID_FIELDS = {"request_id", "task_id", "trace_id", "span_id"}


@pytest.fixture(scope="module")
def app_lines(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    log_file = tmp_path_factory.mktemp("logs") / "claude-tui.log"
    configure_logging("INFO", "json", log_file)
    log = get_logger("claude_tui.access")
    token = request_id_var.set("req-pipeline-1")
    try:
        with TracerProvider().get_tracer("t").start_as_current_span("request"):
            log.info("request", method="GET", route="/api/v1/users/me", status=200)
            with correlation.task_scope("task-77"):
                get_logger("claude_tui.worker").warning("task_slow", seconds=31.5)
        try:
            raise RuntimeError("boom")
        except RuntimeError:
            get_logger("claude_tui.api").exception("unhandled_exception")
    finally:
        request_id_var.reset(token)
    lines = [json.loads(line) for line in log_file.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 3
    return lines


def test_app_lines_carry_the_fields_every_pipeline_relies_on(
    app_lines: list[dict[str, Any]],
) -> None:
    for line in app_lines:
        assert {"timestamp", "level", "logger", "event"} <= set(line)
    assert app_lines[0]["request_id"] == "req-pipeline-1"
    assert app_lines[1]["task_id"] == "task-77"
    assert len(app_lines[0]["trace_id"]) == 32
    assert {line["level"] for line in app_lines} == {"info", "warning", "error"}


def test_promtail_extracts_existing_fields_and_indexes_only_low_cardinality_labels(
    app_lines: list[dict[str, Any]],
) -> None:
    config = load_yaml(MONITORING / "promtail" / "promtail-config.yml")
    assert config["clients"][0]["url"].endswith("/loki/api/v1/push")
    for job in config["scrape_configs"]:
        stages = job["pipeline_stages"]
        json_stage = next(s["json"] for s in stages if "json" in s)
        for source in json_stage["expressions"].values():
            assert all(source in line for line in app_lines), (job["job_name"], source)
        indexed = {name for s in stages if "labels" in s for name in s["labels"]}
        static = {
            name
            for group in job.get("static_configs", [])
            for name in group.get("labels", {})
            if not name.startswith("__")
        }
        relabelled = {
            r["target_label"] for r in job.get("relabel_configs", []) if "target_label" in r
        }
        labels = indexed | static | {n for n in relabelled if not n.startswith("__")}
        assert labels <= LOW_CARDINALITY_LABELS, (job["job_name"], labels)
        assert not labels & ID_FIELDS
        timestamp = next(s["timestamp"] for s in stages if "timestamp" in s)
        assert timestamp["format"] == "RFC3339Nano"
        for line in app_lines:
            parsed = datetime.fromisoformat(line[timestamp["source"]])
            assert parsed.utcoffset() is not None
            assert parsed.utcoffset().total_seconds() == 0


def test_loki_keeps_logs_a_month_with_few_labels() -> None:
    config = load_yaml(MONITORING / "loki" / "loki-config.yml")
    assert config["schema_config"]["configs"][0]["schema"] == "v13"
    assert config["limits_config"]["retention_period"] == "720h"
    assert config["compactor"]["retention_enabled"] is True
    assert config["limits_config"]["max_label_names_per_series"] <= 8


def _fluentd_parse_block(text: str) -> dict[str, str]:
    block = re.search(r"<parse>(.*?)</parse>", text, re.DOTALL)
    assert block is not None
    pairs = (line.strip().split(None, 1) for line in block.group(1).strip().splitlines())
    return dict(pairs)


def test_fluentd_parses_the_json_and_the_app_timestamps(app_lines: list[dict[str, Any]]) -> None:
    text = (MONITORING / "fluentd" / "fluent.conf").read_text(encoding="utf-8")
    assert text.count("<source>") == text.count("</source>") == 1
    assert text.count("<match") == text.count("</match>") == 1
    parse = _fluentd_parse_block(text)
    assert parse["@type"] == "json"
    time_key = parse["time_key"]
    # Ruby's %N (fractional seconds) is Python's %f for the microseconds the app writes.
    python_format = parse["time_format"].replace("%N", "%f")
    for line in app_lines:
        datetime.strptime(line[time_key], python_format)


def test_logstash_maps_the_same_fields(app_lines: list[dict[str, Any]]) -> None:
    text = (MONITORING / "logstash" / "claude-tui.conf").read_text(encoding="utf-8")
    assert text.count("{") == text.count("}")
    assert re.search(r'json\s*{\s*source\s*=>\s*"message"', text)
    renamed = set(re.findall(r'"\[claude_tui\]\[(\w+)\]"\s*=>', text))
    date_field = re.search(r'match\s*=>\s*\["\[claude_tui\]\[(\w+)\]",\s*"ISO8601"\]', text)
    assert date_field is not None
    seen = {key for line in app_lines for key in line}
    assert date_field.group(1) in seen
    assert {"level", "logger", "event"} | ID_FIELDS == renamed
    assert renamed <= seen


@pytest.mark.parametrize(
    "path",
    [
        MONITORING / "loki" / "loki-config.yml",
        MONITORING / "promtail" / "promtail-config.yml",
    ],
    ids=lambda p: p.name,
)
def test_yaml_configs_parse(path: Path) -> None:
    assert isinstance(load_yaml(path), dict)
