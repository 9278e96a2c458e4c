import os

from stationwatch.client import StationClient, mean_temperature, warmest


def render() -> str:
    client = StationClient(os.environ["STATIONS_URL"], os.environ["STATIONS_TOKEN"])
    readings = client.latest_all()
    top = warmest(readings)
    lines = [f"{len(readings)} stations, mean {mean_temperature(readings):.1f} C"]
    if top is not None:
        lines.append(f"warmest: {top.station} at {top.temperature_c:.1f} C")
    return "\n".join(lines)

