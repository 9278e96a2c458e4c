from __future__ import annotations

from .convert import format_hex, hsl_to_rgb, parse_hex, rgb_to_hsl


def shades(base: str, n: int = 5, spread: float = 0.4) -> list[str]:
    h, s, l = rgb_to_hsl(parse_hex(base))
    step = spread / max(n - 1, 1)
    start = max(0.0, l - spread / 2)
    return [format_hex(hsl_to_rgb(h, s, min(1.0, start + i * step))) for i in range(n)]


def complementary(base: str) -> str:
    h, s, l = rgb_to_hsl(parse_hex(base))
    return format_hex(hsl_to_rgb(h + 180, s, l))
