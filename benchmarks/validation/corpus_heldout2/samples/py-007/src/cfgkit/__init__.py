from .loader import load, loads

__all__ = ["load", "loads"]
