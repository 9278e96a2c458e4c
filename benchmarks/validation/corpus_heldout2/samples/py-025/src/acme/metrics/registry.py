from __future__ import annotations

import bisect
import threading
from collections.abc import Iterator, Sequence


class Metric:
    kind = "untyped"

    def __init__(self, name: str, help: str = "") -> None:
        self.name = name
        self.help = help
        self._lock = threading.Lock()

    def samples(self) -> Iterator[tuple[str, float]]:
        raise TypeError(f"{type(self).__name__} does not define samples()")


class Counter(Metric):
    kind = "counter"

    def __init__(self, name: str, help: str = "") -> None:
        super().__init__(name, help)
        self._value = 0.0

    def inc(self, amount: float = 1.0) -> None:
        if amount < 0:
            raise ValueError("counters only go up")
        with self._lock:
            self._value += amount

    def samples(self) -> Iterator[tuple[str, float]]:
        yield self.name + "_total", self._value


class Gauge(Metric):
    kind = "gauge"

    def __init__(self, name: str, help: str = "") -> None:
        super().__init__(name, help)
        self._value = 0.0

    def set(self, value: float) -> None:
        with self._lock:
            self._value = value

    def samples(self) -> Iterator[tuple[str, float]]:
        yield self.name, self._value


class Histogram(Metric):
    kind = "histogram"

    def __init__(self, name: str, buckets: Sequence[float], help: str = "") -> None:
        super().__init__(name, help)
        self._bounds = sorted(buckets)
        self._counts = [0] * (len(self._bounds) + 1)
        self._sum = 0.0

    def observe(self, value: float) -> None:
        with self._lock:
            self._counts[bisect.bisect_left(self._bounds, value)] += 1
            self._sum += value

    def samples(self) -> Iterator[tuple[str, float]]:
        running = 0
        for bound, count in zip(self._bounds, self._counts):
            running += count
            yield f'{self.name}_bucket{{le="{bound}"}}', float(running)
        yield f'{self.name}_bucket{{le="+Inf"}}', float(sum(self._counts))
        yield f"{self.name}_sum", self._sum
        yield f"{self.name}_count", float(sum(self._counts))


class Registry:
    def __init__(self) -> None:
        self._metrics: dict[str, Metric] = {}

    def register(self, metric: Metric) -> Metric:
        if metric.name in self._metrics:
            raise ValueError(f"duplicate metric {metric.name}")
        self._metrics[metric.name] = metric
        return metric

    def __iter__(self) -> Iterator[Metric]:
        return iter(self._metrics.values())
