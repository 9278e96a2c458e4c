"""The operator resources are rendered from the monitoring rule files, never copied."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = ROOT / "deploy" / "k8s" / "render_monitoring.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("render_monitoring", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["render_monitoring"] = module
    spec.loader.exec_module(module)
    return module


render_monitoring = _load()


def _write(path: Path, data: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


@pytest.fixture
def config(tmp_path: Path) -> Path:
    return _write(
        tmp_path / "prometheus.yml",
        {
            "global": {"scrape_interval": "20s", "scrape_timeout": "7s"},
            "scrape_configs": [
                {"job_name": "claude-tui-api", "metrics_path": "/m"},
                {"job_name": "claude-tui-worker", "metrics_path": "/w"},
            ],
        },
    )


def test_every_group_of_every_rule_file_lands_in_the_prometheus_rule(
    tmp_path: Path, config: Path
) -> None:
    rules = tmp_path / "rules"
    _write(rules / "a.yml", {"groups": [{"name": "g1", "rules": [{"record": "x", "expr": "1"}]}]})
    _write(rules / "b.yml", {"groups": [{"name": "g2", "rules": [{"alert": "A", "expr": "up"}]}]})
    rule, monitor, worker = render_monitoring.operator_resources(rules, config)
    assert rule["kind"] == "PrometheusRule"
    assert worker["spec"]["endpoints"][0]["path"] == "/w"
    assert [g["name"] for g in rule["spec"]["groups"]] == ["g1", "g2"]
    endpoint = monitor["spec"]["endpoints"][0]
    assert (endpoint["path"], endpoint["interval"], endpoint["scrapeTimeout"]) == (
        "/m",
        "20s",
        "7s",
    )


def test_a_group_defined_twice_is_refused(tmp_path: Path, config: Path) -> None:
    rules = tmp_path / "rules"
    _write(rules / "a.yml", {"groups": [{"name": "same", "rules": []}]})
    _write(rules / "b.yml", {"groups": [{"name": "same", "rules": []}]})
    with pytest.raises(render_monitoring.RenderError, match=r"also defined in a\.yml"):
        render_monitoring.operator_resources(rules, config)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ({"not": "rules"}, "no 'groups' list"),
        ({"groups": [{"rules": []}]}, "has no name"),
    ],
)
def test_a_file_that_is_not_a_rule_file_is_refused(
    tmp_path: Path, config: Path, content: object, message: str
) -> None:
    _write(tmp_path / "rules" / "bad.yml", content)
    with pytest.raises(render_monitoring.RenderError, match=message):
        render_monitoring.operator_resources(tmp_path / "rules", config)


def test_missing_rules_or_api_job_are_reported(tmp_path: Path, config: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(render_monitoring.RenderError, match="no rule files"):
        render_monitoring.rule_groups(tmp_path / "empty")
    other = _write(tmp_path / "other.yml", {"scrape_configs": [{"job_name": "x"}]})
    with pytest.raises(render_monitoring.RenderError, match="no scrape job named"):
        render_monitoring.api_scrape(other)
    broken = tmp_path / "broken.yml"
    broken.write_text("groups: [unclosed", encoding="utf-8")
    with pytest.raises(render_monitoring.RenderError, match=r"broken\.yml"):
        render_monitoring.api_scrape(broken)


def test_the_committed_file_matches_the_monitoring_rules() -> None:
    groups = render_monitoring.rule_groups()
    committed = list(yaml.safe_load_all(render_monitoring.OUTPUT.read_text(encoding="utf-8")))
    assert committed[0]["spec"]["groups"] == groups
    assert render_monitoring.main(["--check"]) == 0


def test_check_fails_on_a_stale_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stale = tmp_path / "generated.yaml"
    stale.write_text("# edited by hand\n", encoding="utf-8")
    monkeypatch.setattr(render_monitoring, "OUTPUT", stale)
    monkeypatch.setattr(render_monitoring, "ROOT", tmp_path)
    assert render_monitoring.main(["--check"]) == 1
    assert "out of date" in capsys.readouterr().err
    assert render_monitoring.main([]) == 0
    assert render_monitoring.main(["--check"]) == 0
    assert stale.read_text(encoding="utf-8").startswith("# GENERATED")
