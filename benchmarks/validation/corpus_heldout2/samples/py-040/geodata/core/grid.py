from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .points import Point


@dataclass
class Grid:
    south_west: Point
    north_east: Point
    cell_deg: float

    def shape(self) -> tuple[int, int]:
        rows = int(np.ceil((self.north_east.lat - self.south_west.lat) / self.cell_deg))
        cols = int(np.ceil((self.north_east.lon - self.south_west.lon) / self.cell_deg))
        return rows, cols

    def cell_of(self, p: Point) -> tuple[int, int]:
        return (
            int((p.lat - self.south_west.lat) // self.cell_deg),
            int((p.lon - self.south_west.lon) // self.cell_deg),
        )

    def density(self, points: list[Point]) -> np.ndarray:
        counts = np.zeros(self.shape(), dtype=np.int64)
        for p in points:
            r, c = self.cell_of(p)
            if 0 <= r < counts.shape[0] and 0 <= c < counts.shape[1]:
                counts[r, c] += 1
        return counts
