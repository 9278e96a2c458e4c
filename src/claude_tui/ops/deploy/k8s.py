"""The Kubernetes target: blue-green on the Deployments and Services of ``deploy/k8s``.

Everything goes through ``kubectl`` (``$CLAUDE_TUI_KUBECTL``, else the one on ``PATH``) with
the environment's kubeconfig, context and namespace, and uses only stable APIs (apps/v1,
batch/v1, v1), so it works from Kubernetes 1.20 to current clusters.

- The colours are the Deployments ``<active_service>-blue`` and ``<active_service>-green``;
  ``bring_up`` sets one's image and replicas (recording the image it replaces, for
  ``tear_down``) and points the preview Service at it; ``switch`` patches the active Service's
  selector to the colour (and the preview Service's to the other one), then waits until the
  active Service's Endpoints list exactly that colour's ready pods. The old colour is then
  kept at its HPA minimum (``scale_down``): a rollback is a swap of the selectors.
- The lock is a ConfigMap ``<state_configmap>-lock``: creating an object that exists fails
  atomically in the API server, so two deploys can never both hold it. It names its holder.
- The history is JSON lines in the ConfigMap ``<state_configmap>``, updated with the
  object's resourceVersion (a concurrent writer makes the update fail and it is retried).
- Migrations run as a fresh copy of the Job ``migration_job`` (applied with the manifests)
  with the new image, waited for to completion.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from claude_tui.ops.deploy.target import (
    COLOURS,
    Colour,
    ColourState,
    DeployLocked,
    TargetError,
    TargetState,
    other,
)

if TYPE_CHECKING:
    from claude_tui.ops.deploy.environments import Environment, K8sSettings

PREVIOUS_IMAGE = "claude-tui.dev/previous-image"
# The release the colour last served (kept across failed attempts, for a rollback).
SERVED_IMAGE = "claude-tui.dev/served-image"
HISTORY_KEY = "history.jsonl"
# A ConfigMap holds at most 1 MiB: the oldest records go first past this size.
HISTORY_MAX_BYTES = 900_000
MIGRATION_JOB = "claude-tui-migrate"
KUBECTL_TIMEOUT = 60.0
_IMAGE_REF = re.compile(r"^[a-z0-9]+([._/:@-][a-zA-Z0-9_.-]+)*$")


def _one_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1].removeprefix("error: ").removeprefix("Error from server ") if lines else ""


def _not_found(stderr: str) -> bool:
    return "NotFound" in stderr or "not found" in stderr


class KubernetesTarget:
    """One environment in one namespace of one cluster."""

    name = "k8s"

    def __init__(self, env: Environment, kubectl: str | None = None) -> None:
        if env.k8s is None:
            raise TargetError(f"environment {env.name} has no [k8s] table")
        self.env = env
        self.settings: K8sSettings = env.k8s
        self.namespace = self.settings.namespace
        self.kubectl = kubectl or os.environ.get("CLAUDE_TUI_KUBECTL") or "kubectl"
        self.lock_name = f"{self.settings.state_configmap}-lock"
        self.migration_job = MIGRATION_JOB
        # One forward per colour: the post-switch analysis reaches both colours at once.
        self._forwards: dict[Colour, tuple[subprocess.Popen[str], str]] = {}

    # --- kubectl --------------------------------------------------------------------------

    def _base(self) -> list[str]:
        args = [self.kubectl, "--namespace", self.namespace, "--request-timeout=30s"]
        if self.settings.kubeconfig is not None:
            args += ["--kubeconfig", str(self.settings.kubeconfig)]
        if self.settings.context:
            args += ["--context", self.settings.context]
        return args

    def _run(
        self, *args: str, input: str | None = None, timeout: float = KUBECTL_TIMEOUT
    ) -> subprocess.CompletedProcess[str]:
        try:
            return subprocess.run(  # noqa: S603 - argument list, never a shell
                [*self._base(), *args],
                input=input,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
        except FileNotFoundError as exc:
            raise TargetError(
                f"kubectl not found ({self.kubectl}): install it or set CLAUDE_TUI_KUBECTL"
            ) from exc
        except subprocess.TimeoutExpired as exc:
            raise TargetError(f"kubectl {args[0]} did not answer within {timeout:g}s") from exc

    def _ok(self, *args: str, input: str | None = None, timeout: float = KUBECTL_TIMEOUT) -> str:
        result = self._run(*args, input=input, timeout=timeout)
        if result.returncode != 0:
            raise TargetError(f"kubectl {' '.join(args[:2])}: {_one_line(result.stderr)}")
        return result.stdout

    def _get(self, kind: str, name: str) -> dict[str, Any] | None:
        result = self._run("get", kind, name, "--output", "json")
        if result.returncode != 0:
            if _not_found(result.stderr):
                return None
            raise TargetError(f"kubectl get {kind} {name}: {_one_line(result.stderr)}")
        obj: dict[str, Any] = json.loads(result.stdout)
        return obj

    def _need(self, kind: str, name: str) -> dict[str, Any]:
        obj = self._get(kind, name)
        if obj is None:
            raise TargetError(
                f"no {kind} {name} in namespace {self.namespace}: apply the manifests first "
                f"(kubectl apply -k {self.settings.manifests})"
            )
        return obj

    def _patch(self, kind: str, name: str, patch: dict[str, Any], kind_: str = "merge") -> None:
        self._ok("patch", kind, name, "--type", kind_, "--patch", json.dumps(patch))

    def deployment(self, colour: Colour) -> str:
        return f"{self.settings.active_service}-{colour}"

    # --- Target ---------------------------------------------------------------------------

    def preflight(self, image: str) -> list[str]:
        problems: list[str] = []
        if shutil.which(self.kubectl) is None:
            return [f"kubectl not found ({self.kubectl}): install it or set CLAUDE_TUI_KUBECTL"]
        if not _IMAGE_REF.match(image):
            problems.append(f"{image!r} is not an image reference")
        # A namespaced read: a deployer's Role grants nothing on the Namespace object itself.
        active = self.settings.active_service
        reach = self._run("get", "service", active, "--output", "name", timeout=45)
        if reach.returncode != 0 and not _not_found(reach.stderr):
            return [*problems, f"cluster not reachable: {_one_line(reach.stderr)}"]
        wanted = [("deployment", self.deployment(c)) for c in COLOURS] + [
            ("service", self.settings.active_service),
            ("service", self.settings.preview_service),
        ]
        for kind, name in wanted:
            if self._get(kind, name) is None:
                problems.append(f"no {kind} {name} in namespace {self.namespace}")
        for verb, resource in (
            ("get", "horizontalpodautoscalers.autoscaling"),
            ("patch", "deployments"),
            ("patch", "services"),
            ("create", "configmaps"),
            ("create", "jobs"),
        ):
            can = self._run("auth", "can-i", verb, resource)
            if can.stdout.strip() != "yes":
                problems.append(f"not allowed to {verb} {resource} in namespace {self.namespace}")
        return problems

    @contextmanager
    def lock(self, owner: str) -> Iterator[None]:
        since = datetime.now(UTC).isoformat(timespec="seconds")
        result = self._run(
            "create",
            "configmap",
            self.lock_name,
            f"--from-literal=holder={owner}",
            f"--from-literal=since={since}",
            "--output",
            "json",
        )
        if result.returncode != 0:
            if "AlreadyExists" in result.stderr or "already exists" in result.stderr:
                held = self._get("configmap", self.lock_name) or {}
                data = held.get("data") or {}
                raise DeployLocked(
                    f"{self.env.name} is locked by {data.get('holder', 'someone')} since "
                    f"{data.get('since', '?')} (if no deploy is running: kubectl delete "
                    f"configmap {self.lock_name} -n {self.namespace})"
                )
            raise TargetError(f"cannot take the deploy lock: {_one_line(result.stderr)}")
        uid = json.loads(result.stdout)["metadata"]["uid"]
        try:
            yield
        finally:
            self._stop_port_forward()
            # Only the lock this deploy created: never one somebody took after a forced release.
            current = self._get("configmap", self.lock_name)
            if current is not None and current["metadata"]["uid"] == uid:
                self._run("delete", "configmap", self.lock_name, "--wait=false")

    def state(self) -> TargetState:
        service = self._need("service", self.settings.active_service)
        selected = (service["spec"].get("selector") or {}).get("colour")
        active: Colour | None = selected if selected in COLOURS else None
        colours: dict[Colour, ColourState] = {}
        for colour in COLOURS:
            deployment = self._get("deployment", self.deployment(colour))
            if deployment is None:
                colours[colour] = ColourState(colour, None, 0, 0)
                continue
            containers = deployment["spec"]["template"]["spec"]["containers"]
            image = containers[0]["image"]
            served = (deployment["metadata"].get("annotations") or {}).get(SERVED_IMAGE)
            colours[colour] = ColourState(
                colour=colour,
                image=image,
                replicas=int(deployment["spec"].get("replicas", 0)),
                ready=int(deployment.get("status", {}).get("readyReplicas", 0)),
                # None on the manifests' live colour too: the first deploy marks it.
                served=served,
            )
        return TargetState(active=active, colours=colours)

    def run_migrations(self, image: str, timeout: float = 600.0) -> None:
        template = self._need("job", self.migration_job)
        job = _fresh_job(template, image)
        if template.get("status", {}).get("active"):
            raise TargetError(f"job {self.migration_job} is still running: wait for it to end")
        self._ok("delete", "job", self.migration_job, "--cascade=foreground", "--wait=true",
                 timeout=120)  # fmt: skip
        self._ok("create", "--filename", "-", input=json.dumps(job))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            current = self._need("job", self.migration_job)
            status = current.get("status", {})
            if status.get("succeeded", 0) >= 1:
                return
            for condition in status.get("conditions", []):
                if condition["type"] == "Failed" and condition["status"] == "True":
                    raise TargetError(
                        f"migrations failed (job {self.migration_job}: "
                        f"{condition.get('reason', 'Failed')}: {condition.get('message', '')})"
                    )
            time.sleep(1.0)
        raise TargetError(f"migrations did not finish within {timeout:g}s")

    def bring_up(self, colour: Colour, image: str, replicas: int) -> None:
        name = self.deployment(colour)
        deployment = self._need("deployment", name)
        container = deployment["spec"]["template"]["spec"]["containers"][0]
        patch = {
            "metadata": {"annotations": {PREVIOUS_IMAGE: container["image"]}},
            "spec": {
                "replicas": replicas,
                "template": {"spec": {"containers": [{"name": container["name"], "image": image}]}},
            },
        }
        self._patch("deployment", name, patch, kind_="strategic")
        self._select(self.settings.preview_service, colour)

    def wait_ready(self, colour: Colour, timeout: float) -> None:
        name = self.deployment(colour)
        result = self._run(
            "rollout", "status", f"deployment/{name}", f"--timeout={max(1, int(timeout))}s",
            timeout=timeout + 30,
        )  # fmt: skip
        if result.returncode != 0:
            deployment = self._need("deployment", name)
            image = deployment["spec"]["template"]["spec"]["containers"][0]["image"]
            ready = len(self._ready_pod_ips(colour, image=image))
            wanted = deployment["spec"].get("replicas", 0)
            raise TargetError(
                f"{name}: {ready} of {wanted} replicas of {image} ready after {timeout:g}s "
                f"({_one_line(result.stderr) or 'rollout not complete'})"
            )

    def preview_url(self, colour: Colour) -> str:
        configured = self.settings.preview_url
        if configured:
            return configured.replace("{colour}", colour)
        # A forward reaches the pod it picked when it started, so it stays on ``colour``
        # after the switch moves the preview Service to the other colour.
        if colour not in self._forwards:
            self._select(self.settings.preview_service, colour)
            self._forwards[colour] = self._start_port_forward()
        return self._forwards[colour][1]

    def analysis_urls(self, colour: Colour, baseline: Colour) -> tuple[str, str]:
        return self.preview_url(colour), self.preview_url(baseline)

    def mark_served(self, colour: Colour, image: str) -> None:
        self._patch(
            "deployment",
            self.deployment(colour),
            {"metadata": {"annotations": {SERVED_IMAGE: image}}},
        )

    def restore_standby(self, colour: Colour, image: str, replicas: int, timeout: float) -> None:
        # A standby here is the Deployment at its HPA minimum with its image (see scale_down).
        name = self.deployment(colour)
        deployment = self._need("deployment", name)
        container = deployment["spec"]["template"]["spec"]["containers"][0]["name"]
        patch = {
            "spec": {
                "replicas": self.standby_replicas(colour),
                "template": {"spec": {"containers": [{"name": container, "image": image}]}},
            }
        }
        self._patch("deployment", name, patch, kind_="strategic")
        self.wait_ready(colour, timeout)

    def switch(self, colour: Colour, timeout: float = 60.0) -> None:
        self._select(self.settings.active_service, colour)
        self._select(self.settings.preview_service, other(colour))
        deadline = time.monotonic() + timeout
        wanted: set[str] = set()
        while time.monotonic() < deadline:
            wanted = self._ready_pod_ips(colour)
            if wanted and self._endpoint_ips(self.settings.active_service) == wanted:
                return
            time.sleep(0.5)
        raise TargetError(
            f"service {self.settings.active_service} does not list the {colour} pods "
            f"({', '.join(sorted(wanted)) or 'none ready'}) after {timeout:g}s"
        )

    def resume(self, colour: Colour, image: str, replicas: int) -> bool:
        # A standby kept at its HPA minimum is still running (the engine sees it ready); one
        # at 0 replicas has no pods to resume: it goes through bring_up and a rollout.
        return False

    def standby_replicas(self, colour: Colour) -> int:
        """The replicas an idle colour keeps: its HPA's minimum (the HPA stays in charge), or
        the environment's replicas when no HPA targets the Deployment."""
        name = self.deployment(colour)
        result = self._run("get", "horizontalpodautoscalers.autoscaling", name, "--output", "json")
        if result.returncode != 0:
            if _not_found(result.stderr):
                return self.env.replicas
            raise TargetError(f"kubectl get hpa {name}: {_one_line(result.stderr)}")
        hpa = json.loads(result.stdout)
        target = hpa["spec"].get("scaleTargetRef") or {}
        if target.get("kind") != "Deployment" or target.get("name") != name:
            return self.env.replicas
        return int(hpa["spec"].get("minReplicas") or 1)

    def scale_down(self, colour: Colour) -> None:
        # Kept warm at the HPA minimum, not at 0: a rollback is then the reverse swap of the
        # Services' selectors, with no rollout to wait for (and the HPA keeps scaling it).
        replicas = self.standby_replicas(colour)
        self._patch("deployment", self.deployment(colour), {"spec": {"replicas": replicas}})

    def tear_down(self, colour: Colour) -> None:
        if self.state().active == colour:
            raise TargetError(f"refusing to tear down {colour}: it serves the live traffic")
        name = self.deployment(colour)
        deployment = self._need("deployment", name)
        annotations = deployment["metadata"].get("annotations") or {}
        patch: dict[str, Any] = {"spec": {"replicas": 0}}
        previous = annotations.get(PREVIOUS_IMAGE)
        if previous:
            container = deployment["spec"]["template"]["spec"]["containers"][0]["name"]
            patch["spec"]["template"] = {
                "spec": {"containers": [{"name": container, "image": previous}]}
            }
        self._patch("deployment", name, patch, kind_="strategic")

    def history_lines(self) -> Iterator[str]:
        config = self._get("configmap", self.settings.state_configmap)
        text = ((config or {}).get("data") or {}).get(HISTORY_KEY, "")
        yield from (line for line in text.splitlines() if line.strip())

    def append_history(self, line: str) -> None:
        record = line.strip()
        for _attempt in range(10):
            config = self._get("configmap", self.settings.state_configmap)
            if config is None:
                created = self._run(
                    "create", "configmap", self.settings.state_configmap,
                    f"--from-literal={HISTORY_KEY}={record}\n",
                )  # fmt: skip
                if created.returncode == 0:
                    return
                if "AlreadyExists" not in created.stderr:
                    raise TargetError(f"cannot record history: {_one_line(created.stderr)}")
                continue
            text = (config.get("data") or {}).get(HISTORY_KEY, "") + record + "\n"
            while len(text.encode("utf-8")) > HISTORY_MAX_BYTES and "\n" in text:
                text = text.split("\n", 1)[1]
            config["data"] = {**(config.get("data") or {}), HISTORY_KEY: text}
            # The resourceVersion read above makes this fail if someone wrote in between.
            replaced = self._run("replace", "--filename", "-", input=json.dumps(config))
            if replaced.returncode == 0:
                return
            if "Conflict" not in replaced.stderr and "modified" not in replaced.stderr:
                raise TargetError(f"cannot record history: {_one_line(replaced.stderr)}")
        raise TargetError("cannot record history: the ConfigMap keeps changing")

    def live_manifests(self, objects: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The environment's rendered manifests made safe to re-apply after deploys (with
        ``kubectl apply --server-side``): what the deploy tool owns is set to its live value
        or left out, so the apply neither moves traffic nor changes a release.

        The Services' ``colour`` is the live one; each colour's image is the one it runs;
        ``replicas`` goes from every Deployment an HPA targets (the HPA owns it); the
        migration Job goes (each deploy recreates it with its image); every namespaced object
        goes to the environment's namespace.
        """
        state = self.state()
        if state.active is None:
            raise TargetError(
                f"service {self.settings.active_service} selects no colour: nothing to keep"
            )
        scaled = {
            str((obj.get("spec") or {}).get("scaleTargetRef", {}).get("name"))
            for obj in objects
            if obj.get("kind") == "HorizontalPodAutoscaler"
        }
        selectors = {
            self.settings.active_service: state.active,
            self.settings.preview_service: other(state.active),
        }
        images = {self.deployment(c): s.image for c, s in state.colours.items() if s.image}
        kept: list[dict[str, Any]] = []
        for original in objects:
            obj = json.loads(json.dumps(original))
            kind = obj.get("kind")
            metadata = obj.setdefault("metadata", {})
            name = metadata.get("name")
            if kind == "Job" and name == self.migration_job:
                continue
            if kind == "Namespace":
                metadata["name"] = self.namespace
            elif "namespace" in metadata:
                metadata["namespace"] = self.namespace
            if kind == "Service" and name in selectors:
                obj["spec"].setdefault("selector", {})["colour"] = selectors[name]
            if kind == "Deployment":
                if name in scaled:
                    obj["spec"].pop("replicas", None)
                if name in images:
                    obj["spec"]["template"]["spec"]["containers"][0]["image"] = images[name]
            kept.append(obj)
        return kept

    # --- helpers --------------------------------------------------------------------------

    def _select(self, service: str, colour: Colour) -> None:
        self._patch("service", service, {"spec": {"selector": {"colour": colour}}})

    def _ready_pod_ips(self, colour: Colour, image: str | None = None) -> set[str]:
        """Pod IPs of the colour's ready pods (only those running ``image`` if given)."""
        deployment = self._need("deployment", self.deployment(colour))
        labels = deployment["spec"]["selector"].get("matchLabels", {})
        selector = ",".join(f"{k}={v}" for k, v in sorted(labels.items()))
        pods = json.loads(self._ok("get", "pods", "--selector", selector, "--output", "json"))
        return {
            pod["status"]["podIP"]
            for pod in pods["items"]
            if not pod["metadata"].get("deletionTimestamp")
            and pod.get("status", {}).get("podIP")
            and (image is None or pod["spec"]["containers"][0]["image"] == image)
            and any(
                c["type"] == "Ready" and c["status"] == "True"
                for c in pod["status"].get("conditions", [])
            )
        }

    def _endpoint_ips(self, service: str) -> set[str]:
        endpoints = self._get("endpoints", service) or {}
        return {
            address["ip"]
            for subset in endpoints.get("subsets") or []
            for address in subset.get("addresses") or []
        }

    def _start_port_forward(self) -> tuple[subprocess.Popen[str], str]:
        """A loopback port forwarded to the preview Service (for the duration of the lock)."""
        process = subprocess.Popen(  # noqa: S603 - argument list, never a shell
            [*self._base(), "port-forward", f"service/{self.settings.preview_service}",
             "--address", "127.0.0.1", ":80"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        assert process.stdout is not None
        line = process.stdout.readline()
        match = re.search(r"127\.0\.0\.1:(\d+)", line)
        if match is None:
            process.kill()
            error = process.stderr.read() if process.stderr is not None else ""
            raise TargetError(f"cannot reach the preview service: {_one_line(error or line)}")
        return process, f"http://127.0.0.1:{match.group(1)}"

    def _stop_port_forward(self) -> None:
        for process, _ in self._forwards.values():
            process.terminate()
            process.wait(timeout=10)
        self._forwards.clear()


def _fresh_job(template: dict[str, Any], image: str) -> dict[str, Any]:
    """A new Job from ``template`` (as read from the cluster) running ``image``."""
    metadata = template["metadata"]
    labels = {
        k: v
        for k, v in (metadata.get("labels") or {}).items()
        if k not in ("controller-uid", "job-name")
    }
    annotations = {
        k: v
        for k, v in (metadata.get("annotations") or {}).items()
        if k != "kubectl.kubernetes.io/last-applied-configuration"
    }
    pod = json.loads(json.dumps(template["spec"]["template"]))
    pod_labels = pod.get("metadata", {}).get("labels") or {}
    for key in ("controller-uid", "job-name"):
        pod_labels.pop(key, None)
    pod.setdefault("metadata", {})["labels"] = pod_labels
    pod["spec"]["containers"][0]["image"] = image
    spec = {
        k: v
        for k, v in template["spec"].items()
        # The selector is generated; a finished Job is kept as the next run's template.
        if k not in ("selector", "manualSelector", "ttlSecondsAfterFinished", "template")
    }
    spec["template"] = pod
    return {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {
            "name": metadata["name"],
            "labels": labels,
            "annotations": {**annotations, "claude-tui.dev/image": image},
        },
        "spec": spec,
    }
