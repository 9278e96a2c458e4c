import os

from stationwatch.client import StationClient


def make_client(url: str) -> StationClient:
    return StationClient(url, os.environ.get("STATIONS_TOKEN", ""), max_attempts=5)


def make_legacy_client(url: str) -> StationClient:
    return StationClient.legacy(url, "", retries=2)

