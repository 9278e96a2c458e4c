from stationwatch.client import StationClient

__all__ = ["StationClient"]
