"""Where a release gets deployed: real hosts over SSH, or a dry run that only prints."""
from __future__ import annotations

import abc
import shlex
from dataclasses import dataclass, field

import paramiko


@dataclass
class Step:
    description: str
    command: list[str]


@dataclass
class Plan:
    release: str
    steps: list[Step] = field(default_factory=list)

    def add(self, description: str, *command: str) -> "Plan":
        self.steps.append(Step(description, list(command)))
        return self


class Target(abc.ABC):
    @abc.abstractmethod
    def run(self, step: Step) -> str:
        """Execute one step and return its output."""

    def close(self) -> None:
        """Release connections; targets without any keep the default."""

    def apply(self, plan: Plan) -> list[str]:
        outputs = []
        for step in plan.steps:
            outputs.append(self.run(step))
        return outputs


class SshTarget(Target):
    def __init__(self, host: str, user: str, key_file: str) -> None:
        self._client = paramiko.SSHClient()
        self._client.load_system_host_keys()
        self._client.set_missing_host_key_policy(paramiko.RejectPolicy())
        self._client.connect(host, username=user, key_filename=key_file, timeout=15)
        self.host = host

    def run(self, step: Step) -> str:
        _, stdout, stderr = self._client.exec_command(shlex.join(step.command), timeout=300)
        status = stdout.channel.recv_exit_status()
        if status != 0:
            raise RuntimeError(f"{self.host}: {step.description} failed ({status}): {stderr.read().decode()}")
        return stdout.read().decode()

    def close(self) -> None:
        self._client.close()


class DryRunTarget(Target):
    """Selected by `--dry-run`: shows what would be executed and changes nothing."""

    def __init__(self, echo: bool = True) -> None:
        self.echo = echo
        self.seen: list[Step] = []

    def run(self, step: Step) -> str:
        self.seen.append(step)
        line = f"[dry-run] {step.description}: {shlex.join(step.command)}"
        if self.echo:
            print(line)
        return ""


def release_plan(release: str, app_dir: str) -> Plan:
    return (
        Plan(release)
        .add("fetch release", "git", "-C", app_dir, "fetch", "--tags")
        .add("check out", "git", "-C", app_dir, "checkout", release)
        .add("install", f"{app_dir}/.venv/bin/pip", "install", "-e", app_dir)
        .add("restart", "sudo", "systemctl", "restart", "app.service")
    )
