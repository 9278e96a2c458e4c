"""Build the standalone ``claude-tui`` executable for this platform with PyInstaller.

The file is named ``claude-tui-<version>-<os>-<arch>[.exe]`` so the release can attach one per
platform. ``--smoke-test`` runs the result and checks it reports the package's version.
Used by ``make executable`` and by the release workflow (GNU make is not on every runner).
"""

from __future__ import annotations

import argparse
import platform
import shutil
import subprocess
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path

HERE = Path(__file__).resolve().parent
SPEC = HERE / "claude-tui.spec"

_OS_NAMES = {"linux": "linux", "darwin": "macos", "win32": "windows"}
_ARCH_NAMES = {"x86_64": "x86_64", "amd64": "x86_64", "arm64": "arm64", "aarch64": "arm64"}


class BuildError(Exception):
    """The executable could not be built, or the built one does not work."""


def artifact_name(package_version: str) -> str:
    """Release file name of the executable for the running platform."""
    os_name = _OS_NAMES.get(sys.platform, sys.platform)
    machine = platform.machine().lower()
    arch = _ARCH_NAMES.get(machine, machine)
    suffix = ".exe" if sys.platform == "win32" else ""
    return f"claude-tui-{package_version}-{os_name}-{arch}{suffix}"


def build(dist: Path, work: Path) -> Path:
    """Run PyInstaller on the spec and return the renamed executable in ``dist``."""
    dist.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="pyinstaller-dist-") as staging:
        command = [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--log-level=WARN",
            "--distpath",
            staging,
            "--workpath",
            str(work),
            str(SPEC),
        ]
        # The command is fixed: this interpreter, PyInstaller and the spec beside this file.
        result = subprocess.run(command, cwd=HERE, check=False)  # noqa: S603
        if result.returncode != 0:
            raise BuildError(f"PyInstaller failed with exit code {result.returncode}")
        built = Path(staging) / ("claude-tui.exe" if sys.platform == "win32" else "claude-tui")
        if not built.is_file():
            raise BuildError(f"PyInstaller reported success but {built.name} is missing")
        target = dist / artifact_name(version("claude-tui"))
        shutil.move(built, target)
    return target


def smoke_test(executable: Path) -> None:
    """The executable starts and reports the version of the package it was built from."""
    expected = version("claude-tui")
    result = subprocess.run(  # noqa: S603 - the executable this script just built
        [str(executable), "version"], capture_output=True, text=True, timeout=120, check=False
    )
    reported = result.stdout.strip()
    if result.returncode != 0 or reported != expected:
        raise BuildError(
            f"{executable.name} version: exit {result.returncode}, printed {reported!r}, "
            f"expected {expected!r}: {result.stderr.strip()[-500:]}"
        )


def main(argv: list[str] | None = None) -> int:
    """Command line: build, optionally smoke-test, print the path of the executable."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=Path("dist"), help="output directory")
    parser.add_argument(
        "--work", type=Path, default=Path("build/pyinstaller"), help="PyInstaller work directory"
    )
    parser.add_argument("--smoke-test", action="store_true", help="run the executable after")
    args = parser.parse_args(argv)
    try:
        executable = build(args.dist.resolve(), args.work.resolve())
        if args.smoke_test:
            smoke_test(executable)
    except (BuildError, subprocess.TimeoutExpired) as exc:
        print(f"build_executable: {exc}", file=sys.stderr)
        return 1
    print(executable)
    return 0


if __name__ == "__main__":
    sys.exit(main())
