"""Planar shapes.

Usage::

    >>> from geoshapes import Polygon
    >>> Polygon([(0, 0), (4, 0), (4, 3)]).area()
    6.0
    >>> ...  # any shape works with area_of()
"""
from __future__ import annotations

import math
from abc import ABC, abstractmethod
from typing import Iterable, Protocol, overload

Point = tuple[float, float]


class SupportsArea(Protocol):
    def area(self) -> float: ...


class Shape(ABC):
    @abstractmethod
    def area(self) -> float:
        """Area in square units."""

    @abstractmethod
    def perimeter(self) -> float: ...

    def bbox(self) -> tuple[float, float, float, float]:
        xs, ys = zip(*self.outline(32))
        return min(xs), min(ys), max(xs), max(ys)

    @abstractmethod
    def outline(self, n: int) -> list[Point]: ...


class Circle(Shape):
    def __init__(self, center: Point, radius: float) -> None:
        if radius <= 0:
            raise ValueError("radius must be positive")
        self.center = center
        self.radius = radius

    def area(self) -> float:
        return math.pi * self.radius**2

    def perimeter(self) -> float:
        return 2 * math.pi * self.radius

    def outline(self, n: int) -> list[Point]:
        cx, cy = self.center
        return [
            (cx + self.radius * math.cos(2 * math.pi * i / n), cy + self.radius * math.sin(2 * math.pi * i / n))
            for i in range(n)
        ]


class Polygon(Shape):
    def __init__(self, points: Iterable[Point]) -> None:
        self.points: tuple[Point, ...] = tuple(points)
        if len(self.points) < 3:
            raise ValueError("a polygon needs at least three points")

    def area(self) -> float:
        # Shoelace formula; abs() makes the winding order irrelevant.
        total = 0.0
        for (x1, y1), (x2, y2) in zip(self.points, self.points[1:] + self.points[:1]):
            total += x1 * y2 - x2 * y1
        return abs(total) / 2

    def perimeter(self) -> float:
        return sum(math.dist(a, b) for a, b in zip(self.points, self.points[1:] + self.points[:1]))

    def outline(self, n: int) -> list[Point]:
        return list(self.points)


@overload
def area_of(shape: SupportsArea) -> float: ...
@overload
def area_of(shape: Iterable[SupportsArea]) -> list[float]: ...
def area_of(shape):  # type: ignore[no-untyped-def]
    if hasattr(shape, "area"):
        return shape.area()
    return [s.area() for s in shape]
