from __future__ import annotations

import colorsys

RGB = tuple[int, int, int]


def parse_hex(value: str) -> RGB:
    v = value.strip().lstrip("#")
    if len(v) == 3:
        v = "".join(c * 2 for c in v)
    if len(v) != 6:
        raise ValueError(f"not a hex colour: {value!r}")
    return int(v[0:2], 16), int(v[2:4], 16), int(v[4:6], 16)


def format_hex(rgb: RGB) -> str:
    if any(not 0 <= c <= 255 for c in rgb):
        raise ValueError(f"channel out of range in {rgb}")
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def rgb_to_hsl(rgb: RGB) -> tuple[float, float, float]:
    h, l, s = colorsys.rgb_to_hls(*(c / 255 for c in rgb))
    return h * 360, s, l


def hsl_to_rgb(h: float, s: float, l: float) -> RGB:
    r, g, b = colorsys.hls_to_rgb(h / 360 % 1, l, s)
    return round(r * 255), round(g * 255), round(b * 255)
