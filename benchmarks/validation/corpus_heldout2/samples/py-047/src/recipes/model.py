"""Recipes with scalable ingredient quantities."""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from fractions import Fraction

UNITS = {"g", "kg", "ml", "l", "tsp", "tbsp", "cup", "pinch", ""}
_LINE = re.compile(r"^\s*(?P<qty>\d+(?:[./]\d+)?)?\s*(?P<unit>[a-z]+)?\s+(?P<name>.+?)\s*$")


@dataclass(frozen=True)
class Ingredient:
    name: str
    quantity: Fraction | None
    unit: str = ""

    def scaled(self, factor: Fraction) -> "Ingredient":
        if self.quantity is None:
            return self
        return replace(self, quantity=self.quantity * factor)

    def __str__(self) -> str:
        if self.quantity is None:
            return self.name
        q = self.quantity
        qty = str(q.numerator) if q.denominator == 1 else f"{q.numerator}/{q.denominator}"
        return f"{qty} {self.unit} {self.name}".replace("  ", " ")


@dataclass
class Recipe:
    title: str
    servings: int
    ingredients: list[Ingredient] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)

    @staticmethod
    def parse_ingredient(line: str) -> Ingredient:
        m = _LINE.match(line)
        if m is None:
            raise ValueError(f"cannot read ingredient line {line!r}")
        unit = (m["unit"] or "").lower()
        name = m["name"]
        if unit not in UNITS:
            name, unit = f"{unit} {name}", ""
        qty = Fraction(m["qty"]) if m["qty"] else None
        return Ingredient(name, qty, unit)

    @classmethod
    def from_text(cls, text: str) -> "Recipe":
        """Parse the plain-text format: title, 'serves N', ingredients, blank line, steps."""
        lines = [l.rstrip() for l in text.strip().splitlines()]
        if len(lines) < 3:
            raise ValueError("a recipe needs a title, a servings line and ingredients")
        title = lines[0].strip("# ").strip()
        servings = cls._parse_servings(lines[1])
        try:
            blank = lines.index("", 2)
        except ValueError:
            blank = len(lines)
        ingredients = [cls.parse_ingredient(l) for l in lines[2:blank] if l.strip()]
        steps = [l.lstrip("0123456789. ").strip() for l in lines[blank + 1:] if l.strip()]
        return cls(title, servings, ingredients, steps)

    def scale_to(self, servings: int) -> "Recipe":
        if servings <= 0:
            raise ValueError("servings must be positive")
        factor = Fraction(servings, self.servings)
        return Recipe(self.title, servings, [i.scaled(factor) for i in self.ingredients], list(self.steps))

    def to_text(self) -> str:
        out = [f"# {self.title}", f"serves {self.servings}"]
        out += [str(i) for i in self.ingredients]
        out.append("")
        out += [f"{n}. {s}" for n, s in enumerate(self.steps, 1)]
        return "\n".join(out) + "\n"


def shopping_list(recipes: list[Recipe]) -> list[Ingredient]:
    totals: dict[tuple[str, str], Fraction] = {}
    loose: set[str] = set()
    for r in recipes:
        for i in r.ingredients:
            if i.quantity is None:
                loose.add(i.name)
            else:
                key = (i.name, i.unit)
                totals[key] = totals.get(key, Fraction(0)) + i.quantity
    items = [Ingredient(n, q, u) for (n, u), q in sorted(totals.items())]
    items += [Ingredient(n, None) for n in sorted(loose - {n for n, _ in totals})]
    return items
