"""``tool init``: write a starter configuration file into a new project."""

from __future__ import annotations

from pathlib import Path

import tomli_w


def sample_config(name: str) -> dict[str, object]:
    """The configuration a new project starts from; users edit it afterwards."""
    return {
        "project": {"name": name, "version": "0.1.0"},
        "build": {"targets": ["wheel", "sdist"], "reproducible": True},
        "lint": {"line-length": 100},
    }


def init(directory: Path, name: str | None = None, force: bool = False) -> Path:
    target = directory / "tool.toml"
    if target.exists() and not force:
        raise FileExistsError(f"{target} exists; pass --force to overwrite")
    target.write_bytes(tomli_w.dumps(sample_config(name or directory.name)).encode())
    return target
