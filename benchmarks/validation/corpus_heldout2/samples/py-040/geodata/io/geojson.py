from __future__ import annotations

import json
from pathlib import Path

from ..core.points import Point


def read_geojson(path: Path) -> list[Point]:
    data = json.loads(path.read_text())
    out = []
    for feature in data.get("features", []):
        geom = feature.get("geometry") or {}
        if geom.get("type") == "Point":
            lon, lat = geom["coordinates"][:2]
            out.append(Point(lat, lon))
    return out


def write_geojson(points: list[Point], path: Path) -> None:
    features = [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]}, "properties": {}}
        for p in points
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
