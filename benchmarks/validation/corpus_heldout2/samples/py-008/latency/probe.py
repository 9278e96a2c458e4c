"""Measure HTTP latency of a list of endpoints and summarise it."""
from __future__ import annotations

import argparse
import asyncio
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("urls", nargs="+")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--concurrency", type=int, default=4)
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
    if failures:
        print(f"{len(failures)} requests failed", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
