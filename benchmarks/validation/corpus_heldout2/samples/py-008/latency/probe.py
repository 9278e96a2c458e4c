"""Measure HTTP latency of a list of endpoints and summarise it."""
from __future__ import annotations

import argparse
import asyncio
import csv
import json
import statistics
import sys
import time
from dataclasses import dataclass

import aiohttp


@dataclass
class Sample:
    url: str
    status: int
    seconds: float


async def probe_once(session: aiohttp.ClientSession, url: str) -> Sample:
    start = time.perf_counter()
    async with session.get(url) as response:
        await response.read()
        return Sample(url, response.status, time.perf_counter() - start)


async def probe(urls: list[str], rounds: int, concurrency: int) -> list[Sample]:
    sem = asyncio.Semaphore(concurrency)
    timeout = aiohttp.ClientTimeout(total=30)

    async with aiohttp.ClientSession(timeout=timeout) as session:

        async def guarded(url: str) -> Sample:
            async with sem:
                return await probe_once(session, url)

        tasks = [guarded(u) for _ in range(rounds) for u in urls]
        return await asyncio.gather(*tasks)


def summarise(samples: list[Sample]) -> dict[str, dict[str, float]]:
    by_url: dict[str, list[float]] = {}
    for s in samples:
        by_url.setdefault(s.url, []).append(s.seconds * 1000)
    report = {}
    for url, values in by_url.items():
        report[url] = {
            "n": float(len(values)),
            "mean_ms": statistics.fmean(values),
            "median_ms": statistics.median(values),
            "p95_ms": statistics.percentile(values, 95),
            "stdev_ms": statistics.stdev(values) if len(values) > 1 else 0.0,
        }
    return report


def write_csv(samples: list[Sample], path: str) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["url", "status", "ms"])
        for s in samples:
            writer.writerow([s.url, s.status, f"{s.seconds * 1000:.2f}"])


def load_budgets(path: str) -> dict[str, float]:
    """Per-URL latency budgets in ms, from a JSON object {url: ms}."""
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a JSON object of url -> milliseconds")
    return {str(k): float(v) for k, v in data.items()}


def over_budget(report: dict[str, dict[str, float]], budgets: dict[str, float], key: str = "p95_ms") -> list[str]:
    problems = []
    for url, budget in budgets.items():
        row = report.get(url)
        if row is None:
            problems.append(f"{url}: not probed")
        elif row[key] > budget:
            problems.append(f"{url}: {key} {row[key]:.1f} > budget {budget:.1f}")
    return problems


def histogram(values: list[float], buckets: int = 10, width: int = 40) -> list[str]:
    if not values:
        return []
    lo, hi = min(values), max(values)
    step = (hi - lo) / buckets or 1.0
    counts = [0] * buckets
    for v in values:
        counts[min(int((v - lo) / step), buckets - 1)] += 1
    peak = max(counts)
    return [
        f"{lo + i * step:8.1f} ms | {'#' * (c * width // peak):<{width}} {c}"
        for i, c in enumerate(counts)
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("urls", nargs="+")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--csv", help="also write every sample to this CSV file")
    parser.add_argument("--budgets", help="JSON file of per-URL p95 budgets in ms")
    parser.add_argument("--histogram", action="store_true")
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error("--rounds must be positive")
    samples = asyncio.run(probe(args.urls, args.rounds, args.concurrency))
    failures = [s for s in samples if s.status >= 400]
    for url, row in summarise(samples).items():
        print(
            f"{url}: n={row['n']:.0f} mean={row['mean_ms']:.1f}ms "
            f"median={row['median_ms']:.1f}ms p95={row['p95_ms']:.1f}ms"
        )
    if args.histogram:
        for line in histogram([s.seconds * 1000 for s in samples]):
            print(line)
    if args.csv:
        write_csv(samples, args.csv)
    status = 0
    if failures:
        print(f"{len(failures)} requests failed", file=sys.stderr)
        status = 1
    if args.budgets:
        try:
            budgets = load_budgets(args.budgets)
        except (OSError, ValueError) as exc:
            print(f"probe: cannot read budgets: {exc}", file=sys.stderr)
            return 2
        for problem in over_budget(summarise(samples), budgets):
            print(problem, file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
