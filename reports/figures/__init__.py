"""Every figure the work report states, computed from recorded rows for a period and a unit subtree.

Each figure is declared once in the module of its report section (section1 … section4) with the
rows it counts; its value and its drill-down list are both derived from those rows. Nothing here
reads words in titles: rows are chosen by structured fields (kind, category, topic, occasion,
channel). Change a row and the figure moves; rename a row and nothing moves."""

import datetime

from reports.figures import section1, section2, section3, section4  # noqa: F401 - they declare the figures
from reports.figures.base import REGISTRY, SECTIONS, Declared, Figure, Scope, compute
from units.models import Unit

# The order of the source report's figure table.
ORDER = [
    *["B1", "B2", "B3", "B4", "B5", "B6"],
    *[f"P{number}" for number in range(1, 15)],
    *["S1", "S2", "A1", "A2", "A3a", "A3b", "A4a", "A4b", "A4c", "P15", "A5", "A6"],
]
if sorted(ORDER) != sorted(REGISTRY):
    raise RuntimeError("every declared figure needs its place in ORDER")

__all__ = ["ORDER", "REGISTRY", "SECTIONS", "Declared", "Figure", "FigureSet", "Scope"]


class FigureSet:
    """All figures for one period and one unit subtree (the whole city when `unit` is the root)."""

    def __init__(self, *, start: datetime.date, end: datetime.date, unit: Unit):
        self.scope = Scope(start=start, end=end, unit=unit)

    def all(self) -> list[Figure]:
        return compute([REGISTRY[figure_id] for figure_id in ORDER], self.scope)

    def by_id(self) -> dict[str, Figure]:
        return {figure.id: figure for figure in self.all()}
