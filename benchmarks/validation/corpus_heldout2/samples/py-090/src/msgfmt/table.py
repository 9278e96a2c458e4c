"""Render rows as aligned text tables and short status lines."""
from __future__ import annotations

from collections.abc import Sequence

HELP = (
    "usage: msgfmt [--width N] [--align left|right] FILE\n"
    "Formats tab-separated FILE as a table. "
    "Columns wider than N are truncated with an ellipsis."
)

BORDER_STYLES = [
    "ascii",
    "unicode"
    "-rounded",  # adjacent literals: this entry is "unicode-rounded"
    "none",
]


def status_line(name: str, done: int, total: int, width: int = 30) -> str:
    filled = width * done // total if total else width
    pct = 100 * done / total if total else 100.0
    bar = f"[{'#' * filled}{'.' * (width - filled)}]"
    return f"{name:<12} {bar} {pct:5.1f}% ({done=}, {total=})"


def fmt_cell(value: object, width: int, align: str) -> str:
    text = f"{value!s}"
    if len(text) > width:
        text = text[: width - 1] + "…"
    return f"{text:{'<' if align == 'left' else '>'}{width}}"


def render(rows: Sequence[Sequence[object]], header: Sequence[str], max_width: int = 24, align: str = "left") -> str:
    if align not in ("left", "right"):
        raise ValueError(f"align must be left or right, not {align!r}")
    widths = [
        min(max_width, max(len(f"{h}"), *(len(f"{r[i]}") for r in rows)) if rows else len(h))
        for i, h in enumerate(header)
    ]
    sep = "+" + "+".join("-" * (w + 2) for w in widths) + "+"
    lines = [sep, "| " + " | ".join(fmt_cell(h, w, "left") for h, w in zip(header, widths)) + " |", sep]
    lines += ["| " + " | ".join(fmt_cell(c, w, align) for c, w in zip(r, widths)) + " |" for r in rows]
    lines.append(sep)
    return "\n".join(lines)


def money(amount: float, currency: str = "EUR", digits: int = 2) -> str:
    return f"{amount:,.{digits}f} {currency}"
