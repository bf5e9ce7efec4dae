"""How a figure of the work report is declared, computed and drilled into.

A figure is declared once (`Declared`): the rows it counts, for a period and a unit subtree, and
how they are counted (rows, or the sum of one field). Its value and its drill-down page both come
from that one `rows` function, so the list behind a figure is exactly what the figure counts.
Each section of the report declares its figures in a module of its own (section1 … section4)."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import QuerySet, Sum
from django.urls import reverse

from units.models import Unit

SECTIONS = {
    1: "结合地域特色，深度挖掘清廉元素",
    2: "结合工作实际，深化建立清廉机制",
    3: "结合部门联动，推动发展清廉建设",
    4: "结合思想动态，探索建设清廉新领域",
}


@dataclass(frozen=True)
class Scope:
    """The period and the unit subtree a report covers."""

    start: datetime.date
    end: datetime.date
    unit: Unit

    @property
    def path(self) -> str:
        return self.unit.path

    @property
    def period(self) -> tuple[datetime.date, datetime.date]:
        return (self.start, self.end)


@dataclass(frozen=True)
class Column:
    """A column of a figure's drill-down list: a heading and how to read it off a row."""

    heading: str
    read: Callable[[object], object]


@dataclass(frozen=True)
class Declared:
    """A figure as declared: `rows(scope)` is the queryset it counts; `total` names the field
    summed over those rows (None: the rows are counted). `describe(rows)` replaces the number
    for figures that state facts (dates, areas) rather than amounts, returning (text, parts)."""

    id: str
    section: int
    label: str
    measure: str
    definition: str
    rows: Callable[[Scope], QuerySet]
    columns: tuple[Column, ...]
    total: str | None = None
    describe: Callable[[QuerySet, Scope], tuple[str, dict]] | None = None
    parts: Callable[[QuerySet, Scope], dict] | None = None

    def value_of(self, rows: QuerySet) -> int:
        if self.total is None:
            return rows.count()
        return rows.aggregate(total=Sum(self.total, default=0))["total"]

    def amount_of(self, row) -> int:
        """What one row adds to the figure."""
        if self.total is None:
            return 1
        value = row
        for name in self.total.split("__"):
            value = getattr(value, name)
        return value or 0


REGISTRY: dict[str, Declared] = {}


def declare(**fields) -> Declared:
    figure = Declared(**fields)
    if figure.id in REGISTRY:
        raise ValueError(f"figure {figure.id} is declared twice")
    REGISTRY[figure.id] = figure
    return figure


@dataclass
class Figure:
    """A figure computed for one scope, as the report page and documents show it."""

    id: str
    section: int
    label: str
    value: object
    measure: str
    definition: str
    admin_url: str = ""
    parts: dict = field(default_factory=dict)

    @property
    def display(self) -> str:
        if isinstance(self.value, int):
            return f"{self.value:,}{self.measure}" if self.value >= 10000 else f"{self.value}{self.measure}"
        return f"{self.value}{self.measure}" if self.value not in (None, "") else "—"


def drilldown_url(figure_id: str, scope: Scope) -> str:
    query = urlencode({"start": scope.start.isoformat(), "end": scope.end.isoformat(), "unit": scope.unit.pk})
    return f"{reverse('reports:figure-rows', args=[figure_id])}?{query}"


def compute(declared: Declared, scope: Scope) -> Figure:
    rows = declared.rows(scope)
    if declared.describe is not None:
        value, parts = declared.describe(rows, scope)
    else:
        value = declared.value_of(rows)
        parts = declared.parts(rows, scope) if declared.parts else {}
    return Figure(
        declared.id,
        declared.section,
        declared.label,
        value,
        declared.measure,
        declared.definition,
        drilldown_url(declared.id, scope),
        parts,
    )


def day(date) -> str:
    return f"{date.year}年{date.month}月{date.day}日" if date else "—"


def month(date) -> str:
    return f"{date.year}年{date.month}月" if date else "—"
