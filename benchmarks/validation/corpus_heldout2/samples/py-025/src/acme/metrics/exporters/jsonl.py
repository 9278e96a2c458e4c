from __future__ import annotations

import json
import time

from acme.metrics.registry import Registry


class JsonLines:
    content_type = "application/x-ndjson"

    def render(self, registry: Registry) -> str:
        now = time.time()
        return "".join(
            json.dumps({"ts": now, "metric": name, "value": value}) + "\n"
            for metric in registry
            for name, value in metric.samples()
        )
