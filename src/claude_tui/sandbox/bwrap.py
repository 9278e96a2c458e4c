"""The bubblewrap sandbox: what code from a workspace may see, touch and inherit.

Everything is an allow-list. The filesystem view holds the system's programs and libraries
read-only, the interpreters and toolchains the server itself runs with read-only, a private
``/tmp``, and the one workspace writable; nothing else of the server (its data directory,
other projects' workspaces, ``/run/secrets``, home directories, ``/etc/shadow``) exists inside.
The environment holds only the variables named in :data:`ENV_ALLOWED`, never the server's
settings or credentials. No network, no capabilities, its own PID/IPC/UTS namespaces.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

INSTALL_HINT = "install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap)"

# Variables a build or test tool needs to find itself and format text; nothing else crosses.
ENV_ALLOWED = frozenset(
    {
        "PATH",
        "LANG",
        "LANGUAGE",
        "TERM",
        "TZ",
        "PYENV_ROOT",
        "PYENV_VERSION",
        "JAVA_HOME",
        "GOROOT",
        "GOPATH",
        "GOFLAGS",
        "GOTOOLCHAIN",
        "CARGO_HOME",
        "RUSTUP_HOME",
        "RUSTUP_TOOLCHAIN",
        "NODE_PATH",
        "SOURCE_DATE_EPOCH",
    }
)
ENV_ALLOWED_PREFIXES = ("LC_",)

# Inside the sandbox: a private home, and interpreters that leave no caches in the workspace.
ENV_FIXED = {
    "HOME": "/tmp",  # noqa: S108 - the sandbox's private tmpfs
    "TMPDIR": "/tmp",  # noqa: S108
    "CI": "true",
    "PYTHONDONTWRITEBYTECODE": "1",
    "PYTHONPYCACHEPREFIX": "/tmp/pycache",  # noqa: S108
}

SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")

# What of /etc programs need to run: the loader, certificates, time zones, user names.
ETC_ALLOWED = (
    "alternatives",
    "ca-certificates",
    "ca-certificates.conf",
    "debian_version",
    "group",
    "host.conf",
    "hosts",
    "ld.so.cache",
    "ld.so.conf",
    "ld.so.conf.d",
    "locale.alias",
    "localtime",
    "magic",
    "mime.types",
    "nsswitch.conf",
    "os-release",
    "passwd",
    "protocols",
    "python3",
    "python3.11",
    "python3.12",
    "services",
    "shells",
    "ssl",
    "timezone",
)


class SandboxUnavailableError(Exception):
    """Untrusted code was to run, but the sandbox cannot start here and no one allowed less."""


@dataclass(frozen=True, slots=True)
class SandboxSpec:
    """One sandboxed process: the workspace, extra paths, and whether the network is on."""

    workspace: Path
    writable: tuple[Path, ...] = ()
    read_only: tuple[Path, ...] = ()
    network: bool = False
    workspace_read_only: bool = False
    extra_env: Mapping[str, str] = field(default_factory=dict)


@lru_cache(maxsize=1)
def sandbox_status() -> tuple[bool, str]:
    """Whether bubblewrap can create a sandbox here, and why not when it cannot."""
    binary = shutil.which("bwrap")
    if binary is None:
        return False, f"bubblewrap (bwrap) is not installed; {INSTALL_HINT}"
    probe_argv = [
        binary,
        *_system_args(),
        "--proc",
        "/proc",
        "--dev",
        "/dev",
        "--unshare-net",
        "--unshare-pid",
        "--die-with-parent",
        "--cap-drop",
        "ALL",
        "true",
    ]
    try:
        probe = subprocess.run(  # noqa: S603 - fixed arguments
            probe_argv, capture_output=True, text=True, timeout=20, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return False, f"bubblewrap could not start: {exc}"
    if probe.returncode != 0:
        detail = probe.stderr.strip()[:200]
        return False, f"bubblewrap cannot create namespaces here: {detail}"
    return True, ""


def require_sandbox(allow_unsandboxed: bool) -> bool:
    """True when the sandbox is usable; False only when the caller explicitly allowed that."""
    usable, why_not = sandbox_status()
    if usable:
        return True
    if allow_unsandboxed:
        return False
    raise SandboxUnavailableError(
        f"refusing to run the project's code without a sandbox: {why_not}. "
        "(An operator may allow it with --allow-unsandboxed or "
        "CLAUDE_TUI_ALLOW_UNSANDBOXED=true; that runs workspace code as the server's user.)"
    )


def sandbox_env(
    source: Mapping[str, str] | None = None, extra: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The environment of sandboxed code: allow-listed names of ``source``, then fixed values."""
    env = os.environ if source is None else source
    out = {
        name: value
        for name, value in env.items()
        if name in ENV_ALLOWED or name.startswith(ENV_ALLOWED_PREFIXES)
    }
    out.setdefault("PATH", "/usr/local/bin:/usr/bin:/bin")
    out.update(ENV_FIXED)
    if extra:
        out.update(extra)
    return out


