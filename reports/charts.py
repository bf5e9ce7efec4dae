"""Small server-side SVG bar charts: no JavaScript, no CDN, readable by screen readers."""

from dataclasses import dataclass


@dataclass
class Bar:
    label: str
    value: int
    y: int
    width: int


def bar_chart(rows: list[tuple[str, int]], *, width: int = 420, bar_height: int = 22, gap: int = 8) -> dict:
    """Horizontal bars scaled to the largest value; returns what the template needs to draw."""
    largest = max((value for _label, value in rows), default=0) or 1
    bars = [
        Bar(label=label, value=value, y=index * (bar_height + gap), width=round(value / largest * width))
        for index, (label, value) in enumerate(rows)
    ]
    return {
        "bars": bars,
        "height": max(len(bars) * (bar_height + gap), bar_height),
        "width": width,
        "bar_height": bar_height,
        "label_width": 150,
    }
