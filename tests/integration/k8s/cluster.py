"""A real Kubernetes control plane on loopback, for the deploy tool's Kubernetes tier.

etcd, kube-apiserver (token auth, RBAC, service-account keys, TLS on a free loopback port, no
insecure port), kube-controller-manager and kube-scheduler run as processes in a temp dir.
No kubelet runs: :class:`NodeAgent` plays one. It registers a Node, keeps it Ready (heartbeat
on its status, taints removed), and gives every pod the scheduler binds to it the status a
kubelet would report — Running and Ready with its own pod IP, or Succeeded for a Job's pod —
and finishes the deletion of pods being terminated. Two test hooks stand for containers that
misbehave: an image whose reference contains ``never-ready`` runs but never becomes Ready, a
Job image containing ``fails`` ends Failed.

The binaries come from ``.ci/k8s/build-control-plane.sh`` (Kubernetes 1.20, Debian's source
package); ``CLAUDE_TUI_K8S_BIN`` overrides their directory.
"""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import ssl
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import yaml

from servers import ServiceUnavailable, free_port

K8S_BIN = Path(os.environ.get("CLAUDE_TUI_K8S_BIN", "/var/cache/claude-tui/k8s/bin"))
BINARIES = ("kube-apiserver", "kube-controller-manager", "kube-scheduler", "kubectl")
NODE = "ctui-node-1"
ADMIN = "admin"
# Users without any group but system:authenticated: what they may do is what RBAC grants.
USERS = ("deployer", "stranger")
SERVICE_CIDR = "10.96.0.0/24"


def binaries() -> dict[str, str]:
    """Paths of the control plane binaries; ServiceUnavailable naming what is missing."""
    found: dict[str, str] = {}
    missing: list[str] = []
    for name in BINARIES:
        path = K8S_BIN / name
        if os.access(path, os.X_OK):
            found[name] = str(path)
        else:
            missing.append(str(path))
    for name in ("etcd", "openssl"):
        which = shutil.which(name)
        if which is None:
            missing.append(name)
        else:
            found[name] = which
    if missing:
        raise ServiceUnavailable(
            f"Kubernetes control plane not built ({', '.join(missing)} missing): run "
            ".ci/k8s/build-control-plane.sh"
        )
    return found


