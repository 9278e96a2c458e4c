"""The Kubernetes manifests, rendered by kubectl kustomize and checked by the real tools, and
the invariants that schema checks miss (selectors, probes, references, namespaces)."""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from claude_tui.api.routes import health
from claude_tui.observability import metrics
from claude_tui.settings import Settings
from servers import require_tool, unavailable

pytestmark = [pytest.mark.k8s]

ROOT = Path(__file__).resolve().parents[3]
K8S = ROOT / "deploy" / "k8s"
BIN = Path(sys.executable).parent
TOOLS = Path(os.environ.get("CLAUDE_TUI_K8S_TOOLS", "/opt/claude-tui/k8s-tools")) / "bin"
OVERLAYS = {"staging": "claude-tui-staging", "production": "claude-tui-production"}
EXCEPTIONS = K8S / "scan-exceptions.trivyignore.yaml"
CLUSTER_SCOPED = {"Namespace", "ClusterRole", "ClusterRoleBinding"}
OPERATOR_KINDS = {"PrometheusRule", "ServiceMonitor"}
APP_PORT = Settings.model_fields["port"].default


def _tool(name: str) -> str:
    """A checker from the tools venv of .ci/setup.d/40-containers.sh, the project venv or PATH."""
    for directory in (TOOLS, BIN):
        if (directory / name).exists():
            return str(directory / name)
    path = shutil.which(name)
    if path is None:
        unavailable(f"{name} not installed: bash .ci/setup.d/40-containers.sh")
    return path


