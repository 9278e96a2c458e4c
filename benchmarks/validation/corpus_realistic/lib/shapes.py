from __future__ import annotations

import math


class Shape:
    """Base of all shapes; subclasses define ``area`` and ``perimeter``."""

    def area(self) -> float:
        raise NotImplementedError(f"{type(self).__name__} does not define area()")

    def perimeter(self) -> float:
        raise NotImplementedError(f"{type(self).__name__} does not define perimeter()")

    def describe(self) -> str:
        return f"{type(self).__name__}: area {self.area():.2f}, perimeter {self.perimeter():.2f}"


class Circle(Shape):
    def __init__(self, radius: float) -> None:
        self.radius = radius

    def area(self) -> float:
        return math.pi * self.radius**2

    def perimeter(self) -> float:
        return 2 * math.pi * self.radius


class Rectangle(Shape):
    def __init__(self, width: float, height: float) -> None:
        self.width, self.height = width, height

    def area(self) -> float:
        return self.width * self.height

    def perimeter(self) -> float:
        return 2 * (self.width + self.height)
