"""``claude-tui deploy|rollback`` on the Kubernetes target, end to end: the real CLI and
engine, a real API server, controller-manager and scheduler (the node agent of ``cluster.py``
plays the kubelet).

No container runs, so nothing listens at a pod's IP: the environment's ``preview_url`` sends
the smoke tests and the metrics analysis to a router on loopback, ``/<colour>/...``, that
forwards to a real ``claude-tui serve``. A colour whose Deployment runs an image tagged
``bad-after-switch`` is forwarded, once the active Service selects it, to a second real server
whose schema is not migrated (``/ready`` answers 503): a release that breaks under live
traffic.
"""

from __future__ import annotations

import json
import os
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
import yaml

from claude_tui.ops.deploy.environments import load_file
from integration.k8s.cluster import KubeCluster
from monitoring_stack import _Process
from servers import free_port, require_tool, wait_for_port

pytestmark = [
    pytest.mark.k8s,
    pytest.mark.k8s_cluster,
    pytest.mark.slow,
    pytest.mark.xdist_group("k8s"),
]

BIN = Path(sys.executable).parent
OLD_IMAGE = "ghcr.io/claude-tui/claude-tui:0.1.0"
NEW_IMAGE = "ghcr.io/claude-tui/claude-tui:0.2.0"
BAD_IMAGE = "ghcr.io/claude-tui/claude-tui:0.2.1-bad-after-switch"
ENVIRONMENTS = Path(__file__).resolve().parents[3] / "deploy" / "environments"