def _render(path: Path) -> str:
    result = subprocess.run(
        [_tool("kubectl"), "kustomize", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("k8s-rendered")
    files: dict[str, Path] = {}
    for env in OVERLAYS:
        target = out / env / "manifests.yaml"
        target.parent.mkdir()
        target.write_text(_render(K8S / "overlays" / env), encoding="utf-8")
        files[env] = target
    return files


def _objects(path: Path) -> list[dict[str, Any]]:
    return [doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc]


@pytest.fixture(scope="module", params=list(OVERLAYS))
def overlay(request: pytest.FixtureRequest, rendered: dict[str, Path]) -> Any:
    env: str = request.param
    return env, _objects(rendered[env])


def _by_kind(objects: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [o for o in objects if o["kind"] == kind]


def _named(objects: list[dict[str, Any]], kind: str, name: str) -> dict[str, Any]:
    matches = [o for o in _by_kind(objects, kind) if o["metadata"]["name"] == name]
    assert matches, f"no {kind} named {name}"
    return matches[0]


def _workloads(objects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    kinds = ("Deployment", "Job", "StatefulSet", "DaemonSet", "CronJob")
    return [o for o in objects if o["kind"] in kinds]


def _pod(workload: dict[str, Any]) -> dict[str, Any]:
    spec = workload["spec"]
    template: dict[str, Any] = (
        spec["jobTemplate"]["spec"]["template"]
        if workload["kind"] == "CronJob"
        else spec["template"]
    )
    return template


def _matches(selector: dict[str, str], labels: dict[str, str]) -> bool:
    return all(labels.get(k) == v for k, v in selector.items())


# --- the real tools -------------------------------------------------------------------------


def test_base_and_every_overlay_render(rendered: dict[str, Path]) -> None:
    base = [doc for doc in yaml.safe_load_all(_render(K8S / "base")) if doc]
    assert sorted(d["metadata"]["name"] for d in _by_kind(base, "Deployment")) == [
        "claude-tui-api-blue",
        "claude-tui-api-green",
        "claude-tui-worker",
    ]
    for env, path in rendered.items():
        kinds = {o["kind"] for o in _objects(path)}
        assert {"Deployment", "Service", "Job", "HorizontalPodAutoscaler", "Ingress"} <= kinds, env


def test_kubernetes_validate_strict_accepts_every_overlay(rendered: dict[str, Path]) -> None:
    for env, path in rendered.items():
        result = subprocess.run(
            [_tool("kubernetes-validate"), "--strict", "--quiet", str(path)],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        output = result.stdout + result.stderr
        assert result.returncode == 0, f"{env}: {output}"
        # Only the operator's custom resources lack a built-in schema: their CRD schemas check
        # them in test_operator_resources_match_the_operators_crd_schemas.
        for line in output.splitlines():
            if "Couldn't find schema" in line:
                assert any(f"kind {kind} " in line for kind in OPERATOR_KINDS), line


def _validate_operator_resources(*paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(K8S / "validate_operator_resources.py"), *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_operator_resources_match_the_operators_crd_schemas(rendered: dict[str, Path]) -> None:
    result = _validate_operator_resources(*rendered.values())
    output = result.stdout + result.stderr
    if "cannot validate" in output:
        unavailable(output.strip())
    assert result.returncode == 0, output
    for env, path in rendered.items():
        kinds = {o["kind"] for o in _objects(path)}
        assert kinds >= OPERATOR_KINDS, env
        assert f"{path}: 3 valid" in output, output


def test_an_operator_resource_that_breaks_its_crd_schema_is_refused(
    overlay: Any, tmp_path: Path
) -> None:
    _, objects = overlay
    monitor = copy.deepcopy(_named(objects, "ServiceMonitor", "claude-tui-api"))
    monitor["spec"]["endpoints"][0]["interval"] = "15 seconds"
    rule = copy.deepcopy(_named(objects, "PrometheusRule", "claude-tui"))
    del rule["spec"]["groups"][0]["name"]
    broken = tmp_path / "broken.yaml"
    broken.write_text(yaml.safe_dump_all([monitor, rule]), encoding="utf-8")
    result = _validate_operator_resources(broken)
    output = result.stdout + result.stderr
    if "cannot validate" in output:
        unavailable(output.strip())
    assert result.returncode == 1, output
    assert "ServiceMonitor/claude-tui-api: data/spec/endpoints/0/interval must match" in output
    assert "PrometheusRule/claude-tui: data/spec/groups/0 must have required property name" in (
        output
    )
    plain = tmp_path / "plain.yaml"
    plain.write_text(yaml.safe_dump({"apiVersion": "v1", "kind": "ConfigMap"}), encoding="utf-8")
    nothing = _validate_operator_resources(plain)
    assert nothing.returncode == 1, "a file with nothing to validate must not pass"


def test_generated_prometheus_rule_passes_promtool(overlay: Any, tmp_path: Path) -> None:
    _, objects = overlay
    promtool = require_tool("promtool", install="apt-get install prometheus")
    rule = _named(objects, "PrometheusRule", "claude-tui")
    rules_file = tmp_path / "rules.yml"
    rules_file.write_text(yaml.safe_dump({"groups": rule["spec"]["groups"]}), encoding="utf-8")
    result = subprocess.run(
        [promtool, "check", "rules", str(rules_file)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout


def test_generated_operator_resources_are_up_to_date() -> None:
    result = subprocess.run(
        [sys.executable, str(K8S / "render_monitoring.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def _trivy(target: Path, *extra: str) -> dict[str, Any]:
    result = subprocess.run(
        [
            _tool("trivy"),
            "config",
            "--skip-check-update",
            "--quiet",
            "--format",
            "json",
            *extra,
            str(target),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def _findings(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [m for r in report.get("Results", []) for m in r.get("Misconfigurations") or []]


def _successes(report: dict[str, Any]) -> int:
    return sum((r.get("MisconfSummary") or {}).get("Successes", 0) for r in report["Results"])


@pytest.fixture(scope="module")
def scan_targets(rendered: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("trivy-targets")
    for env, path in rendered.items():
        shutil.copy(path, target / f"{env}.yaml")
    shutil.copy(ROOT / "deploy" / "docker" / "Dockerfile", target / "Dockerfile")
    return target


def test_policy_scan_finds_no_high_or_critical_beyond_the_listed_exceptions(
    scan_targets: Path,
) -> None:
    report = _trivy(scan_targets, "--ignorefile", str(EXCEPTIONS))
    scanned = {r["Target"] for r in report["Results"]}
    assert {"staging.yaml", "production.yaml", "Dockerfile"} <= scanned, "a file was not scanned"
    assert _successes(report) > 100, "the scanner ran almost no checks: it did not really run"
    severe = [
        f"{m['Severity']} {m['ID']}: {m['Message']}"
        for m in _findings(report)
        if m["Severity"] in ("HIGH", "CRITICAL")
    ]
    assert severe == []


def test_every_scan_exception_has_a_reason_and_still_matches_a_finding(
    scan_targets: Path,
) -> None:
    entries = yaml.safe_load(EXCEPTIONS.read_text(encoding="utf-8"))["misconfigurations"]
    found = {m["ID"] for m in _findings(_trivy(scan_targets))}
    for entry in entries:
        assert len(entry.get("statement", "")) > 40, f"{entry['id']} needs a real reason"
        assert entry["id"] in found, f"{entry['id']} matches no finding any more: remove it"


# --- invariants -----------------------------------------------------------------------------


def test_workload_selectors_match_their_pod_labels(overlay: Any) -> None:
    _, objects = overlay
    for workload in _by_kind(objects, "Deployment"):
        selector = workload["spec"]["selector"]["matchLabels"]
        assert _matches(selector, _pod(workload)["metadata"]["labels"]), workload["metadata"]


def test_every_service_pdb_and_network_policy_selects_pods(overlay: Any) -> None:
    _, objects = overlay
    pod_labels = [_pod(w)["metadata"]["labels"] for w in _workloads(objects)]
    for service in _by_kind(objects, "Service"):
        selector = service["spec"]["selector"]
        assert any(_matches(selector, labels) for labels in pod_labels), service["metadata"]
        ports = {
            p["name"]: p
            for w in _workloads(objects)
            if _matches(selector, _pod(w)["metadata"]["labels"])
            for c in _pod(w)["spec"]["containers"]
            for p in c.get("ports", [])
        }
        for port in service["spec"]["ports"]:
            assert port["targetPort"] in ports, f"{service['metadata']['name']}: {port}"
    for pdb in _by_kind(objects, "PodDisruptionBudget"):
        selector = pdb["spec"]["selector"]["matchLabels"]
        assert any(_matches(selector, labels) for labels in pod_labels), pdb["metadata"]
    for policy in _by_kind(objects, "NetworkPolicy"):
        selector = policy["spec"]["podSelector"].get("matchLabels", {})
        expressions = policy["spec"]["podSelector"].get("matchExpressions", [])
        for expression in expressions:
            for value in expression["values"]:
                assert any(labels.get(expression["key"]) == value for labels in pod_labels)
        assert any(_matches(selector, labels) for labels in pod_labels), policy["metadata"]


def test_blue_green_services_select_one_colour_each(overlay: Any) -> None:
    _, objects = overlay
    blue = _named(objects, "Deployment", "claude-tui-api-blue")
    green = _named(objects, "Deployment", "claude-tui-api-green")
    active = _named(objects, "Service", "claude-tui-api")["spec"]["selector"]
    preview = _named(objects, "Service", "claude-tui-api-preview")["spec"]["selector"]
    assert active["colour"] != preview["colour"]
    for selector in (active, preview):
        chosen = [d for d in (blue, green) if _matches(selector, _pod(d)["metadata"]["labels"])]
        assert len(chosen) == 1, selector
    ingress = _named(objects, "Ingress", "claude-tui")
    backends = {
        path["backend"]["service"]["name"]
        for rule in ingress["spec"]["rules"]
        for path in rule["http"]["paths"]
    }
    assert backends == {"claude-tui-api"}, "only the active Service is published"
    assert ingress["spec"]["tls"], "the Ingress terminates TLS"


def test_api_probes_use_the_apps_health_and_ready_routes_and_port(overlay: Any) -> None:
    _, objects = overlay
    routes = {route.path for route in health.router.routes}  # type: ignore[attr-defined]
    assert {"/health", "/ready"} <= routes
    config = _by_kind(objects, "ConfigMap")[0]["data"]
    assert int(config["CLAUDE_TUI_PORT"]) == APP_PORT
    for colour in ("blue", "green"):
        container = _pod(_named(objects, "Deployment", f"claude-tui-api-{colour}"))["spec"][
            "containers"
        ][0]
        ports = {p["name"]: p["containerPort"] for p in container["ports"]}
        assert ports == {"http": APP_PORT}
        probes = {
            kind: container[kind]["httpGet"]
            for kind in ("startupProbe", "livenessProbe", "readinessProbe")
        }
        assert probes["livenessProbe"]["path"] == "/health"
        assert probes["startupProbe"]["path"] == "/health"
        assert probes["readinessProbe"]["path"] == "/ready"
        assert {p["port"] for p in probes.values()} == {"http"}


def test_worker_probes_ask_its_metrics_port_for_the_heartbeat(overlay: Any) -> None:
    from claude_tui.worker.service import Heartbeat

    _, objects = overlay
    served = set(Heartbeat(1.0).probes())
    container = _pod(_named(objects, "Deployment", "claude-tui-worker"))["spec"]["containers"][0]
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    assert ports == {"http-metrics": Settings.model_fields["worker_metrics_port"].default}
    probes = {kind: container[kind] for kind in ("startupProbe", "livenessProbe", "readinessProbe")}
    paths = {kind: probe["httpGet"]["path"] for kind, probe in probes.items()}
    assert paths == {
        "startupProbe": "/health",
        "livenessProbe": "/health",
        "readinessProbe": "/ready",
    }
    assert set(paths.values()) <= served
    assert {probe["httpGet"]["port"] for probe in probes.values()} == {"http-metrics"}

    def patience(probe: dict[str, Any]) -> int:
        return int(probe["periodSeconds"]) * int(probe["failureThreshold"])

    # Out of rotation before being restarted: a short loss of the queue costs no restart.
    assert patience(probes["livenessProbe"]) > patience(probes["readinessProbe"])


def test_every_container_has_limits_and_a_hardened_security_context(overlay: Any) -> None:
    _, objects = overlay
    for workload in _workloads(objects):
        spec = _pod(workload)["spec"]
        name = workload["metadata"]["name"]
        assert spec["automountServiceAccountToken"] is False, name
        assert not spec.get("hostNetwork"), name
        assert not spec.get("hostPID"), name
        assert spec["securityContext"]["runAsNonRoot"] is True, name
        assert spec["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault", name
        for container in spec["containers"] + spec.get("initContainers", []):
            where = f"{name}/{container['name']}"
            resources = container["resources"]
            assert {"cpu", "memory"} <= set(resources["limits"]), where
            assert {"cpu", "memory"} <= set(resources["requests"]), where
            context = container["securityContext"]
            assert context["allowPrivilegeEscalation"] is False, where
            assert context["readOnlyRootFilesystem"] is True, where
            assert context["runAsNonRoot"] is True, where
            assert context["capabilities"]["drop"] == ["ALL"], where
            assert not context.get("privileged"), where
            mounts = {m["mountPath"] for m in container["volumeMounts"]}
            assert "/tmp" in mounts, f"{where}: a read-only root needs a writable /tmp"


def test_hpas_target_existing_deployments_and_the_queue_metric_is_served(overlay: Any) -> None:
    env, objects = overlay
    deployments = {d["metadata"]["name"] for d in _by_kind(objects, "Deployment")}
    adapter = yaml.safe_load((K8S / "prometheus-adapter" / "rules.yaml").read_text())
    served = {rule["name"]["as"] for rule in adapter["rules"]["external"]}
    for hpa in _by_kind(objects, "HorizontalPodAutoscaler"):
        assert hpa["apiVersion"] == "autoscaling/v2"
        assert hpa["spec"]["scaleTargetRef"]["name"] in deployments
        if env == "production":
            assert hpa["spec"]["minReplicas"] >= 2, hpa["metadata"]["name"]
        for metric in hpa["spec"]["metrics"]:
            if metric["type"] == "External":
                assert metric["external"]["metric"]["name"] in served
    worker = _named(objects, "HorizontalPodAutoscaler", "claude-tui-worker")
    kinds = {m["type"] for m in worker["spec"]["metrics"]}
    assert kinds == {"Resource", "External"}
    # The adapter's series is a metric of the app's own catalogue.
    assert "claude_tui_queue_depth" in {m.name for m in metrics.QUEUE_DEPTH.collect()} | {
        f"claude_tui_{metrics.QUEUE_DEPTH._name}"
    }  # type: ignore[attr-defined]


def test_namespaces_are_consistent_within_each_overlay(overlay: Any) -> None:
    env, objects = overlay
    namespace = OVERLAYS[env]
    assert [n["metadata"]["name"] for n in _by_kind(objects, "Namespace")] == [namespace]
    for obj in objects:
        if obj["kind"] not in CLUSTER_SCOPED:
            assert obj["metadata"].get("namespace") == namespace, obj["metadata"]["name"]


def test_only_defined_or_documented_secrets_and_config_maps_are_referenced(
    overlay: Any,
) -> None:
    _, objects = overlay
    external = yaml.safe_load((K8S / "external-references.yaml").read_text(encoding="utf-8"))
    defined = {
        "Secret": {o["metadata"]["name"] for o in _by_kind(objects, "Secret")}
        | set(external["secrets"]),
        "ConfigMap": {o["metadata"]["name"] for o in _by_kind(objects, "ConfigMap")}
        | set(external["configmaps"]),
    }
    referenced: list[tuple[str, str, list[str]]] = []
    for workload in _workloads(objects):
        spec = _pod(workload)["spec"]
        for volume in spec.get("volumes", []):
            if "secret" in volume:
                keys = [i["key"] for i in volume["secret"].get("items", [])]
                referenced.append(("Secret", volume["secret"]["secretName"], keys))
            if "configMap" in volume:
                referenced.append(("ConfigMap", volume["configMap"]["name"], []))
        for container in spec["containers"]:
            for source in container.get("envFrom", []):
                if "configMapRef" in source:
                    referenced.append(("ConfigMap", source["configMapRef"]["name"], []))
                if "secretRef" in source:
                    referenced.append(("Secret", source["secretRef"]["name"], []))
            for env in container.get("env", []):
                ref = env.get("valueFrom", {})
                if "secretKeyRef" in ref:
                    key = ref["secretKeyRef"]
                    referenced.append(("Secret", key["name"], [key["key"]]))
    for ingress in _by_kind(objects, "Ingress"):
        for tls in ingress["spec"].get("tls", []):
            referenced.append(("Secret", tls["secretName"], []))
    assert referenced
    for kind, name, keys in referenced:
        assert name in defined[kind], f"{kind} {name} is neither rendered nor documented"
        if kind == "Secret" and name in external["secrets"]:
            assert set(keys) <= set(external["secrets"][name]["keys"]), (name, keys)


def test_secret_files_named_in_the_environment_are_mounted(overlay: Any) -> None:
    _, objects = overlay
    external = yaml.safe_load((K8S / "external-references.yaml").read_text(encoding="utf-8"))
    for workload in _workloads(objects):
        spec = _pod(workload)["spec"]
        volumes = {v["name"]: v for v in spec.get("volumes", [])}
        for container in spec["containers"]:
            mounts = {m["mountPath"]: volumes[m["name"]] for m in container["volumeMounts"]}
            for env in container.get("env", []):
                if not env["name"].endswith("_FILE"):
                    continue
                directory, _, key = env["value"].rpartition("/")
                volume = mounts.get(directory)
                assert volume is not None, env
                assert "secret" in volume, env
                items = volume["secret"].get("items")
                keys = (
                    [i["path"] for i in items]
                    if items
                    else external["secrets"][volume["secret"]["secretName"]]["keys"]
                )
                assert key in keys, env


def test_config_map_keys_are_settings_the_app_reads(overlay: Any) -> None:
    _, objects = overlay
    fields = {f"CLAUDE_TUI_{name.upper()}" for name in Settings.model_fields}
    for config in _by_kind(objects, "ConfigMap"):
        unknown = set(config["data"]) - fields
        assert not unknown, f"{config['metadata']['name']}: unknown settings {unknown}"
    Settings(
        _env_file=None,  # type: ignore[call-arg]
        **{k.removeprefix("CLAUDE_TUI_").lower(): v for k, v in config["data"].items()},
    )


def test_pods_are_service_mesh_ready(overlay: Any) -> None:
    _, objects = overlay
    for workload in _workloads(objects):
        labels = _pod(workload)["metadata"]["labels"]
        assert {"app", "version"} <= set(labels), workload["metadata"]["name"]
        for container in _pod(workload)["spec"]["containers"]:
            for port in container.get("ports", []):
                assert port["name"].split("-")[0] in ("http", "grpc", "tcp"), port
    for service in _by_kind(objects, "Service"):
        for port in service["spec"]["ports"]:
            assert port["name"].split("-")[0] in ("http", "grpc", "tcp"), port


def test_service_monitor_scrapes_every_api_pod_of_both_colours(overlay: Any) -> None:
    _, objects = overlay
    monitor = _named(objects, "ServiceMonitor", "claude-tui-api")
    selector = monitor["spec"]["selector"]["matchLabels"]
    services = [
        s for s in _by_kind(objects, "Service") if _matches(selector, s["metadata"]["labels"])
    ]
    assert len(services) == 1
    service = services[0]
    assert service["metadata"]["labels"][monitor["spec"]["jobLabel"]] == "claude-tui-api"
    assert service["spec"]["selector"] == {"app": "claude-tui-api"}, "both colours"
    port_names = {p["name"] for p in service["spec"]["ports"]}
    assert {e["port"] for e in monitor["spec"]["endpoints"]} <= port_names


def test_service_monitor_scrapes_every_worker_on_the_port_it_listens_on(overlay: Any) -> None:
    _, objects = overlay
    monitor = _named(objects, "ServiceMonitor", "claude-tui-worker")
    selector = monitor["spec"]["selector"]["matchLabels"]
    (service,) = [
        s for s in _by_kind(objects, "Service") if _matches(selector, s["metadata"]["labels"])
    ]
    worker = _named(objects, "Deployment", "claude-tui-worker")
    assert _matches(service["spec"]["selector"], _pod(worker)["metadata"]["labels"])
    (endpoint,) = monitor["spec"]["endpoints"]
    (port,) = [p for p in service["spec"]["ports"] if p["name"] == endpoint["port"]]
    container = _pod(worker)["spec"]["containers"][0]
    (listening,) = [p for p in container["ports"] if p["name"] == port["targetPort"]]
    env = {e["name"]: e.get("value") for e in container["env"]}
    # The worker binds its metrics server to loopback unless told otherwise.
    assert env["CLAUDE_TUI_WORKER_METRICS_HOST"] == "0.0.0.0"
    assert listening["containerPort"] == Settings.model_fields["worker_metrics_port"].default


def test_staging_is_smaller_than_production(rendered: dict[str, Path]) -> None:
    def limits(env: str) -> dict[str, str]:
        objects = _objects(rendered[env])
        return {
            d["metadata"]["name"]: _pod(d)["spec"]["containers"][0]["resources"]["limits"]["memory"]
            for d in _by_kind(objects, "Deployment")
        }

    def mebibytes(value: str) -> float:
        return float(value[:-2]) * (1024 if value.endswith("Gi") else 1)

    staging, production = limits("staging"), limits("production")
    for name, memory in staging.items():
        assert mebibytes(memory) < mebibytes(production[name]), name
    for deployment in _by_kind(_objects(rendered["production"]), "Deployment"):
        assert deployment["spec"]["replicas"] >= 2


def test_backup_cron_job_runs_the_real_backup_command(overlay: Any, tmp_path: Path) -> None:
    """The CronJob's command, run here against a SQLite database, makes a verified backup."""
    _, objects = overlay
    cron = _named(objects, "CronJob", "claude-tui-backup")
    assert cron["apiVersion"] == "batch/v1"
    assert cron["spec"]["concurrencyPolicy"] == "Forbid"
    pod = _pod(cron)
    container = pod["spec"]["containers"][0]
    args = container["args"]
    assert args[:3] == ["claude-tui", "backup", "create"]
    mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
    volumes = {v["name"]: v for v in pod["spec"]["volumes"]}
    backup_dir = args[args.index("--dir") + 1]
    assert "persistentVolumeClaim" in volumes[mounts[backup_dir]], "backups outlive the pod"
    claim = volumes[mounts[backup_dir]]["persistentVolumeClaim"]["claimName"]
    assert _named(objects, "PersistentVolumeClaim", claim)
    key_file = args[args.index("--key-file") + 1]
    assert mounts[key_file.rpartition("/")[0]] == "secrets"

    env = {**os.environ, "CLAUDE_TUI_DATA_DIR": str(tmp_path / "data"), "NO_COLOR": "1"}
    env.pop("CLAUDE_TUI_DATABASE_URL", None)
    cli = str(BIN / "claude-tui")
    subprocess.run([cli, "db", "upgrade"], env=env, check=True, capture_output=True, timeout=120)
    key = subprocess.run(
        [cli, "backup", "keygen"], env=env, check=True, capture_output=True, text=True
    ).stdout.strip()
    (tmp_path / "backup-key").write_text(key, encoding="utf-8")
    local = {backup_dir: str(tmp_path / "backups"), key_file: str(tmp_path / "backup-key")}
    command = [cli, *[local.get(a, a) for a in args[1:]]]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    listed = subprocess.run(
        [cli, "backup", "list", "--dir", str(tmp_path / "backups")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert listed.returncode == 0, listed.stderr
    assert "scheduled" in listed.stdout


def test_the_api_believes_forwarded_addresses_only_from_the_network_policy_peers(
    overlay: Any,
) -> None:
    from claude_tui.settings import Settings

    env, objects = overlay
    (config,) = [
        o for o in _by_kind(objects, "ConfigMap") if "claude-tui-config" in o["metadata"]["name"]
    ]
    value = config["data"]["CLAUDE_TUI_FORWARDED_ALLOW_IPS"]
    trusted = Settings(_env_file=None, forwarded_allow_ips=value).trusted_proxies  # type: ignore[call-arg]
    assert trusted, env
    assert "*" not in trusted, env
    policy = _named(objects, "NetworkPolicy", "claude-tui-api-ingress")
    peers = {
        peer["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"]
        for rule in policy["spec"]["ingress"]
        for peer in rule["from"]
    }
    # The trusted range is only safe while nothing but these may reach the API pods.
    assert peers == {"ingress-nginx", "monitoring"}, env
