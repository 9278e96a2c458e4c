"""Grafana: every dashboard matches Grafana's dashboard schema; provisioning is consistent."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from monitoring_stack import DASHBOARDS, MONITORING, load_yaml

SCHEMA = MONITORING / "grafana" / "schema" / "dashboard.schema.json"
PROVISIONING = MONITORING / "grafana" / "provisioning"


def dashboards() -> list[Path]:
    return sorted(DASHBOARDS.glob("*.json"))


def validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def panels(dashboard: dict[str, Any]) -> list[dict[str, Any]]:
    return [p for p in dashboard["panels"] if p["type"] != "row"]


def test_the_five_dashboards_exist() -> None:
    titles = {json.loads(p.read_text())["title"] for p in dashboards()}
    assert titles == {
        "Claude TUI / Service overview",
        "Claude TUI / SLO and error budget",
        "Claude TUI / AI usage and cost",
        "Claude TUI / Tasks and validations",
        "Claude TUI / Runtime",
    }


@pytest.mark.parametrize("path", dashboards(), ids=lambda p: p.name)
def test_dashboard_matches_the_grafana_schema(path: Path) -> None:
    dashboard = json.loads(path.read_text(encoding="utf-8"))
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator().iter_errors(dashboard)]
    assert errors == []


def test_schema_rejects_a_malformed_dashboard() -> None:
    dashboard = json.loads(dashboards()[0].read_text(encoding="utf-8"))
    broken = copy.deepcopy(dashboard)
    broken["panels"][1]["gridPos"] = {"h": "eight"}
    assert list(validator().iter_errors(broken))
    misspelt = copy.deepcopy(dashboard)
    misspelt["templatting"] = misspelt.pop("templating")
    assert list(validator().iter_errors(misspelt))


def test_dashboards_have_unique_ids_and_every_panel_queries_prometheus() -> None:
    uids = [json.loads(p.read_text())["uid"] for p in dashboards()]
    assert len(uids) == len(set(uids))
    for path in dashboards():
        dashboard = json.loads(path.read_text(encoding="utf-8"))
        ids = [p["id"] for p in dashboard["panels"]]
        assert len(ids) == len(set(ids)), path.name
        assert len(panels(dashboard)) >= 6, path.name
        for panel in panels(dashboard):
            assert panel["datasource"]["uid"] == "${datasource}", (path.name, panel["title"])
            assert panel["targets"], (path.name, panel["title"])
            for target in panel["targets"]:
                assert target["expr"].strip(), (path.name, panel["title"])
                assert (
                    "claude_tui_" in target["expr"]
                    or "slo:" in target["expr"]
                    or ("process_" in target["expr"] or "up{" in target["expr"])
                ), (path.name, panel["title"])


def test_latency_panel_shows_exemplars() -> None:
    overview = json.loads((DASHBOARDS / "overview.json").read_text(encoding="utf-8"))
    assert any(target.get("exemplar") for panel in panels(overview) for target in panel["targets"])


def test_provisioning_declares_prometheus_loki_and_the_dashboard_folder() -> None:
    sources = load_yaml(PROVISIONING / "datasources" / "datasources.yml")
    assert {s["type"] for s in sources["datasources"]} == {"prometheus", "loki"}
    assert sum(1 for s in sources["datasources"] if s.get("isDefault")) == 1
    providers = load_yaml(PROVISIONING / "dashboards" / "dashboards.yml")["providers"]
    assert providers[0]["type"] == "file"
    assert providers[0]["options"]["path"].startswith("/")


def test_every_data_source_a_link_or_panel_names_is_provisioned() -> None:
    provisioned = load_yaml(PROVISIONING / "datasources" / "datasources.yml")["datasources"]
    # Besides ours: the dashboards' data source variable and Grafana's built-in annotations.
    uids = {source["uid"] for source in provisioned} | {"${datasource}", "-- Grafana --"}
    named: list[tuple[str, str]] = []

    def walk(node: Any, where: str) -> None:
        # A link names its target by datasourceUid; a panel or query by datasource.uid.
        if isinstance(node, dict):
            if "datasourceUid" in node:
                named.append((where, str(node["datasourceUid"])))
            if isinstance(node.get("datasource"), dict) and "uid" in node["datasource"]:
                named.append((where, str(node["datasource"]["uid"])))
            for child in node.values():
                walk(child, where)
        elif isinstance(node, list):
            for child in node:
                walk(child, where)

    walk(provisioned, "datasources.yml")
    for path in sorted(DASHBOARDS.glob("*.json")):
        walk(json.loads(path.read_text(encoding="utf-8")), path.name)
    assert named, "the walk found no data source reference at all"
    unknown = [(where, uid) for where, uid in named if uid not in uids]
    assert not unknown, f"links to data sources that are not provisioned: {unknown}"
