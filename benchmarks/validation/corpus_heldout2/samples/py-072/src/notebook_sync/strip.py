"""Strip outputs and volatile metadata so notebooks diff cleanly."""
from __future__ import annotations

from pathlib import Path

import nbformat

VOLATILE_METADATA = ("execution", "collapsed", "scrolled", "ExecuteTime")


def strip_notebook(nb: nbformat.NotebookNode, keep_outputs: bool = False) -> nbformat.NotebookNode:
    for cell in nb.cells:
        for key in VOLATILE_METADATA:
            cell.metadata.pop(key, None)
        if cell.cell_type == "code":
            cell.execution_count = None
            if not keep_outputs:
                cell.outputs = []
    nb.metadata.pop("widgets", None)
    return nb


def strip_file(path: Path, keep_outputs: bool = False) -> bool:
    nb = nbformat.read(path, as_version=4)
    before = nbformat.writes(nb)
    after = nbformat.writes(strip_notebook(nb, keep_outputs))
    if before == after:
        return False
    path.write_text(after, encoding="utf-8")
    return True
