from .jsonl import JsonLines
from .prometheus import PrometheusText

__all__ = ["JsonLines", "PrometheusText"]
