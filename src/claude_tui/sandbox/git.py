"""Every git call the platform makes, immune to the repository it runs in.

A workspace's ``.git`` is written by code the platform does not trust, and git executes
commands named in its configuration (``core.fsmonitor``, hooks, filters, diff drivers, pagers,
editors, transports). Every call goes through :class:`Git`, which:

- ignores the system and global configuration and overrides each command-running key of the
  repository's own configuration, including the named filter, diff and merge drivers it lists;
- passes ``--no-ext-diff --no-textconv`` where git would run diff drivers, allows no transport
  but local files, and runs no hooks, pager, editor or credential helper;
- refuses a ``.git`` that is a symbolic link or points elsewhere for a repository it writes;
- runs inside the bubblewrap sandbox (only the repository visible, no network, no secrets)
  whenever the sandbox is usable, so even a key unknown today executes nothing on the server.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from claude_tui.sandbox.bwrap import SandboxSpec, sandbox_argv, sandbox_env, sandbox_status

# Keys that name a program, set to a value that runs nothing (or fails closed).
NEUTRAL_CONFIG = (
    ("core.fsmonitor", "false"),
    ("core.hooksPath", "/dev/null"),
    ("core.sshCommand", "false"),
    ("core.gitProxy", ""),
    ("core.askPass", ""),
    ("core.pager", "cat"),
    ("core.editor", "false"),
    ("sequence.editor", "false"),
    ("credential.helper", ""),
    ("diff.external", ""),
    ("gpg.program", "false"),
    ("commit.gpgSign", "false"),
    ("tag.gpgSign", "false"),
    ("protocol.allow", "never"),
    ("submodule.recurse", "false"),
    ("gc.auto", "0"),
    ("maintenance.auto", "false"),
    ("color.ui", "false"),
    ("core.quotePath", "true"),
    ("diff.noprefix", "false"),
    ("diff.mnemonicPrefix", "false"),
)
# Named drivers: ``<section>.<name>.<key>`` entries of the repository's configuration.
DRIVER_KEYS = {
    "filter": {"clean": "", "smudge": "", "process": "", "required": "false"},
    "diff": {"command": "", "textconv": "", "cachetextconv": "false"},
    "merge": {"driver": "false"},
}
# Subcommands that would run a diff driver or text conversion without these flags.
DIFF_COMMANDS = frozenset({"diff", "log", "show"})
NO_DRIVER_FLAGS = ("--no-ext-diff", "--no-textconv")

AUTHOR = ("user.name=Claude TUI agent", "user.email=agent@claude-tui.invalid")


class GitError(Exception):
    """A git operation failed or was refused; the message says why."""


@dataclass(frozen=True, slots=True)
class GitResult:
    returncode: int
    stdout: str
    stderr: str


def git_environment() -> dict[str, str]:
    """The environment of every git call: sandbox allow-list, no user or system config."""
    env = sandbox_env()
    env.update(
        {
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_TERMINAL_PROMPT": "0",
            "GIT_ASKPASS": "false",
            "SSH_ASKPASS": "false",
            "GIT_PAGER": "cat",
            "GIT_EDITOR": "false",
            "GIT_OPTIONAL_LOCKS": "0",
            "GIT_NO_REPLACE_OBJECTS": "1",
            "GIT_PROTOCOL_FROM_USER": "0",
            "LC_ALL": "C",
        }
    )
    return env


def find_worktree(start: Path) -> Path | None:
    """The top of the git work tree holding ``start`` (a ``.git`` entry), or None."""
    path = start.resolve()
    if path.is_file():
        path = path.parent
    for candidate in (path, *path.parents):
        if os.path.lexists(candidate / ".git"):
            return candidate
    return None


class Git:
    """git in one work tree, with the repository's configuration unable to run anything."""

    def __init__(self, worktree: Path, *, writable: bool = False, timeout: float = 120.0) -> None:
        self.worktree = worktree.resolve()
        self.writable = writable
        self.timeout = timeout

    @property
    def git_dir(self) -> Path:
        return self.worktree / ".git"

    def exists(self) -> bool:
        """Whether the work tree has a repository of its own (a real ``.git`` directory)."""
        marker = self.git_dir
        if marker.is_symlink():
            raise GitError(f"{marker} is a symbolic link; the platform does not follow it")
        if marker.is_file() and self.writable:
            raise GitError(f"{marker} points to a repository elsewhere; the platform refuses it")
        return marker.exists()

    def run(self, *args: str, check: bool = True, author: bool = False) -> GitResult:
        """Run ``git ARGS`` in the work tree; ``check`` raises :class:`GitError` on failure."""
        if not args:
            raise GitError("no git command given")
        extra: list[str] = []
        if author:
            for value in AUTHOR:
                extra += ["-c", value]
        command, rest = args[0], list(args[1:])
        if command in DIFF_COMMANDS:
            rest = [*NO_DRIVER_FLAGS, *rest]
        argv = [
            self._binary(),
            *self._config_args(),
            *extra,
            f"--git-dir={self.git_dir}",
            f"--work-tree={self.worktree}",
            command,
            *rest,
        ]
        proc = self._execute(argv)
        if check and proc.returncode != 0:
            detail = (proc.stderr or proc.stdout).strip().splitlines()
            reason = detail[-1] if detail else f"exit {proc.returncode}"
            raise GitError(f"git {command} failed: {reason}")
        return proc

    def output(self, *args: str, check: bool = True, author: bool = False) -> str:
        return self.run(*args, check=check, author=author).stdout

    def _binary(self) -> str:
        found = shutil.which("git")
        if found is None:
            raise GitError("git is not installed (Debian/Ubuntu: apt-get install git)")
        return found

    def _config_args(self) -> list[str]:
        out: list[str] = []
        for key, value in NEUTRAL_CONFIG:
            out += ["-c", f"{key}={value}"]
        for section, name in self._named_drivers():
            for key, value in DRIVER_KEYS[section].items():
                out += ["-c", f"{section}.{name}.{key}={value}"]
        return out

    def _named_drivers(self) -> list[tuple[str, str]]:
        """The (section, name) pairs of filter, diff and merge drivers the config defines."""
        if not self.git_dir.exists():
            return []
        argv = [
            self._binary(),
            f"--git-dir={self.git_dir}",
            "config",
            "--includes",
            "--null",
            "--name-only",
            "--list",
        ]
        # Listing names runs nothing (configuration is only parsed), so it needs no sandbox.
        listing = self._execute(argv, sandboxed=False)
        found: set[tuple[str, str]] = set()
        for entry in listing.stdout.split("\0"):
            section, dot, rest = entry.partition(".")
            name, dot2, _key = rest.rpartition(".")
            section = section.lower()
            if dot and dot2 and section in DRIVER_KEYS and name:
                found.add((section, name))
        return sorted(found)

    def _execute(self, argv: list[str], sandboxed: bool = True) -> GitResult:
        env = git_environment()
        usable, _ = sandbox_status()
        if usable and sandboxed:
            argv = sandbox_argv(argv, self._spec())
        try:
            proc = subprocess.run(  # noqa: S603 - git with arguments built here
                argv,
                cwd=self.worktree,
                env=env,
                capture_output=True,
                text=True,
                errors="replace",
                timeout=self.timeout,
                stdin=subprocess.DEVNULL,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise GitError(f"git did not finish within {self.timeout:.0f}s") from exc
        except OSError as exc:
            raise GitError(f"git could not run: {exc}") from exc
        return GitResult(proc.returncode, proc.stdout, proc.stderr)

    def _spec(self) -> SandboxSpec:
        extra: list[Path] = []
        marker = self.git_dir
        if marker.is_file() and not self.writable:
            # A linked work tree (``git worktree``): its git directory and the common one.
            target = _gitfile_target(marker)
            if target is not None:
                extra.append(target)
                common = target / "commondir"
                if common.is_file():
                    extra.append((target / common.read_text().strip()).resolve())
        return SandboxSpec(
            workspace=self.worktree,
            read_only=tuple(p for p in extra if p.is_dir()),
            workspace_read_only=not self.writable,
        )


def _gitfile_target(marker: Path) -> Path | None:
    try:
        text = marker.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return None
    if not text.startswith("gitdir:"):
        return None
    target = Path(text.removeprefix("gitdir:").strip())
    if not target.is_absolute():
        target = marker.parent / target
    return target.resolve()
