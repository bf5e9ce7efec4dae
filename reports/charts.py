"""Small server-side bar charts: no JavaScript, no CDN, read by screen readers as a table of
labels and values. Bars are drawn in per cent of the row, so a chart fits any screen width."""

from dataclasses import dataclass


@dataclass
class Bar:
    label: str
    value: int
    percent: float  # of the largest value


def bar_chart(rows: list[tuple[str, int]]) -> dict:
    """Bars scaled to the largest value; returns what the template needs to draw."""
    largest = max((value for _label, value in rows), default=0) or 1
    return {"bars": [Bar(label=label, value=value, percent=round(value / largest * 100, 1)) for label, value in rows]}