def _serve(data_dir: Path, migrate: bool) -> tuple[subprocess.Popen[bytes], str]:
    env = {**os.environ, "CLAUDE_TUI_DATA_DIR": str(data_dir), "NO_COLOR": "1"}
    env.pop("CLAUDE_TUI_DATABASE_URL", None)
    cli = str(BIN / "claude-tui")
    if migrate:
        subprocess.run([cli, "db", "upgrade"], env=env, check=True, capture_output=True)
    port = free_port()
    process = subprocess.Popen(
        [cli, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for_port(port, timeout=60)
    return process, f"http://127.0.0.1:{port}"


@dataclass
class Backends:
    healthy: str
    broken: str


@pytest.fixture(scope="session")
def backends(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backends]:
    """Two real servers: one ready, one whose /ready answers 503 (schema not migrated)."""
    root = tmp_path_factory.mktemp("k8s-backends")
    healthy, healthy_url = _serve(root / "healthy", migrate=True)
    broken, broken_url = _serve(root / "broken", migrate=False)
    assert httpx.get(f"{broken_url}/ready", timeout=10).status_code == 503
    yield Backends(healthy_url, broken_url)
    for process in (healthy, broken):
        process.terminate()
        process.wait(timeout=30)


class ColourRouter:
    """``/<colour>/<path>`` → the backend that colour's (imaginary) pods would be."""

    def __init__(self, cluster: KubeCluster, namespace: str, backends: Backends) -> None:
        self.namespace = namespace
        self.backends = backends
        self.api = httpx.Client(
            base_url=cluster.server,
            verify=ssl.create_default_context(cafile=str(cluster.ca_file)),
            headers={"Authorization": f"Bearer {cluster.token}"},
            timeout=5,
        )
        self.client = httpx.Client(timeout=10)
        router = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                colour, _, rest = self.path.lstrip("/").partition("/")
                try:
                    upstream = router.client.get(f"{router.backend(colour)}/{rest}")
                except httpx.HTTPError:
                    self.send_error(502)
                    return
                body = upstream.content
                self.send_response(upstream.status_code)
                self.send_header("Content-Type", upstream.headers.get("content-type", "text/plain"))
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def backend(self, colour: str) -> str:
        base = f"/apis/apps/v1/namespaces/{self.namespace}/deployments/claude-tui-api-{colour}"
        image = self.api.get(base).json()["spec"]["template"]["spec"]["containers"][0]["image"]
        service = self.api.get(f"/api/v1/namespaces/{self.namespace}/services/claude-tui-api")
        live = service.json()["spec"]["selector"]["colour"] == colour
        if live and "bad-after-switch" in image:
            return self.backends.broken
        return self.backends.healthy

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.api.close()
        self.client.close()


@dataclass
class Deploy:
    cluster: KubeCluster
    namespace: str
    environments: Path
    router: ColourRouter

    def env(self, actor: str = "ci-bot") -> dict[str, str]:
        return {
            **os.environ,
            "CLAUDE_TUI_KUBECTL": self.cluster.bins["kubectl"],
            "CLAUDE_TUI_DEPLOY_ACTOR": actor,
            "NO_COLOR": "1",
            "COLUMNS": "200",
        }

    def command(self, *args: str) -> list[str]:
        return [str(BIN / "claude-tui"), *args, "--environments", str(self.environments)]

    def run(self, *args: str, actor: str = "ci-bot") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            self.command(*args),
            env=self.env(actor),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    def history(self) -> list[dict[str, object]]:
        result = self.run("deploy", "history", "staging", "--json")
        assert result.returncode == 0, result.stderr
        return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]

    def endpoints(self, service: str = "claude-tui-api") -> set[str]:
        endpoints = self.cluster.get("endpoints", service, "-n", self.namespace)
        return {a["ip"] for s in endpoints.get("subsets") or [] for a in s.get("addresses") or []}

    def pods(self, colour: str) -> set[str]:
        pods = self.cluster.get(
            "pods", "-n", self.namespace, "-l", f"app=claude-tui-api,colour={colour}"
        )
        return {
            p["status"]["podIP"]
            for p in pods["items"]
            if not p["metadata"].get("deletionTimestamp") and p["status"].get("podIP")
        }

    def deployment(self, colour: str) -> tuple[str, int]:
        d = self.cluster.get("deployment", f"claude-tui-api-{colour}", "-n", self.namespace)
        return d["spec"]["template"]["spec"]["containers"][0]["image"], d["spec"]["replicas"]

    def active(self) -> str:
        service = self.cluster.get("service", "claude-tui-api", "-n", self.namespace)
        colour: str = service["spec"]["selector"]["colour"]
        return colour


# What docs/operations/deploy.md says a deploying account needs in its namespace, and no more.
DEPLOYER_RULES = [
    {
        "apiGroups": ["apps"],
        "resources": ["deployments"],
        "verbs": ["get", "list", "watch", "patch"],
    },
    {"apiGroups": [""], "resources": ["services"], "verbs": ["get", "patch"]},
    {"apiGroups": ["autoscaling"], "resources": ["horizontalpodautoscalers"], "verbs": ["get"]},
    {"apiGroups": [""], "resources": ["pods", "endpoints"], "verbs": ["get", "list"]},
    {
        "apiGroups": [""],
        "resources": ["configmaps"],
        "verbs": ["get", "create", "update", "delete"],
    },
    {
        "apiGroups": ["batch"],
        "resources": ["jobs"],
        "verbs": ["get", "list", "watch", "create", "delete"],
    },
]


def write_environment(
    deploy_dir: Path,
    cluster: KubeCluster,
    namespace: str,
    url: str,
    grace: float,
    kubeconfig: Path | None = None,
    gates: str = "",
) -> None:
    deploy_dir.mkdir(exist_ok=True)
    (deploy_dir / "staging.toml").write_text(
        f"""target = "k8s"
replicas = 2

[gates]
readiness_timeout = 60
smoke_paths = ["/health", "/ready", "/version"]
analysis_window = 2
analysis_rate = 20
min_requests = 10
min_success_rate = 0.99
max_p99_ms = 2000
post_switch_window = 2
grace_period = {grace}
{gates}
[k8s]
namespace = "{namespace}"
kubeconfig = "{kubeconfig or cluster.kubeconfig}"
preview_url = "{url}/{{colour}}"
""",
        encoding="utf-8",
    )


@pytest.fixture
def deploy(
    k8s_cluster: KubeCluster, k8s_namespace: str, backends: Backends, tmp_path: Path
) -> Iterator[Deploy]:
    router = ColourRouter(k8s_cluster, k8s_namespace, backends)
    write_environment(tmp_path / "environments", k8s_cluster, k8s_namespace, router.url, 0)
    yield Deploy(k8s_cluster, k8s_namespace, tmp_path / "environments", router)
    router.close()


def test_deploy_goes_to_the_idle_colour_and_switches_the_active_service(deploy: Deploy) -> None:
    assert deploy.active() == "blue"
    blue = deploy.pods("blue")
    assert deploy.endpoints() == blue

    started = time.monotonic()
    result = deploy.run("deploy", "staging", "--image", NEW_IMAGE, "--target", "k8s", "--json")
    elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    events = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    finished = [e["step"] for e in events if e["event"] == "step.finished"]
    assert finished == [
        "preflight", "migrations", "bring-up", "readiness", "smoke", "analysis", "switch",
        "post-switch-analysis", "grace-period", "scale-down",
    ]  # fmt: skip

    assert deploy.active() == "green"
    green = deploy.pods("green")
    assert len(green) == 2
    assert not green & blue
    assert deploy.endpoints() == green, "the active Service lists the new colour's pods"
    assert deploy.deployment("green") == (NEW_IMAGE, 2)
    # Kept warm at its HPA minimum (staging: 1), not scaled to 0: a rollback is a swap.
    assert deploy.deployment("blue") == (OLD_IMAGE, 1), "kept for a rollback"
    assert (
        deploy.cluster.get("deployment", "claude-tui-api-blue", "-n", deploy.namespace)[
            "status"
        ].get("readyReplicas")
        == 1
    )
    job = deploy.cluster.get("job", "claude-tui-migrate", "-n", deploy.namespace)
    assert job["spec"]["template"]["spec"]["containers"][0]["image"] == NEW_IMAGE

    history = deploy.history()
    assert len(history) == 1
    assert history[0]["outcome"] == "succeeded"
    assert history[0]["image"] == NEW_IMAGE
    assert history[0]["actor"] == "ci-bot"
    assert (history[0]["colour"], history[0]["previous_colour"]) == ("green", "blue")
    status = deploy.run("deploy", "status", "staging")
    assert status.returncode == 0, status.stderr
    assert "green" in status.stdout
    assert NEW_IMAGE in status.stdout
    sys.stderr.write(f"\nk8s deploy to the idle colour: {elapsed:.1f}s\n")


def test_a_failing_post_switch_gate_switches_back_automatically(deploy: Deploy) -> None:
    blue = deploy.pods("blue")
    result = deploy.run("deploy", "staging", "--image", BAD_IMAGE)
    assert result.returncode == 1
    assert "switched back to blue" in result.stderr
    assert "Traceback" not in result.stderr
    assert deploy.active() == "blue"
    assert deploy.endpoints() == blue
    assert deploy.deployment("green") == (OLD_IMAGE, 0), "torn down to its previous image"
    [record] = deploy.history()
    assert record["outcome"] == "rolled_back"
    assert "post-switch analysis" in str(record["reason"])
    assert record["switched_at"]
    assert record["restored_at"]


def test_a_release_that_never_gets_ready_leaves_traffic_untouched(deploy: Deploy) -> None:
    write_environment(deploy.environments, deploy.cluster, deploy.namespace, deploy.router.url, 0)
    text = (deploy.environments / "staging.toml").read_text(encoding="utf-8")
    (deploy.environments / "staging.toml").write_text(
        text.replace("readiness_timeout = 60", "readiness_timeout = 4"), encoding="utf-8"
    )
    blue = deploy.pods("blue")
    result = deploy.run("deploy", "staging", "--image", "ghcr.io/claude-tui/claude-tui:never-ready")
    assert result.returncode == 1
    assert "readiness" in result.stderr
    assert "traffic untouched on blue" in result.stderr
    assert deploy.active() == "blue"
    assert deploy.endpoints() == blue
    assert deploy.deployment("green") == (OLD_IMAGE, 0)
    assert [r["outcome"] for r in deploy.history()] == ["failed"]


def test_rollback_returns_to_the_previous_release(deploy: Deploy) -> None:
    assert deploy.run("deploy", "staging", "--image", NEW_IMAGE).returncode == 0
    assert deploy.active() == "green"
    warm = deploy.pods("blue")
    assert len(warm) == 1, "the old colour stays at its HPA minimum"

    started = time.monotonic()
    result = deploy.run("rollback", "staging", "--yes", actor="oncall")
    elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    assert deploy.active() == "blue"
    # The reverse swap: the pods kept warm take the traffic, no rollout in between.
    assert deploy.deployment("blue") == (OLD_IMAGE, 1)
    assert deploy.endpoints() == deploy.pods("blue") == warm
    assert deploy.deployment("green") == (NEW_IMAGE, 1), "now green is the warm standby"
    history = deploy.history()
    assert [(r["kind"], r["outcome"]) for r in history] == [
        ("deploy", "succeeded"),
        ("rollback", "succeeded"),
    ]
    assert history[1]["image"] == OLD_IMAGE
    assert history[1]["actor"] == "oncall"
    assert history[1]["reverts"] == history[0]["id"]
    steps = {str(step["name"]): step for step in history[1]["steps"]}
    assert steps["bring-up"]["detail"] == "blue still running", steps
    sys.stderr.write(f"\nk8s rollback (CLI, warm standby, selector swap): {elapsed:.1f}s\n")


def test_a_second_deploy_while_one_runs_is_refused_by_the_lock(deploy: Deploy) -> None:
    write_environment(deploy.environments, deploy.cluster, deploy.namespace, deploy.router.url, 8)
    first = subprocess.Popen(
        deploy.command("deploy", "staging", "--image", NEW_IMAGE, "--json"),
        env=deploy.env("first-deployer"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            lock = deploy.cluster.kubectl(
                "get", "configmap", "claude-tui-deploy-state-lock", "-n", deploy.namespace,
                check=False,
            )  # fmt: skip
            if lock.returncode == 0:
                break
            time.sleep(0.2)
        else:
            pytest.fail("the first deploy never took the lock")
        second = deploy.run("deploy", "staging", "--image", BAD_IMAGE, actor="second-deployer")
        assert second.returncode == 1
        assert "locked by first-deployer" in second.stderr
        assert "Traceback" not in second.stderr
        _, first_err = first.communicate(timeout=240)
    finally:
        if first.poll() is None:
            first.kill()
    assert first.returncode == 0, first_err
    assert deploy.active() == "green"
    assert deploy.deployment("green") == (NEW_IMAGE, 2), "the refused deploy changed nothing"
    outcomes = [(r["actor"], r["outcome"]) for r in deploy.history()]
    assert ("first-deployer", "succeeded") in outcomes
    assert ("second-deployer", "failed") in outcomes
    # The lock is gone once the first deploy ends.
    assert (
        deploy.cluster.kubectl(
            "get", "configmap", "claude-tui-deploy-state-lock", "-n", deploy.namespace, check=False
        ).returncode
        != 0
    )


def test_an_account_with_only_the_documented_role_can_deploy(deploy: Deploy) -> None:
    role = {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "Role",
        "metadata": {"name": "claude-tui-deployer", "namespace": deploy.namespace},
        "rules": DEPLOYER_RULES,
    }
    binding = {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "RoleBinding",
        "metadata": {"name": "claude-tui-deployer", "namespace": deploy.namespace},
        "roleRef": {
            "apiGroup": "rbac.authorization.k8s.io",
            "kind": "Role",
            "name": role["metadata"]["name"],
        },
        "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "deployer"}],
    }
    deploy.cluster.kubectl(
        "apply",
        "-f",
        "-",
        input=json.dumps({"apiVersion": "v1", "kind": "List", "items": [role, binding]}),
    )
    write_environment(
        deploy.environments, deploy.cluster, deploy.namespace, deploy.router.url, 0,
        kubeconfig=deploy.cluster.kubeconfig_for("deployer"),
    )  # fmt: skip
    result = deploy.run("deploy", "staging", "--image", NEW_IMAGE)
    assert result.returncode == 0, result.stderr
    assert deploy.active() == "green"
    rolled = deploy.run("rollback", "staging", "--yes")
    assert rolled.returncode == 0, rolled.stderr
    assert deploy.active() == "blue"
    assert [r["outcome"] for r in deploy.history()] == ["succeeded", "succeeded"]


def test_rollback_after_failed_attempts_returns_to_the_release_the_idle_colour_served(
    deploy: Deploy,
) -> None:
    """good -> good -> failed (migrations) -> failed (readiness) -> rollback."""
    write_environment(deploy.environments, deploy.cluster, deploy.namespace, deploy.router.url, 0)
    text = (deploy.environments / "staging.toml").read_text(encoding="utf-8")
    (deploy.environments / "staging.toml").write_text(
        text.replace("readiness_timeout = 60", "readiness_timeout = 4"), encoding="utf-8"
    )
    second = "ghcr.io/claude-tui/claude-tui:0.3.0"
    assert deploy.run("deploy", "staging", "--image", NEW_IMAGE).returncode == 0
    assert deploy.run("deploy", "staging", "--image", second).returncode == 0
    assert deploy.active() == "blue"
    assert deploy.deployment("green") == (NEW_IMAGE, 1), "the warm standby, at its HPA minimum"

    # Fails before anything is brought up: the standby is left exactly as it was.
    failed = deploy.run("deploy", "staging", "--image", "ghcr.io/claude-tui/claude-tui:0.4.0-fails")
    assert failed.returncode == 1
    assert "migrations" in failed.stderr
    assert "Traceback" not in failed.stderr
    assert deploy.deployment("green") == (NEW_IMAGE, 1)
    # Fails after the bring-up: the failed release goes, the one green served comes back.
    never = deploy.run("deploy", "staging", "--image", "ghcr.io/claude-tui/claude-tui:never-ready")
    assert never.returncode == 1
    assert "traffic untouched on blue" in never.stderr
    assert deploy.deployment("green") == (NEW_IMAGE, 1)
    history = deploy.history()
    assert [s["name"] for s in history[-1]["steps"]][-2:] == ["tear-down", "restore-standby"]
    assert "tear-down" not in [s["name"] for s in history[-2]["steps"]]
    status = deploy.run("deploy", "status", "staging", "--json")
    assert status.returncode == 0, status.stderr
    colours = json.loads(status.stdout)["colours"]
    assert (colours["green"]["served"], colours["blue"]["served"]) == (NEW_IMAGE, second)

    rolled = deploy.run("rollback", "staging", "--yes")
    assert rolled.returncode == 0, rolled.stderr
    assert f"rolled back staging to {NEW_IMAGE}" in rolled.stdout
    assert deploy.active() == "green"
    # The restored standby was waited for: the rollback found it running and swapped.
    assert deploy.deployment("green") == (NEW_IMAGE, 1)
    assert deploy.endpoints() == deploy.pods("green") != set()


def test_rollback_to_a_colour_that_never_served_traffic_is_refused(deploy: Deploy) -> None:
    failed = deploy.run("deploy", "staging", "--image", BAD_IMAGE)
    assert failed.returncode == 1
    rolled = deploy.run("rollback", "staging", "--yes")
    assert rolled.returncode == 1
    message = rolled.stderr.strip().splitlines()[-1]
    assert "green has never served traffic: there is no earlier release to go back to" in message
    assert "Traceback" not in rolled.stderr
    assert deploy.active() == "blue"


@pytest.fixture
def cluster_prometheus(deploy: Deploy, tmp_path: Path) -> Iterator[str]:
    """A real Prometheus that scrapes each colour's /metrics (through the router) every second,
    labelled as the cluster's Prometheus labels the staging pods (namespace, colour)."""
    require_tool("prometheus", install="apt-get install prometheus")
    router = deploy.router.url.removeprefix("http://")
    config = {
        "global": {"scrape_interval": "1s", "scrape_timeout": "1s"},
        "scrape_configs": [
            {
                "job_name": f"claude-tui-api-{colour}",
                "metrics_path": f"/{colour}/metrics",
                "static_configs": [
                    {
                        "targets": [router],
                        "labels": {"namespace": "claude-tui-staging", "colour": colour},
                    }
                ],
            }
            for colour in ("blue", "green")
        ],
    }
    workdir = tmp_path / "prometheus"
    workdir.mkdir()
    (workdir / "prometheus.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    port = free_port()
    process = _Process(
        "prometheus",
        [
            "prometheus",
            f"--config.file={workdir / 'prometheus.yml'}",
            f"--storage.tsdb.path={workdir / 'tsdb'}",
            f"--web.listen-address=127.0.0.1:{port}",
        ],
        port,
        workdir,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            answer = httpx.get(
                f"{process.url}/api/v1/query",
                params={"query": "count_over_time(up[1m]) >= 2"},
                timeout=5,
            ).json()
            if len(answer.get("data", {}).get("result", [])) == 2:
                break
            assert time.monotonic() < deadline, f"Prometheus did not scrape both colours: {answer}"
            time.sleep(0.5)
        yield process.url
    finally:
        process.stop()


def test_staging_gates_read_the_clusters_prometheus(
    deploy: Deploy, cluster_prometheus: str
) -> None:
    """The staging environment names the cluster's Prometheus: its analysis reads both colours'
    series there with the environment's own selector, and a Prometheus that does not answer
    fails the deploy before any traffic moves."""
    staging = load_file(ENVIRONMENTS / "staging.toml").gates
    assert staging.prometheus_url, "staging analyses through the cluster's Prometheus"
    selector = staging.prometheus_selector
    assert "'" not in selector
    gates = (
        f'prometheus_url = "{cluster_prometheus}"\n'
        f"prometheus_selector = '{selector}'\n"
        "prometheus_scrape_interval = 2\n"
        "min_latency_samples = 20\n"
    )
    write_environment(
        deploy.environments, deploy.cluster, deploy.namespace, deploy.router.url, 0, gates=gates
    )
    result = deploy.run("deploy", "staging", "--image", NEW_IMAGE, "--json")
    assert result.returncode == 0, result.stderr[-3000:]
    assert deploy.active() == "green"
    [record] = deploy.history()
    steps = {str(step["name"]): step for step in record["steps"]}
    # The after-switch verdict names blue's series: both colours came from Prometheus.
    assert "; blue: " in str(steps["post-switch-analysis"]["detail"]), steps

    unreachable = f"http://127.0.0.1:{free_port()}"
    write_environment(
        deploy.environments, deploy.cluster, deploy.namespace, deploy.router.url, 0,
        gates=gates.replace(cluster_prometheus, unreachable),
    )  # fmt: skip
    failed = deploy.run("deploy", "staging", "--image", "ghcr.io/claude-tui/claude-tui:0.3.0")
    assert failed.returncode == 1
    message = failed.stderr.strip().splitlines()[-1]
    assert f"cannot query Prometheus at {unreachable}" in message, message
    assert "traffic untouched on green" in message, message
    assert deploy.active() == "green"


def test_reapplying_the_manifests_after_a_deploy_keeps_the_live_colour_and_releases(
    deploy: Deploy, staging_objects: list[dict[str, object]]
) -> None:
    """`kubectl kustomize | claude-tui deploy manifests ENV | kubectl apply --server-side`
    after a deploy: the Services keep the live colour, the colours their images and the HPAs
    their replicas (a plain `kubectl apply` of the overlay sends traffic back to blue)."""
    assert deploy.run("deploy", "staging", "--image", NEW_IMAGE).returncode == 0
    assert deploy.active() == "green"
    green = deploy.pods("green")
    rendered = subprocess.run(
        deploy.command("deploy", "manifests", "staging"),
        input=yaml.safe_dump_all(staging_objects),
        env=deploy.env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert rendered.returncode == 0, rendered.stderr
    objects = [doc for doc in yaml.safe_load_all(rendered.stdout) if doc]
    colours = {o["metadata"]["name"]: o for o in objects if o["kind"] == "Deployment"}
    assert "replicas" not in colours["claude-tui-api-green"]["spec"], "the HPA owns replicas"
    assert not [o for o in objects if o["kind"] == "Job"], "the deploy tool owns the Job"
    applied = deploy.cluster.kubectl(
        "apply", "--server-side", "-f", "-", input=rendered.stdout, check=False
    )
    assert applied.returncode == 0, applied.stderr[-2000:]
    assert deploy.active() == "green"
    preview = deploy.cluster.get("service", "claude-tui-api-preview", "-n", deploy.namespace)
    assert preview["spec"]["selector"]["colour"] == "blue"
    assert deploy.deployment("green") == (NEW_IMAGE, 2)
    assert deploy.deployment("blue") == (OLD_IMAGE, 1)
    assert deploy.endpoints() == deploy.pods("green") == green

    not_k8s = deploy.run("deploy", "manifests", "nowhere")
    assert not_k8s.returncode != 0
    assert "Traceback" not in not_k8s.stderr
