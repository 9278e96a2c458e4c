"""Resize images. 3.0 renamed the `keep_ratio` keyword to `preserve_aspect`."""
from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

from PIL import Image


def resize(src: Path, dest: Path, width: int, height: int, *, preserve_aspect: bool = True, **legacy: Any) -> Path:
    if "keep_ratio" in legacy:
        warnings.warn("keep_ratio= is now preserve_aspect=", DeprecationWarning, stacklevel=2)
        preserve_aspect = bool(legacy.pop("keep_ratio"))
    if legacy:
        raise TypeError(f"resize() got unexpected keyword arguments: {', '.join(sorted(legacy))}")
    with Image.open(src) as im:
        if preserve_aspect:
            im.thumbnail((width, height), Image.Resampling.LANCZOS)
            out = im
        else:
            out = im.resize((width, height), Image.Resampling.LANCZOS)
        out.save(dest)
    return dest
