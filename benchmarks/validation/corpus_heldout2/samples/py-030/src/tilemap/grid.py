"""Tile grids and path finding for a small roguelike."""
from __future__ import annotations

import heapq
from collections.abc import Iterator
from dataclasses import dataclass

WALL = "#"
FLOOR = "."
DOOR = "+"
COSTS = {FLOOR: 1, DOOR: 2}

Pos = tuple[int, int]


@dataclass
class Grid:
    rows: list[str]

    @classmethod
    def parse(cls, text: str) -> "Grid":
        rows = [line.rstrip("\n") for line in text.strip("\n").splitlines()]
        width = max(len(r) for r in rows)
        return cls([r.ljust(width, WALL) for r in rows])

    @property
    def width(self) -> int:
        return len(self.rows[0])

    @property
    def height(self) -> int:
        return len(self.rows)

    def at(self, pos: Pos) -> str:
        x, y = pos
        if not (0 <= x < self.width and 0 <= y < self.height):
            return WALL
        return self.rows[y][x]

    def neighbours(self, pos: Pos) -> Iterator[Pos]:
        x, y = pos
        for dx, dy in ((1, 0), (-1, 0), (0, 1), (0, -1)):
            nxt = (x + dx, y + dy)
            if self.at(nxt) in COSTS:
                yield nxt


def manhattan(a: Pos, b: Pos) -> int:
    return abs(a[0] - b[0]) + abs(a[1] - b[1])


def find_path(
    grid: Grid,
    start: Pos,
    goal: Pos,
    max_cost: int = 10_000,
) -> list[Pos] | None
    if grid.at(start) not in COSTS or grid.at(goal) not in COSTS:
        return None
    frontier: list[tuple[int, int, Pos]] = [(manhattan(start, goal), 0, start)]
    came_from: dict[Pos, Pos | None] = {start: None}
    cost_so_far = {start: 0}
    while frontier:
        _, cost, current = heapq.heappop(frontier)
        if current == goal:
            path = [current]
            while (prev := came_from[path[-1]]) is not None:
                path.append(prev)
            return path[::-1]
        if cost > max_cost:
            break
        for nxt in grid.neighbours(current):
            new_cost = cost + COSTS[grid.at(nxt)]
            if nxt not in cost_so_far or new_cost < cost_so_far[nxt]:
                cost_so_far[nxt] = new_cost
                came_from[nxt] = current
                heapq.heappush(frontier, (new_cost + manhattan(nxt, goal), new_cost, nxt))
    return None


def render(grid: Grid, path: list[Pos]) -> str:
    marks = set(path)
    return "\n".join(
        "".join("*" if (x, y) in marks else ch for x, ch in enumerate(row))
        for y, row in enumerate(grid.rows)
    )
