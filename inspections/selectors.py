"""Reads of the holiday-inspection calendar: a year's periods with the inspections in the user's
scope, and the figures per occasion and year. Scope is units/scoping.py's rule."""

import calendar
import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum

from inspections.models import Inspection, Occasion, OccasionPeriod
from units.models import Unit
from units.scoping import scope_queryset, units_for, user_home_unit

WEEKDAYS = "一二三四五六日"


def inspections_for(user):
    return scope_queryset(Inspection.objects.all(), user, "unit")


@dataclass
class Day:
    date: datetime.date
    in_month: bool
    in_period: bool
    done: int = 0
    planned: int = 0


@dataclass
class PeriodView:
    period: OccasionPeriod
    state: str
    days_to_start: int
    inspections: list = field(default_factory=list)
    months: list = field(default_factory=list)  # (first day of month, weeks of Day)
    units_without: list = field(default_factory=list)

    @property
    def done(self) -> int:
        return sum(1 for inspection in self.inspections if inspection.done_on)


def _months(period: OccasionPeriod, inspections: list) -> list:
    done, planned = {}, {}
    for inspection in inspections:
        if inspection.done_on:
            done[inspection.done_on] = done.get(inspection.done_on, 0) + 1
        else:
            planned[inspection.planned_on] = planned.get(inspection.planned_on, 0) + 1
    months = []
    month = period.starts_on.replace(day=1)
    while month <= period.ends_on:
        weeks = [
            [
                Day(
                    day,
                    in_month=day.month == month.month,
                    in_period=day.month == month.month and period.contains(day),
                    done=done.get(day, 0) if day.month == month.month else 0,
                    planned=planned.get(day, 0) if day.month == month.month else 0,
                )
                for day in week
            ]
            for week in calendar.Calendar().monthdatescalendar(month.year, month.month)
        ]
        months.append((month, weeks))
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def expected_units(user):
    """The units expected to inspect at each occasion, within the user's scope: the townships and
    the user's own unit (the commission for its administrators)."""
    scoped = units_for(user).filter(is_active=True)
    home = user_home_unit(user)
    condition = Q(kind=Unit.Kind.TOWNSHIP)
    if home is not None:
        condition |= Q(pk=home.pk)
    return list(scoped.filter(condition).order_by("path"))


def year_calendar(user, year: int, today: datetime.date) -> list[PeriodView]:
    """The occasions' periods of `year`, each with the inspections in the user's scope, its month
    grids, and — while it is coming or under way — the expected units with nothing planned."""
    periods = list(OccasionPeriod.objects.filter(year=year).select_related("occasion").order_by("starts_on"))
    rows = (
        inspections_for(user)
        .filter(period__in=periods)
        .select_related("unit")
        .order_by("planned_on", "unit__path", "pk")
    )
    by_period: dict[int, list] = {}
    for inspection in rows:
        by_period.setdefault(inspection.period_id, []).append(inspection)
    expected = expected_units(user) if any(period.ends_on >= today for period in periods) else []
    views = []
    for period in periods:
        inspections = by_period.get(period.pk, [])
        view = PeriodView(
            period=period,
            state=period.state(today),
            days_to_start=(period.starts_on - today).days,
            inspections=inspections,
            months=_months(period, inspections),
        )
        if view.state != "past":
            covered = {inspection.unit_id for inspection in inspections}
            view.units_without = [unit for unit in expected if unit.pk not in covered]
        views.append(view)
    return views


RESULTS = {
    "done": Count("pk", filter=Q(done_on__isnull=False)),
    "planned": Count("pk", filter=Q(done_on__isnull=True)),
    "places": Sum("places_checked", default=0),
    "problems": Sum("problems_found", default=0),
    "leads": Sum("cases_handed_over", default=0),
    "bulletins": Sum("bulletins_issued", default=0),
}


def figures_by_occasion(user, years: list[int]) -> list[dict]:
    """For each occasion: per year of `years`, the inspections in the user's scope (carried out,
    still planned, and what they found) — one grouped query."""
    grouped = (
        inspections_for(user)
        .filter(period__year__in=years)
        .values("period__occasion", "period__year", "period")
        .annotate(**RESULTS)
    )
    cells = {(row["period__occasion"], row["period__year"]): row for row in grouped}
    periods = {
        (occasion, year): pk
        for pk, occasion, year in OccasionPeriod.objects.filter(year__in=years).values_list("pk", "occasion", "year")
    }
    empty = dict.fromkeys(RESULTS, 0)
    return [
        {
            "occasion": occasion,
            "years": [
                {"year": year, **cells.get((occasion.pk, year), {**empty, "period": periods.get((occasion.pk, year))})}
                for year in years
            ],
        }
        for occasion in Occasion.objects.all()
    ]


def years_with_periods() -> list[int]:
    return list(OccasionPeriod.objects.order_by("year").values_list("year", flat=True).distinct())


def unplanned(user, today: datetime.date) -> tuple[int, int | None]:
    """How many (period, unit) pairs wait for a plan: periods under way or starting within their
    occasion's reminder days, and the units expected to inspect in the user's scope with none
    planned in them; and the year of the first such period (for the calendar's link)."""
    periods = [
        period
        for period in OccasionPeriod.objects.filter(ends_on__gte=today).select_related("occasion").order_by("starts_on")
        if (period.starts_on - today).days <= period.occasion.reminder_days
    ]
    if not periods:
        return 0, None
    expected = {unit.pk for unit in expected_units(user)}
    planned = set(
        inspections_for(user).filter(period__in=periods, unit__in=expected).values_list("period", "unit").distinct()
    )
    waiting = [period for period in periods for unit in expected if (period.pk, unit) not in planned]
    return len(waiting), (waiting[0].year if waiting else None)
