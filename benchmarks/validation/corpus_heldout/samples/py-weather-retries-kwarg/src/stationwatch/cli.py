import argparse
import os
import sys

from stationwatch.client import ApiError, StationClient, warmest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="stationwatch")
    parser.add_argument("stations", nargs="*")
    parser.add_argument("--url", default=os.environ.get("STATIONS_URL", "http://127.0.0.1:8000"))
    args = parser.parse_args(argv)
    client = StationClient(args.url, os.environ.get("STATIONS_TOKEN", ""), retries=5)
    try:
        names = args.stations or client.stations()
        readings = [client.latest(name) for name in names]
    except ApiError as exc:
        print(f"stationwatch: {exc}", file=sys.stderr)
        return 1
    for reading in readings:
        print(f"{reading.station:<24} {reading.temperature_c:6.1f} C")
    top = warmest(readings)
    if top is not None:
        print(f"warmest: {top.station}")
    return 0

