"""Compatibility module: notebook_store.storage moved to notebook_store.persistence."""
import warnings

from .persistence import *  # noqa: F401,F403
from .persistence import __all__  # noqa: F401

warnings.warn(
    "notebook_store.storage is deprecated; import from notebook_store.persistence",
    DeprecationWarning,
    stacklevel=2,
)
