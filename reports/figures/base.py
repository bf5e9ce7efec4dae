"""How a figure of the work report is declared, computed and drilled into.

A figure is declared once (`Declared`): the family of rows it belongs to (all the rows of one kind
in the scope, `family(scope)`), the condition that picks its rows from the family (`where`), and
how they are counted (rows, or the sum of one field). Its drill-down lists `family(scope)` filtered
by `where`; its value is the same condition applied inside one aggregate query per family
(`Count(..., filter=where)`), so a report costs one query per kind of row, whatever the data size,
and the list behind a figure is exactly what the figure counts.
Each section of the report declares its figures in a module of its own (section1 … section4)."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone

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

    @property
    def moments(self) -> tuple[datetime.datetime, datetime.datetime]:
        """The period as local midnights [start, day after end): a range on a timestamp column
        that an index serves, where `__date__range` casts every row first."""
        after = self.end + datetime.timedelta(days=1)
        return (_midnight(self.start), _midnight(after))


def _midnight(date: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time.min))


@dataclass(frozen=True)
class Column:
    """A column of a figure's drill-down list: a heading and how to read it off a row."""

    heading: str
    read: Callable[[object], object]


def amount(total: str | None, where: Q | None = None):
    """The aggregate of rows meeting `where`: their number (`total` None) or the sum of `total`."""
    condition = where or None  # an empty Q filters nothing
    if total is None:
        return Count("pk", filter=condition)
    return Sum(total, filter=condition, default=0)


@dataclass(frozen=True)
class Declared:
    """A figure as declared: `family(scope)` is the queryset shared with the figures counted in the
    same query, `where` picks this figure's rows from it; `total` names the field summed over those
    rows (None: the rows are counted), and `parts` names further amounts over the same rows that
    the report text states (name: field summed, or None for the number of rows).
    `describe(row)` replaces the number for figures that state facts (dates, areas) of the first
    row of their family rather than amounts, returning (text, parts); `facts(scope)` adds parts
    about the scope itself (how many townships it holds)."""

    id: str
    section: int
    label: str
    measure: str
    definition: str
    family: Callable[[Scope], QuerySet]
    columns: tuple[Column, ...]
    where: Q = field(default_factory=Q)
    total: str | None = None
    parts: dict[str, str | None] = field(default_factory=dict)
    describe: Callable[[object], tuple[str, dict]] | None = None
    facts: Callable[[Scope], dict] | None = None

    def rows(self, scope: Scope) -> QuerySet:
        return self.family(scope).filter(self.where)

    def aggregates(self) -> dict:
        """The figure's value and its parts, as aggregates over its family (keyed by `id`)."""
        return {
            self.id: amount(self.total, self.where),
            **{f"{self.id}_{name}": amount(total, self.where) for name, total in self.parts.items()},
        }

    def value_of(self, rows: QuerySet) -> int:
        """The figure over `rows` already picked (its drill-down list)."""
        return rows.aggregate(total=amount(self.total))["total"]

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
    if figure.describe is not None and (figure.where or figure.total or figure.parts):
        raise ValueError(f"figure {figure.id} describes the first row of its family: it counts nothing")
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


def _described(rows: QuerySet, members: list[Declared]) -> dict[str, tuple[object, dict]]:
    """Figures that describe the first row of their family share one fetch of it."""
    first = rows.first()
    return {declared.id: declared.describe(first) for declared in members}


def _counted(rows: QuerySet, members: list[Declared]) -> dict[str, tuple[object, dict]]:
    """Figures that count or sum rows of their family: one aggregate query for them all, each
    figure's condition a FILTER of its own aggregate."""
    amounts = rows.aggregate(**{key: value for declared in members for key, value in declared.aggregates().items()})
    return {
        declared.id: (amounts[declared.id], {name: amounts[f"{declared.id}_{name}"] for name in declared.parts})
        for declared in members
    }


def _values(declared: list[Declared], scope: Scope) -> dict[str, tuple[object, dict]]:
    """(value, parts) of every figure, computed family by family."""
    families: dict[Callable, list[Declared]] = {}
    for figure in declared:
        families.setdefault(figure.family, []).append(figure)
    values = {}
    for family, members in families.items():
        rows = family(scope)
        described = [figure for figure in members if figure.describe is not None]
        counted = [figure for figure in members if figure.describe is None]
        values |= (_described(rows, described) if described else {}) | (_counted(rows, counted) if counted else {})
    return values


def compute(declared: list[Declared], scope: Scope) -> list[Figure]:
    """The figures `declared`, in that order: one query per family of rows (and per `facts`),
    however many figures each family holds and however many rows it has."""
    values = _values(declared, scope)
    figures = []
    for figure in declared:
        value, parts = values[figure.id]
        if figure.facts is not None:
            parts = {**parts, **figure.facts(scope)}
        url = drilldown_url(figure.id, scope)
        figures.append(
            Figure(figure.id, figure.section, figure.label, value, figure.measure, figure.definition, url, parts)
        )
    return figures


def day(date) -> str:
    return f"{date.year}年{date.month}月{date.day}日" if date else "—"


def month(date) -> str:
    return f"{date.year}年{date.month}月" if date else "—"
