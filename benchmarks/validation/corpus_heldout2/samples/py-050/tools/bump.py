#!/usr/bin/env python3
"""Bump the version in pyproject.toml and prepend a CHANGELOG section."""
from __future__ import annotations

import argparse
import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

from packaging.version import InvalidVersion, Version

VERSION_LINE = re.compile(r'^(version\s*=\s*")([^"]+)(")', re.MULTILINE)


def current_version(pyproject: Path) -> Version:
    match = VERSION_LINE.search(pyproject.read_text())
    if match is None:
        raise SystemExit(f"{pyproject}: no version line found")
    return Version(match.group(2))


def next_version(v: Version, part: str) -> Version:
    major, minor, micro = (list(v.release) + [0, 0])[:3]
    if part == "major":
        return Version(f"{major + 1}.0.0")
    if part == "minor":
        return Version(f"{major}.{minor + 1}.0")
    return Version(f"{major}.{minor}.{micro + 1}")


def git_log_since(tag: str) -> list[str]:
    try:
        out = subprocess.run(
            ["git", "log", "--pretty=format:%s", f"{tag}..HEAD"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    except subprocess.CalledProcessError, exc:
        print(f"git log failed: {exc.stderr.strip()}", file=sys.stderr)
        return []
    return [line for line in out.splitlines() if line and not line.startswith("Merge ")]


def write(pyproject: Path, changelog: Path, new: Version, entries: list[str]) -> None:
    text = pyproject.read_text()
    pyproject.write_text(VERSION_LINE.sub(rf"\g<1>{new}\g<3>", text, count=1))
    today = dt.date.today().isoformat()
    section = f"## {new} ({today})\n\n" + "".join(f"- {e}\n" for e in entries) + "\n"
    old = changelog.read_text() if changelog.exists() else "# Changelog\n\n"
    head, _, rest = old.partition("\n\n")
    changelog.write_text(f"{head}\n\n{section}{rest}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("part", choices=["major", "minor", "patch"])
    parser.add_argument("--root", type=Path, default=Path("."))
    parser.add_argument("--version", dest="explicit")
    args = parser.parse_args(argv)
    pyproject = args.root / "pyproject.toml"
    old = current_version(pyproject)
    try:
        new = Version(args.explicit) if args.explicit else next_version(old, args.part)
    except InvalidVersion as exc:
        print(f"bump: {exc}", file=sys.stderr)
        return 2
    if new <= old:
        print(f"bump: {new} is not newer than {old}", file=sys.stderr)
        return 2
    write(pyproject, args.root / "CHANGELOG.md", new, git_log_since(f"v{old}"))
    print(f"{old} -> {new}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
