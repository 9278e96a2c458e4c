from .shapes import Circle, Polygon, Shape, area_of

__all__ = ["Circle", "Polygon", "Shape", "area_of"]