def _trust(ca_file: Path) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(ca_file))


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class KubeCluster:
    """The control plane processes; :meth:`start` returns when the API serves and a node is
    Ready; :meth:`stop` ends every process and removes the temp dir."""

    def __init__(self) -> None:
        self.bins = binaries()
        self.root = Path(tempfile.mkdtemp(prefix="ctui-k8s-"))
        self.token = os.urandom(16).hex()
        self.tokens = {user: os.urandom(16).hex() for user in USERS}
        self.api_port = free_port()
        self.server = f"https://127.0.0.1:{self.api_port}"
        self.kubeconfig = self.root / "kubeconfig"
        self.ca_file = self.root / "pki" / "apiserver.crt"
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self.agent: NodeAgent | None = None
        self.timings: dict[str, float] = {}

    # --- lifecycle ------------------------------------------------------------------------

    def start(self, timeout: float = 120.0) -> KubeCluster:
        started = time.monotonic()
        # A test run that is interrupted still ends the processes it started.
        atexit.register(self.stop)
        try:
            self._pki()
            self._write_kubeconfig()
            self._etcd()
            self._apiserver(timeout)
            self.timings["apiserver_ready_s"] = time.monotonic() - started
            common = ["--kubeconfig", str(self.kubeconfig), "--leader-elect=false", "--port=0"]
            self._spawn(
                "kube-controller-manager",
                [
                    *common,
                    "--secure-port=0",
                    "--service-account-private-key-file",
                    str(self.root / "pki" / "sa.key"),
                    "--root-ca-file",
                    str(self.ca_file),
                    "--use-service-account-credentials=false",
                    "--controllers=*,-csrsigning,-csrapproving,-csrcleaner,-nodeipam",
                    "--concurrent-deployment-syncs=5",
                ],
            )
            self._spawn("kube-scheduler", [*common, "--secure-port=0"])
            self.agent = NodeAgent(self.server, self.token, self.ca_file)
            self.agent.start()
            self._wait_node_schedulable(timeout)
            self.timings["cluster_ready_s"] = time.monotonic() - started
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        atexit.unregister(self.stop)
        if self.agent is not None:
            self.agent.stop()
            self.agent = None
        for name in ("kube-scheduler", "kube-controller-manager", "kube-apiserver", "etcd"):
            process = self.processes.pop(name, None)
            if process is None or process.poll() is not None:
                continue
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
        shutil.rmtree(self.root, ignore_errors=True)

    # --- helpers for tests ----------------------------------------------------------------

    def kubectl(
        self, *args: str, input: str | None = None, check: bool = True, timeout: float = 120
    ) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [self.bins["kubectl"], "--kubeconfig", str(self.kubeconfig), *args],
            input=input,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if check and result.returncode != 0:
            raise AssertionError(f"kubectl {' '.join(args)}: {result.stderr.strip()}")
        return result

    def get(self, *args: str) -> Any:
        return yaml.safe_load(self.kubectl("get", *args, "-o", "json").stdout)

    def log(self, name: str) -> str:
        path = self.root / f"{name}.log"
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""

    # --- the pieces -----------------------------------------------------------------------

    def _openssl(self, *args: str) -> None:
        subprocess.run(
            [self.bins["openssl"], *args], check=True, capture_output=True, cwd=self.root / "pki"
        )

    def _pki(self) -> None:
        (self.root / "pki").mkdir()
        # One self-signed certificate for 127.0.0.1: the clients trust exactly it.
        self._openssl(
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-keyout", "apiserver.key", "-out", "apiserver.crt", "-subj", "/CN=kube-apiserver",
            "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
        )  # fmt: skip
        self._openssl("genrsa", "-out", "sa.key", "2048")
        self._openssl("rsa", "-in", "sa.key", "-pubout", "-out", "sa.pub")
        lines = [f'{self.token},{ADMIN},admin-uid,"system:masters"']
        lines += [f"{token},{user},{user}-uid" for user, token in self.tokens.items()]
        (self.root / "pki" / "tokens.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")

    def kubeconfig_for(self, user: str) -> Path:
        """A kubeconfig authenticating as one of :data:`USERS`."""
        path = self.root / f"kubeconfig-{user}"
        self._write_kubeconfig(path, user, self.tokens[user])
        return path

    def _write_kubeconfig(
        self, path: Path | None = None, user: str = ADMIN, token: str | None = None
    ) -> None:
        path = path or self.kubeconfig
        config = {
            "apiVersion": "v1",
            "kind": "Config",
            "clusters": [
                {
                    "name": "test",
                    "cluster": {"server": self.server, "certificate-authority": str(self.ca_file)},
                }
            ],
            "users": [{"name": user, "user": {"token": token or self.token}}],
            "contexts": [{"name": "test", "context": {"cluster": "test", "user": user}}],
            "current-context": "test",
        }
        path.write_text(yaml.safe_dump(config), encoding="utf-8")
        path.chmod(0o600)

    def _spawn(self, name: str, args: list[str]) -> None:
        log = (self.root / f"{name}.log").open("wb")
        self.processes[name] = subprocess.Popen(
            [self.bins[name], *args],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=self.root,
        )
        log.close()

    def _etcd(self) -> None:
        client, peer = free_port(), free_port()
        self.etcd_url = f"http://127.0.0.1:{client}"
        self._spawn(
            "etcd",
            [
                "--name", "ctui", "--data-dir", str(self.root / "etcd"),
                "--listen-client-urls", self.etcd_url, "--advertise-client-urls", self.etcd_url,
                "--listen-peer-urls", f"http://127.0.0.1:{peer}",
                "--initial-advertise-peer-urls", f"http://127.0.0.1:{peer}",
                "--initial-cluster", f"ctui=http://127.0.0.1:{peer}",
                "--unsafe-no-fsync",
            ],
        )  # fmt: skip

    def _apiserver(self, timeout: float) -> None:
        pki = self.root / "pki"
        self._spawn(
            "kube-apiserver",
            [
                "--etcd-servers", self.etcd_url,
                "--bind-address", "127.0.0.1", "--advertise-address", "127.0.0.1",
                "--secure-port", str(self.api_port), "--insecure-port=0",
                "--tls-cert-file", str(pki / "apiserver.crt"),
                "--tls-private-key-file", str(pki / "apiserver.key"),
                "--client-ca-file", str(pki / "apiserver.crt"),
                "--token-auth-file", str(pki / "tokens.csv"),
                "--authorization-mode", "RBAC",
                "--service-account-key-file", str(pki / "sa.pub"),
                "--service-account-signing-key-file", str(pki / "sa.key"),
                "--service-account-issuer", "https://kubernetes.default.svc",
                "--service-cluster-ip-range", SERVICE_CIDR,
                "--allow-privileged=false",
                "--anonymous-auth=false",
                "--profiling=false",
                "--cert-dir", str(pki),
            ],
        )  # fmt: skip
        deadline = time.monotonic() + timeout
        with httpx.Client(verify=_trust(self.ca_file), timeout=5) as client:
            while time.monotonic() < deadline:
                for name in ("etcd", "kube-apiserver"):
                    if self.processes[name].poll() is not None:
                        raise ServiceUnavailable(f"{name} exited: {self.log(name)[-2000:]}")
                try:
                    response = client.get(
                        f"{self.server}/readyz",
                        headers={"Authorization": f"Bearer {self.token}"},
                    )
                    if response.status_code == 200:
                        return
                except httpx.HTTPError:
                    pass
                time.sleep(0.3)
        raise ServiceUnavailable(f"kube-apiserver not ready within {timeout:g}s")

    def _wait_node_schedulable(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for name in ("kube-controller-manager", "kube-scheduler"):
                if self.processes[name].poll() is not None:
                    raise ServiceUnavailable(f"{name} exited: {self.log(name)[-2000:]}")
            result = self.kubectl("get", "node", NODE, "-o", "json", check=False)
            if result.returncode == 0:
                node = yaml.safe_load(result.stdout)
                ready = any(
                    c["type"] == "Ready" and c["status"] == "True"
                    for c in node.get("status", {}).get("conditions", [])
                )
                if ready and not node["spec"].get("taints"):
                    sa = self.kubectl("get", "serviceaccount", "default", check=False)
                    if sa.returncode == 0:
                        return
            time.sleep(0.3)
        raise ServiceUnavailable(f"node {NODE} not schedulable within {timeout:g}s")


class NodeAgent:
    """The tests' kubelet: a thread speaking HTTPS to the API server."""

    def __init__(self, server: str, token: str, ca_file: Path, interval: float = 0.25) -> None:
        self.server = server
        self.client = httpx.Client(
            base_url=server,
            verify=_trust(ca_file),
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        )
        self.interval = interval
        self.ips: dict[str, str] = {}
        self._next_ip = 10
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="k8s-node-agent", daemon=True)
        self._last_heartbeat = 0.0
        self.errors: list[str] = []

    def start(self) -> None:
        self._register()
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)
        self.client.close()

    # --- node -----------------------------------------------------------------------------

    def _register(self) -> None:
        node = {
            "apiVersion": "v1",
            "kind": "Node",
            "metadata": {
                "name": NODE,
                "labels": {
                    "kubernetes.io/hostname": NODE,
                    "kubernetes.io/os": "linux",
                    "kubernetes.io/arch": "amd64",
                    "topology.kubernetes.io/zone": "zone-a",
                },
            },
            "spec": {},
        }
        response = self.client.post("/api/v1/nodes", json=node)
        if response.status_code not in (201, 409):
            raise ServiceUnavailable(f"cannot register node: {response.text}")
        self._heartbeat()

    def _heartbeat(self) -> None:
        now = _now()
        capacity = {"cpu": "16", "memory": "64Gi", "pods": "110", "ephemeral-storage": "100Gi"}
        conditions = [
            {"type": kind, "status": "False", "reason": f"KubeletHas{reason}"}
            for kind, reason in (
                ("MemoryPressure", "SufficientMemory"),
                ("DiskPressure", "NoDiskPressure"),
                ("PIDPressure", "SufficientPID"),
            )
        ] + [{"type": "Ready", "status": "True", "reason": "KubeletReady"}]
        for condition in conditions:
            condition.update(lastHeartbeatTime=now, lastTransitionTime=now)
        status = {
            "status": {
                "capacity": capacity,
                "allocatable": capacity,
                "conditions": conditions,
                "addresses": [
                    {"type": "InternalIP", "address": "127.0.0.1"},
                    {"type": "Hostname", "address": NODE},
                ],
                "nodeInfo": {
                    "kubeletVersion": "v1.20.2",
                    "operatingSystem": "linux",
                    "architecture": "amd64",
                    "containerRuntimeVersion": "none://0",
                    "kernelVersion": "",
                    "osImage": "",
                    "kubeProxyVersion": "",
                    "machineID": "",
                    "systemUUID": "",
                    "bootID": "",
                },
            }
        }
        self.client.patch(
            f"/api/v1/nodes/{NODE}/status",
            json=status,
            headers={"Content-Type": "application/strategic-merge-patch+json"},
        ).raise_for_status()
        node = self.client.get(f"/api/v1/nodes/{NODE}").json()
        if node["spec"].get("taints"):
            # The node lifecycle controller removes them once Ready; a kubelet would not wait.
            node["spec"]["taints"] = []
            self.client.put(f"/api/v1/nodes/{NODE}", json=node)
        self._last_heartbeat = time.monotonic()

    # --- pods -----------------------------------------------------------------------------

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                if time.monotonic() - self._last_heartbeat > 5:
                    self._heartbeat()
                self._sync_pods()
            except httpx.HTTPError as exc:
                self.errors.append(str(exc))
            self._stop.wait(self.interval)

    def _sync_pods(self) -> None:
        pods = self.client.get(
            "/api/v1/pods", params={"fieldSelector": f"spec.nodeName={NODE}"}
        ).json()
        for pod in pods.get("items", []):
            meta = pod["metadata"]
            path = f"/api/v1/namespaces/{meta['namespace']}/pods/{meta['name']}"
            if meta.get("deletionTimestamp"):
                # The kubelet's part of a graceful deletion: containers stopped, pod gone.
                self.client.request("DELETE", path, json={"gracePeriodSeconds": 0})
                self.ips.pop(meta["uid"], None)
                continue
            status = self._status_for(pod)
            if status is not None:
                pod["status"] = status
                self.client.put(f"{path}/status", json=pod)

    def _status_for(self, pod: dict[str, Any]) -> dict[str, Any] | None:
        current = pod.get("status", {})
        if current.get("phase") in ("Succeeded", "Failed"):
            return None
        if current.get("phase") == "Running" and current.get("podIP"):
            return None
        meta, spec = pod["metadata"], pod["spec"]
        owners = {o["kind"] for o in meta.get("ownerReferences", [])}
        images = " ".join(c["image"] for c in spec["containers"])
        now = _now()
        uid = meta["uid"]
        if uid not in self.ips:
            self._next_ip += 1
            self.ips[uid] = f"10.244.{self._next_ip // 250}.{self._next_ip % 250 + 2}"
        ip = self.ips[uid]
        if "Job" in owners:
            failed = "fails" in images
            phase = "Failed" if failed else "Succeeded"
            state = {
                "terminated": {
                    "exitCode": 1 if failed else 0,
                    "reason": "Error" if failed else "Completed",
                    "startedAt": now,
                    "finishedAt": now,
                }
            }
            ready = False
        else:
            phase = "Running"
            state = {"running": {"startedAt": now}}
            ready = "never-ready" not in images

        def condition(kind: str, value: bool) -> dict[str, str]:
            return {"type": kind, "status": "True" if value else "False", "lastTransitionTime": now}

        return {
            "phase": phase,
            "hostIP": "127.0.0.1",
            "podIP": ip,
            "podIPs": [{"ip": ip}],
            "startTime": now,
            "qosClass": current.get("qosClass", "Burstable"),
            "conditions": [
                condition("Initialized", True),
                condition("Ready", ready),
                condition("ContainersReady", ready),
                condition("PodScheduled", True),
            ],
            "containerStatuses": [
                {
                    "name": c["name"],
                    "image": c["image"],
                    "imageID": f"docker-pullable://{c['image']}",
                    "containerID": f"none://{uid}-{c['name']}",
                    "ready": ready,
                    "started": phase == "Running",
                    "restartCount": 0,
                    "state": state,
                }
                for c in spec["containers"]
            ],
        }


def running_cluster() -> Iterator[KubeCluster]:
    """Start a cluster, yield it, stop it (the body of the session fixture)."""
    cluster = KubeCluster().start()
    try:
        yield cluster
    finally:
        cluster.stop()
