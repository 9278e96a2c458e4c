"""Command-line entry: python heatmap.py points.geojson"""
import sys
from pathlib import Path

import geodata
from geodata import Point


def main() -> None:
    points = geodata.read_geojson(Path(sys.argv[1]))
    grid = geodata.Grid(Point(47.0, 5.0), Point(55.0, 15.0), 0.5)
    print(grid.density(points).max())


if __name__ == "__main__":
    main()
