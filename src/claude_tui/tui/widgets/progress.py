"""Progress rendered inside table cells: verified and claimed side by side."""

from __future__ import annotations

from rich.text import Text

from claude_tui.client.steps import STATUS_STYLES, status_text

__all__ = ["STATUS_STYLES", "progress_bar", "score_percent", "score_text", "status_text"]

BAR_WIDTH = 10


def progress_bar(percent: float | None, *, style: str = "green", width: int = BAR_WIDTH) -> Text:
    """A bar of ``width`` cells with the percentage (only the percentage at width 0), or "-"."""
    if percent is None:
        return Text("-", style="dim")
    value = max(0.0, min(100.0, float(percent)))
    if width <= 0:
        return Text(f"{value:3.0f}%", style=style)
    filled = round(value / 100 * width)
    bar = Text("█" * filled, style=style)
    bar.append("░" * (width - filled), style="dim")
    bar.append(f" {value:3.0f}%")
    return bar


def score_percent(score: float) -> str:
    """A validation score (the share of clean files, 0 to 1) as a person reads it."""
    return f"{max(0.0, min(1.0, float(score))) * 100:.0f} %"


def score_text(score: float | None, passed: bool | None = None) -> Text:
    if score is None:
        return Text("-", style="dim")
    style = "green" if passed else "red" if passed is False else ""
    return Text(score_percent(score), style=style)
