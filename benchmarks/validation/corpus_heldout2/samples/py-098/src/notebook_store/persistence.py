"""Persistence of notebooks on disk (moved here from notebook_store.storage in 2.0)."""
from __future__ import annotations

import json
from pathlib import Path

__all__ = ["load_notebook", "save_notebook"]


def load_notebook(path: Path) -> dict[str, object]:
    return json.loads(path.read_text(encoding="utf-8"))


def save_notebook(path: Path, nb: dict[str, object]) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(path)
