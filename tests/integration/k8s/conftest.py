"""The Kubernetes tier's cluster: one control plane per test session, a namespace per test
holding the staging overlay as this 1.20 server accepts it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from integration.k8s.cluster import KubeCluster
from servers import ServiceUnavailable, unavailable

ROOT = Path(__file__).resolve().parents[3]
TOOLS = Path(os.environ.get("CLAUDE_TUI_K8S_TOOLS", "/opt/claude-tui/k8s-tools")) / "bin"
STAGING = "claude-tui-staging"

# What Kubernetes 1.20 serves instead of the current versions the manifests use. The
# manifests stay on the current versions; only this test server gets the older ones.
OLDER_VERSIONS = {
    ("autoscaling/v2", "HorizontalPodAutoscaler"): "autoscaling/v2beta2",
    ("policy/v1", "PodDisruptionBudget"): "policy/v1beta1",
    ("batch/v1", "CronJob"): "batch/v1beta1",
}
# Custom resources of the Prometheus operator: no CRDs on this server.
OMITTED_GROUPS = ("monitoring.coreos.com/",)


@pytest.fixture(scope="session")
def k8s_cluster() -> Iterator[KubeCluster]:
    try:
        cluster = KubeCluster()
    except ServiceUnavailable as exc:
        unavailable(str(exc))
        raise AssertionError("unreachable") from exc
    started = time.monotonic()
    try:
        cluster.start()
    except ServiceUnavailable as exc:
        unavailable(str(exc))
    sys.stderr.write(f"\nk8s control plane ready in {time.monotonic() - started:.1f}s\n")
    yield cluster
    cluster.stop()


def _kustomize() -> str:
    """A kubectl whose kustomize reads the overlays (1.20's embedded kustomize is too old)."""
    for candidate in (TOOLS / "kubectl", Path(sys.executable).parent / "kubectl"):
        if candidate.exists():
            return str(candidate)
    found = shutil.which("kubectl")
    if found is None:
        unavailable("kubectl with kustomize not installed: bash .ci/setup.d/40-containers.sh")
    return found


def for_this_server(objects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rendered objects as Kubernetes 1.20 takes them."""
    converted = []
    for obj in objects:
        if obj["apiVersion"].startswith(OMITTED_GROUPS):
            continue
        version = OLDER_VERSIONS.get((obj["apiVersion"], obj["kind"]))
        converted.append({**obj, "apiVersion": version} if version else obj)
    return converted


@pytest.fixture(scope="session")
def staging_objects() -> list[dict[str, Any]]:
    result = subprocess.run(
        [_kustomize(), "kustomize", str(ROOT / "deploy" / "k8s" / "overlays" / "staging")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return for_this_server([doc for doc in yaml.safe_load_all(result.stdout) if doc])


def _in_namespace(objects: list[dict[str, Any]], namespace: str) -> list[dict[str, Any]]:
    moved = []
    for obj in objects:
        obj = yaml.safe_load(yaml.safe_dump(obj))
        if obj["kind"] == "Namespace":
            obj["metadata"]["name"] = namespace
        elif obj["metadata"].get("namespace") == STAGING:
            obj["metadata"]["namespace"] = namespace
        moved.append(obj)
    return moved


@pytest.fixture
def k8s_namespace(k8s_cluster: KubeCluster, staging_objects: list[dict[str, Any]]) -> Iterator[str]:
    """A namespace with the staging overlay applied and rolled out (blue active)."""
    namespace = f"ctui-{uuid.uuid4().hex[:8]}"
    objects = _in_namespace(staging_objects, namespace)
    # No storage provisioner: one volume bound to each claim in advance (never mounted).
    volumes = [
        {
            "apiVersion": "v1",
            "kind": "PersistentVolume",
            "metadata": {"name": f"{namespace}-{pvc['metadata']['name']}"},
            "spec": {
                "capacity": {"storage": pvc["spec"]["resources"]["requests"]["storage"]},
                "accessModes": pvc["spec"]["accessModes"],
                "persistentVolumeReclaimPolicy": "Retain",
                "nfs": {"server": "127.0.0.1", "path": f"/{namespace}/{pvc['metadata']['name']}"},
                "claimRef": {"namespace": namespace, "name": pvc["metadata"]["name"]},
            },
        }
        for pvc in objects
        if pvc["kind"] == "PersistentVolumeClaim"
    ]
    secret = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "claude-tui-secrets", "namespace": namespace},
        "stringData": {
            "secret-key": uuid.uuid4().hex * 2,
            "database-url": "postgresql+asyncpg://app@db.example/app",
            "redis-url": "redis://redis.example:6379/0",
            "agent-api-key": "unused",
            "backup-key": "unused",
        },
    }
    documents = [objects[0], *volumes, secret, *objects[1:]]
    assert objects[0]["kind"] == "Namespace"
    k8s_cluster.kubectl(
        "apply", "--server-side", "-f", "-", input=yaml.safe_dump_all(documents), timeout=120
    )
    for deployment in ("claude-tui-api-blue", "claude-tui-api-green", "claude-tui-worker"):
        k8s_cluster.kubectl(
            "rollout", "status", "-n", namespace, f"deployment/{deployment}", "--timeout=90s",
            timeout=120,
        )  # fmt: skip
    yield namespace
    k8s_cluster.kubectl("delete", "namespace", namespace, "--wait=false", check=False)
    for volume in volumes:
        name = volume["metadata"]["name"]
        k8s_cluster.kubectl("delete", "pv", name, "--wait=false", check=False)
