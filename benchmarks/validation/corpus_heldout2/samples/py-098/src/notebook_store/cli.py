from __future__ import annotations

import sys
from pathlib import Path

from .persistence import load_notebook, save_notebook


def clear_outputs(path: Path) -> int:
    nb = load_notebook(path)
    cleared = 0
    for cell in nb.get("cells", []):  # type: ignore[union-attr]
        if cell.get("outputs"):
            cell["outputs"] = []
            cleared += 1
    save_notebook(path, nb)
    return cleared


if __name__ == "__main__":
    print(sum(clear_outputs(Path(p)) for p in sys.argv[1:]))
