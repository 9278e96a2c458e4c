"""The Kubernetes target's steps against a real API server, controller-manager and scheduler
(the node agent of ``cluster.py`` plays the kubelet)."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest

from claude_tui.ops.deploy.environments import Environment, load_file
from claude_tui.ops.deploy.k8s import PREVIOUS_IMAGE, KubernetesTarget
from claude_tui.ops.deploy.target import DeployLocked, TargetError
from integration.k8s.cluster import KubeCluster

pytestmark = [
    pytest.mark.k8s,
    pytest.mark.k8s_cluster,
    pytest.mark.slow,
    pytest.mark.xdist_group("k8s"),
]

BASE_IMAGE = "ghcr.io/claude-tui/claude-tui:0.1.0"
NEW_IMAGE = "ghcr.io/claude-tui/claude-tui:0.2.0"


def environment(cluster: KubeCluster, namespace: str, tmp_path: Path) -> Environment:
    path = tmp_path / "staging.toml"
    path.write_text(
        f"""target = "k8s"
replicas = 2

[k8s]
namespace = "{namespace}"
kubeconfig = "{cluster.kubeconfig}"
preview_url = "http://127.0.0.1:9/{{colour}}"
""",
        encoding="utf-8",
    )
    return load_file(path, "staging")


@pytest.fixture
def target(k8s_cluster: KubeCluster, k8s_namespace: str, tmp_path: Path) -> KubernetesTarget:
    return KubernetesTarget(
        environment(k8s_cluster, k8s_namespace, tmp_path), kubectl=k8s_cluster.bins["kubectl"]
    )


def pod_ips(cluster: KubeCluster, namespace: str, colour: str) -> set[str]:
    pods = cluster.get("pods", "-n", namespace, "-l", f"app=claude-tui-api,colour={colour}")
    return {
        p["status"]["podIP"] for p in pods["items"] if not p["metadata"].get("deletionTimestamp")
    }


def endpoint_ips(cluster: KubeCluster, namespace: str, service: str) -> set[str]:
    endpoints = cluster.get("endpoints", service, "-n", namespace)
    return {a["ip"] for s in endpoints.get("subsets") or [] for a in s.get("addresses") or []}


def test_preflight_and_state_of_a_fresh_namespace(target: KubernetesTarget) -> None:
    assert target.preflight(NEW_IMAGE) == []
    assert target.preflight("Not An Image!") == ["'Not An Image!' is not an image reference"]
    state = target.state()
    assert state.active == "blue"
    assert state.colours["blue"].image == BASE_IMAGE
    assert state.colours["blue"].ready == state.colours["blue"].replicas == 1


def test_preflight_names_a_missing_namespace(
    k8s_cluster: KubeCluster, k8s_namespace: str, tmp_path: Path
) -> None:
    env = environment(k8s_cluster, "no-such-namespace", tmp_path)
    problems = KubernetesTarget(env, kubectl=k8s_cluster.bins["kubectl"]).preflight(NEW_IMAGE)
    assert problems[:2] == [
        "no deployment claude-tui-api-blue in namespace no-such-namespace",
        "no deployment claude-tui-api-green in namespace no-such-namespace",
    ]
    assert len(problems) == 4


def test_preflight_names_what_the_deploying_account_may_not_do(
    k8s_cluster: KubeCluster, k8s_namespace: str, tmp_path: Path
) -> None:
    env = environment(k8s_cluster, k8s_namespace, tmp_path)
    stranger = env.model_copy(
        update={
            "k8s": env.k8s.model_copy(update={"kubeconfig": k8s_cluster.kubeconfig_for("stranger")})
        }
    )
    problems = KubernetesTarget(stranger, kubectl=k8s_cluster.bins["kubectl"]).preflight(NEW_IMAGE)
    assert len(problems) == 1
    assert problems[0].startswith("cluster not reachable:")
    assert "forbidden" in problems[0]


def test_bring_up_the_idle_colour_then_switch_the_active_service(
    target: KubernetesTarget, k8s_cluster: KubeCluster, k8s_namespace: str
) -> None:
    blue_ips = pod_ips(k8s_cluster, k8s_namespace, "blue")
    assert endpoint_ips(k8s_cluster, k8s_namespace, "claude-tui-api") == blue_ips

    target.bring_up("green", NEW_IMAGE, 2)
    target.wait_ready("green", timeout=60)
    green = target.state().colours["green"]
    assert (green.image, green.replicas, green.ready) == (NEW_IMAGE, 2, 2)
    green_ips = pod_ips(k8s_cluster, k8s_namespace, "green")
    assert len(green_ips) == 2
    assert not green_ips & blue_ips
    # Before the switch the preview Service reaches green and users still reach blue.
    assert endpoint_ips(k8s_cluster, k8s_namespace, "claude-tui-api-preview") == green_ips
    assert endpoint_ips(k8s_cluster, k8s_namespace, "claude-tui-api") == blue_ips

    target.switch("green")
    assert target.state().active == "green"
    assert endpoint_ips(k8s_cluster, k8s_namespace, "claude-tui-api") == green_ips
    preview = k8s_cluster.get("service", "claude-tui-api-preview", "-n", k8s_namespace)
    assert preview["spec"]["selector"]["colour"] == "blue"

    # The old colour stays at its HPA minimum (staging: 1): the same pod, warm for a rollback.
    target.scale_down("blue")
    blue = target.state().colours["blue"]
    assert (blue.image, blue.replicas) == (BASE_IMAGE, 1), "kept for a rollback"
    assert pod_ips(k8s_cluster, k8s_namespace, "blue") == blue_ips


def test_a_colour_that_never_gets_ready_times_out_and_is_torn_down(
    target: KubernetesTarget, k8s_cluster: KubeCluster, k8s_namespace: str
) -> None:
    target.bring_up("green", "ghcr.io/claude-tui/claude-tui:never-ready", 1)
    with pytest.raises(
        TargetError,
        match=r"claude-tui-api-green: 0 of 1 replicas of \S+:never-ready ready after 3s",
    ):
        target.wait_ready("green", timeout=3)
    with pytest.raises(TargetError, match="refusing to tear down blue"):
        target.tear_down("blue")
    target.tear_down("green")
    green = target.state().colours["green"]
    assert (green.image, green.replicas) == (BASE_IMAGE, 0)
    assert endpoint_ips(k8s_cluster, k8s_namespace, "claude-tui-api") == pod_ips(
        k8s_cluster, k8s_namespace, "blue"
    )
    deployment = k8s_cluster.get("deployment", "claude-tui-api-green", "-n", k8s_namespace)
    assert deployment["metadata"]["annotations"][PREVIOUS_IMAGE] == BASE_IMAGE


def test_the_lock_is_one_object_in_the_cluster_naming_its_holder(
    target: KubernetesTarget, k8s_cluster: KubeCluster, k8s_namespace: str
) -> None:
    with target.lock("alice@ci-run-1"):
        held = k8s_cluster.get("configmap", target.lock_name, "-n", k8s_namespace)
        assert held["data"]["holder"] == "alice@ci-run-1"
        with (
            pytest.raises(DeployLocked, match="locked by alice@ci-run-1 since"),
            target.lock("bob"),
        ):
            pytest.fail("two holders")
    assert (
        k8s_cluster.kubectl(
            "get", "configmap", target.lock_name, "-n", k8s_namespace, check=False
        ).returncode
        != 0
    )
    with target.lock("bob"):
        pass


def test_concurrent_lock_attempts_let_exactly_one_through(target: KubernetesTarget) -> None:
    outcomes: list[str] = []
    gate = threading.Barrier(4)
    release = threading.Event()

    def attempt(name: str) -> None:
        gate.wait()
        try:
            with target.lock(name):
                outcomes.append(f"held:{name}")
                release.wait(10)
        except DeployLocked:
            outcomes.append("refused")

    threads = [threading.Thread(target=attempt, args=(f"deployer-{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    time.sleep(3)
    release.set()
    for thread in threads:
        thread.join(30)
    assert sorted(o.split(":")[0] for o in outcomes) == ["held", "refused", "refused", "refused"]


def test_history_is_json_lines_in_a_config_map_in_order(
    target: KubernetesTarget, k8s_cluster: KubeCluster, k8s_namespace: str
) -> None:
    assert list(target.history_lines()) == []
    records = [{"n": i, "image": NEW_IMAGE, "outcome": "ok"} for i in range(3)]
    for record in records:
        target.append_history(json.dumps(record))
    assert [json.loads(line) for line in target.history_lines()] == records
    config = k8s_cluster.get("configmap", "claude-tui-deploy-state", "-n", k8s_namespace)
    assert config["data"]["history.jsonl"].count("\n") == 3


def test_concurrent_history_writers_lose_no_record(target: KubernetesTarget) -> None:
    def write(i: int) -> None:
        target.append_history(json.dumps({"n": i}))

    target.append_history(json.dumps({"n": -1}))
    threads = [threading.Thread(target=write, args=(i,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(json.loads(line)["n"] for line in target.history_lines()) == list(range(-1, 6))


def test_migrations_run_as_a_fresh_job_with_the_new_image(
    target: KubernetesTarget, k8s_cluster: KubeCluster, k8s_namespace: str
) -> None:
    target.run_migrations(NEW_IMAGE, timeout=60)
    job = k8s_cluster.get("job", "claude-tui-migrate", "-n", k8s_namespace)
    assert job["spec"]["template"]["spec"]["containers"][0]["image"] == NEW_IMAGE
    assert job["spec"]["template"]["spec"]["containers"][0]["args"] == ["migrate"]
    assert job["status"]["succeeded"] == 1

    # The Job retries a failed pod backoffLimit times with growing delays: none here.
    k8s_cluster.kubectl(
        "patch",
        "job",
        "claude-tui-migrate",
        "-n",
        k8s_namespace,
        "-p",
        '{"spec":{"backoffLimit":0}}',
    )
    with pytest.raises(TargetError, match="migrations failed"):
        target.run_migrations("ghcr.io/claude-tui/claude-tui:fails", timeout=90)
    # The next run starts from the failed one's definition and succeeds again.
    target.run_migrations(NEW_IMAGE, timeout=60)


def test_the_backup_cron_job_is_served_and_a_run_from_it_completes(
    k8s_cluster: KubeCluster, k8s_namespace: str
) -> None:
    cron = k8s_cluster.get("cronjob", "claude-tui-backup", "-n", k8s_namespace)
    assert cron["spec"]["schedule"] == "17 3 * * *"
    k8s_cluster.kubectl(
        "create", "job", "backup-now", "--from=cronjob/claude-tui-backup", "-n", k8s_namespace
    )
    k8s_cluster.kubectl(
        "wait", "--for=condition=complete", "job/backup-now", "-n", k8s_namespace,
        "--timeout=60s", timeout=90,
    )  # fmt: skip
    pods = k8s_cluster.get("pods", "-n", k8s_namespace, "-l", "job-name=backup-now")
    [pod] = pods["items"]
    assert pod["spec"]["containers"][0]["args"][:3] == ["claude-tui", "backup", "create"]
    volumes = {v["name"]: v for v in pod["spec"]["volumes"]}
    assert volumes["backups"]["persistentVolumeClaim"]["claimName"] == "claude-tui-backups"
    claim = k8s_cluster.get("pvc", "claude-tui-backups", "-n", k8s_namespace)
    assert claim["status"]["phase"] == "Bound"
