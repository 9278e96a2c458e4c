from __future__ import annotations

from ..registry import Registry


class PrometheusText:
    content_type = "text/plain; version=0.0.4"

    def render(self, registry: Registry) -> str:
        lines: list[str] = []
        for metric in registry:
            if metric.help:
                lines.append(f"# HELP {metric.name} {metric.help}")
            lines.append(f"# TYPE {metric.name} {metric.kind}")
            lines.extend(f"{name} {value}" for name, value in metric.samples())
        return "\n".join(lines) + "\n"