def sandbox_argv(argv: list[str], spec: SandboxSpec) -> list[str]:
    """The bwrap command line that runs ``argv`` inside the allow-listed view of ``spec``."""
    out = [shutil.which("bwrap") or "bwrap", *_system_args()]
    out += ["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--tmpfs", "/var/tmp"]  # noqa: S108
    for path in _tool_paths(argv):
        out += ["--ro-bind", str(path), str(path)]
    for path in spec.read_only:
        out += ["--ro-bind", str(path), str(path)]
    bind = "--ro-bind" if spec.workspace_read_only else "--bind"
    out += [bind, str(spec.workspace), str(spec.workspace)]
    for path in spec.writable:
        out += ["--bind", str(path), str(path)]
    # The directories bwrap made to hold those mounts stay empty and read-only.
    out += ["--remount-ro", "/"]
    out += [
        "--unshare-pid",
        "--unshare-ipc",
        "--unshare-uts",
        "--unshare-cgroup-try",
        "--die-with-parent",
        "--new-session",
        "--cap-drop",
        "ALL",
        "--chdir",
        str(spec.workspace),
    ]
    if not spec.network:
        out.append("--unshare-net")
    else:
        # Name resolution needs the resolver configuration, wherever the host links it.
        resolver = Path("/etc/resolv.conf")
        if resolver.exists():
            at = out.index("--remount-ro")
            out[at:at] = ["--ro-bind", str(resolver.resolve()), str(resolver)]
    return [*out, "--", *argv]


def _system_args() -> list[str]:
    out: list[str] = []
    for name in SYSTEM_DIRS:
        path = Path(name)
        if path.is_symlink():
            out += ["--symlink", os.readlink(path), name]
        elif path.is_dir():
            out += ["--ro-bind", name, name]
    for name in ETC_ALLOWED:
        path = Path("/etc") / name
        if path.exists():
            out += ["--ro-bind", str(path), str(path)]
    return out


def _tool_paths(argv: list[str]) -> list[Path]:
    """The server's own interpreters and the directories of its PATH, read-only."""
    found: list[Path] = [Path(sys.prefix), Path(sys.base_prefix)]
    for entry in os.environ.get("PATH", "").split(os.pathsep):
        if not entry or not os.path.isabs(entry):
            continue
        path = Path(entry)
        # Version-manager shims (pyenv, rbenv) exec the manager from the directory above.
        found.append(path.parent if path.name == "shims" else path)
    first = shutil.which(argv[0]) if argv else None
    if first:
        found.append(_home_tool_root(Path(first).resolve()) or Path(first).resolve().parent)
    out: list[Path] = []
    for path in found:
        if not path.is_dir() or _is_system(path) or any(path.is_relative_to(p) for p in out):
            continue
        out = [p for p in out if not p.is_relative_to(path)] + [path]
    return out


def _is_system(path: Path) -> bool:
    return any(path.is_relative_to(name) for name in SYSTEM_DIRS)


def _home_tool_root(real: Path) -> Path | None:
    # A tool installed under a home directory (pyenv, nvm) needs its install tree.
    for hidden in (Path("/root"), Path("/home")):
        if real.is_relative_to(hidden):
            parts = real.relative_to(hidden).parts
            return hidden.joinpath(*parts[: min(len(parts) - 1, 3)])
    return None


def launcher_script(argv: list[str], spec: SandboxSpec, env: Mapping[str, str]) -> str:
    """A shell script that runs ``argv`` (plus its own arguments) inside the sandbox.

    For programs started by a library that only takes an executable path (the Claude Agent
    SDK): the script replaces the environment it is given with ``env`` and execs bubblewrap.
    """
    import shlex

    assignments = " ".join(shlex.quote(f"{name}={value}") for name, value in sorted(env.items()))
    command = " ".join(shlex.quote(arg) for arg in sandbox_argv(argv, spec))
    return f'#!/bin/sh\nexec env -i {assignments} {command} "$@"\n'
