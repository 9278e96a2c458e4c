"""Release analysis: success rate and p99 latency of a colour from two scrapes of its /metrics.

The app exports ``claude_tui_http_requests_total{method,route,status_class}`` and the
histogram ``claude_tui_http_request_duration_seconds{method,route}``. Two scrapes over a
window give the requests handled in the window (the counter deltas); the success rate is the
share that did not answer 5xx, and p99 is read from the delta of the histogram buckets with
the linear interpolation Prometheus's ``histogram_quantile`` uses.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from prometheus_client.parser import text_string_to_metric_families

REQUESTS = "claude_tui_http_requests"
DURATION = "claude_tui_http_request_duration_seconds"
# The scrapes themselves are not the traffic under analysis.
IGNORED_ROUTES = frozenset({"/metrics"})


class MetricsError(Exception):
    """The exposition could not be read, or the two scrapes do not belong together."""


@dataclass(frozen=True)
class Snapshot:
    """Counters of one scrape: requests by (route, status class), cumulative latency buckets."""

    requests: dict[tuple[str, str], float] = field(default_factory=dict)
    buckets: dict[float, float] = field(default_factory=dict)


PASSED = "passed"
FAILED = "failed"
# Not enough evidence either way: the analysis extends its window (a bounded number of times).
INCONCLUSIVE = "inconclusive"


@dataclass(frozen=True)
class Baseline:
    """The colour a new release is compared with, measured over the same window."""

    colour: str
    requests: int
    p99_ms: float | None


@dataclass(frozen=True)
class Verdict:
    requests: int
    errors: int
    success_rate: float | None  # None: no requests in the window
    p99_ms: float | None
    problems: list[str]  # why it failed or is inconclusive; empty when it passed
    status: str = PASSED
    baseline: Baseline | None = None
    seconds: float | None = None  # the window it was measured over, extensions included
    extensions: int = 0  # how often the window was extended for want of a sample

    @property
    def ok(self) -> bool:
        return self.status == PASSED

    @property
    def inconclusive(self) -> bool:
        return self.status == INCONCLUSIVE

    def summary(self) -> str:
        rate = "-" if self.success_rate is None else f"{self.success_rate * 100:.2f}%"
        p99 = "-" if self.p99_ms is None else f"{self.p99_ms:.0f} ms"
        text = f"{self.requests} requests, {self.errors} errors, success {rate}, p99 {p99}"
        if self.baseline is not None:
            old = "-" if self.baseline.p99_ms is None else f"{self.baseline.p99_ms:.0f} ms"
            text += f"; {self.baseline.colour}: {self.baseline.requests} requests, p99 {old}"
        if self.seconds is not None:
            text += f" over {self.seconds:.0f}s"
        return text

    def with_window(self, seconds: float, extensions: int = 0) -> Verdict:
        return replace(self, seconds=round(seconds, 1), extensions=extensions)


def parse(text: str) -> Snapshot:
    """The request counters and latency buckets of a text exposition, summed over methods and
    (for the buckets) routes; the routes of :data:`IGNORED_ROUTES` are left out."""
    requests: dict[tuple[str, str], float] = {}
    buckets: dict[float, float] = {}
    try:
        families = list(text_string_to_metric_families(text))
    except (ValueError, TypeError) as exc:
        raise MetricsError(f"unreadable metrics exposition: {exc}") from exc
    for family in families:
        for sample in family.samples:
            route = sample.labels.get("route", "")
            if route in IGNORED_ROUTES:
                continue
            if sample.name == f"{REQUESTS}_total":
                key = (route, sample.labels.get("status_class", ""))
                requests[key] = requests.get(key, 0.0) + sample.value
            elif sample.name == f"{DURATION}_bucket":
                le = float(sample.labels["le"])
                buckets[le] = buckets.get(le, 0.0) + sample.value
    if not requests and not buckets:
        raise MetricsError(f"the exposition has no {REQUESTS}_total series")
    return Snapshot(requests, buckets)


def histogram_quantile(q: float, cumulative: dict[float, float]) -> float | None:
    """The ``q`` quantile of cumulative bucket counts ``{le: count}``, as Prometheus computes
    it: linear interpolation inside the bucket that holds the rank; the highest finite bound
    when the rank falls in the +Inf bucket; None without observations."""
    if not 0 <= q <= 1:
        raise ValueError("quantile must be between 0 and 1")
    bounds = sorted(cumulative)
    if not bounds or not math.isinf(bounds[-1]):
        raise MetricsError("histogram without a +Inf bucket")
    total = cumulative[bounds[-1]]
    if total <= 0:
        return None
    rank = q * total
    lower_bound, lower_count = 0.0, 0.0
    for bound in bounds:
        count = cumulative[bound]
        if count >= rank:
            if math.isinf(bound):
                finite = [b for b in bounds if not math.isinf(b)]
                return finite[-1] if finite else None
            if count == lower_count:
                return bound
            return lower_bound + (bound - lower_bound) * (rank - lower_count) / (
                count - lower_count
            )
        lower_bound, lower_count = bound, count
    return bounds[-2] if len(bounds) > 1 else None


def delta(before: Snapshot, after: Snapshot) -> Snapshot:
    """What happened between two scrapes; a counter that went down means a restart."""
    requests: dict[tuple[str, str], float] = {}
    for key, value in after.requests.items():
        change = value - before.requests.get(key, 0.0)
        if change < 0:
            raise MetricsError(f"counter of {key[0]} {key[1]} went down: the colour restarted")
        if change:
            requests[key] = change
    buckets: dict[float, float] = {}
    for le, value in after.buckets.items():
        change = value - before.buckets.get(le, 0.0)
        if change < 0:
            raise MetricsError("latency histogram went down: the colour restarted")
        buckets[le] = change
    return Snapshot(requests, buckets)


def requests_and_p99(window: Snapshot) -> tuple[float, float, float | None]:
    """Requests, 5xx answers and p99 (seconds) of a window (see :func:`delta`)."""
    total = sum(window.requests.values())
    errors = sum(v for (_, status), v in window.requests.items() if status == "5xx")
    p99 = histogram_quantile(0.99, window.buckets) if window.buckets else None
    return total, errors, p99


def judge(
    window: Snapshot,
    *,
    min_success_rate: float,
    max_p99_ms: float,
    min_requests: int,
    min_latency_samples: int = 0,
    max_p99_ratio: float | None = None,
    baseline: Baseline | None = None,
) -> Verdict:
    """Compare the traffic of a window (see :func:`delta`) with the thresholds."""
    total, errors, p99 = requests_and_p99(window)
    return judge_counts(
        total,
        errors,
        p99,
        min_success_rate=min_success_rate,
        max_p99_ms=max_p99_ms,
        min_requests=min_requests,
        min_latency_samples=min_latency_samples,
        max_p99_ratio=max_p99_ratio,
        baseline=baseline,
    )


def judge_counts(
    total: float,
    errors: float,
    p99: float | None,
    *,
    min_success_rate: float,
    max_p99_ms: float,
    min_requests: int,
    min_latency_samples: int = 0,
    max_p99_ratio: float | None = None,
    baseline: Baseline | None = None,
) -> Verdict:
    """The verdict on ``total`` requests, ``errors`` of them 5xx, and p99 in seconds.

    Errors fail the release at any sample size: a 5xx is never noise. Latency is judged only
    over ``min_latency_samples`` requests, and only above ``max_p99_ms`` (the floor). With a
    ``baseline`` (the old colour over the same window, so the same host load), a p99 above the
    floor fails only when it is also more than ``max_p99_ratio`` times the baseline's; without
    one, above the floor fails. Too few requests to judge is inconclusive, not failed.
    """
    success = None if total == 0 else (total - errors) / total
    p99_ms = None if p99 is None else p99 * 1000
    failed: list[str] = []
    pending: list[str] = []
    if total < min_requests:
        pending.append(f"only {total:.0f} requests in the window (at least {min_requests})")
    if success is not None and success < min_success_rate:
        failed.append(
            f"success rate {success * 100:.2f}% below {min_success_rate * 100:.2f}% "
            f"({errors:.0f} of {total:.0f} requests answered 5xx)"
        )
    if p99_ms is not None and p99_ms > max_p99_ms:
        slow = f"p99 latency {p99_ms:.0f} ms above {max_p99_ms:.0f} ms"
        if total < min_latency_samples:
            pending.append(
                f"{slow} over only {total:.0f} requests "
                f"(at least {min_latency_samples} to judge latency)"
            )
        elif baseline is None or max_p99_ratio is None:
            failed.append(slow)
        elif baseline.p99_ms is None or baseline.requests < min_latency_samples:
            pending.append(
                f"{slow}, and {baseline.colour} answered only {baseline.requests} requests "
                f"to compare with (at least {min_latency_samples})"
            )
        elif p99_ms > baseline.p99_ms * max_p99_ratio:
            failed.append(
                f"{slow} and {p99_ms / max(baseline.p99_ms, 1e-9):.1f}x the "
                f"{baseline.p99_ms:.0f} ms of {baseline.colour} over the same window "
                f"(at most {max_p99_ratio:g}x)"
            )
    status = FAILED if failed else INCONCLUSIVE if pending else PASSED
    return Verdict(int(total), int(errors), success, p99_ms, failed or pending, status, baseline)


# --- the same measures from Prometheus ------------------------------------------------------


def prometheus_queries(selector: str, window: float) -> dict[str, str]:
    """PromQL for the requests, 5xx and p99 of the series ``selector`` picks over ``window``."""
    labels = ",".join(part for part in (selector.strip(), 'route!="/metrics"') if part)
    span = f"{max(round(window), 1)}s"
    return {
        "total": f"sum(increase({REQUESTS}_total{{{labels}}}[{span}]))",
        "errors": f'sum(increase({REQUESTS}_total{{{labels},status_class="5xx"}}[{span}]))',
        "p99": (
            f"histogram_quantile(0.99, sum by (le) "
            f"(increase({DURATION}_bucket{{{labels}}}[{span}])))"
        ),
    }


def prometheus_value(answer: dict[str, object], what: str) -> float | None:
    """The single value of an instant-query answer; None when the vector is empty or NaN."""
    if answer.get("status") != "success":
        raise MetricsError(f"Prometheus refused the {what} query: {answer.get('error', answer)}")
    data = answer.get("data")
    result = data.get("result") if isinstance(data, dict) else None
    if not isinstance(result, list) or not result:
        return None
    try:
        value = float(result[0]["value"][1])
    except (KeyError, IndexError, TypeError, ValueError) as exc:
        raise MetricsError(f"unexpected Prometheus answer to the {what} query") from exc
    return None if math.isnan(value) else value
