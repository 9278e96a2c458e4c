"""Stock keeping; exporters are imported on first use to keep start-up fast."""

import importlib
from types import ModuleType

__all__ = ["exporters", "inventory"]


def __getattr__(name: str) -> ModuleType:
    if name in __all__:
        module = importlib.import_module(f".{name}", __name__)
        globals()[name] = module
        return module
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

