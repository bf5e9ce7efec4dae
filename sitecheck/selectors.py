"""Reads of the self-check pages: how fresh each public 栏目 is."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Max
from django.utils import timezone

from core.columns import Column
from portal.context_processors import site_columns


@dataclass(frozen=True)
class Freshness:
    column: Column
    items: int
    last_update: datetime.datetime | None
    # The rule: the newest item may be at most this many days old.
    limit_days: int

    @property
    def due(self) -> datetime.date | None:
        """The last day (local date) by which the column must have a new item."""
        if self.last_update is None:
            return None
        return timezone.localdate(self.last_update) + datetime.timedelta(days=self.limit_days)

    def overdue_days(self, today: datetime.date) -> int:
        """Days past the rule (0 while within it, and for an empty column: the public does not see
        it, the navigation leaves it out)."""
        if self.due is None or today <= self.due:
            return 0
        return (today - self.due).days


def limit_days(column: Column) -> int:
    return settings.SITECHECK_NEWS_DAYS if column.news else settings.SITECHECK_OTHER_DAYS


def column_freshness() -> list[Freshness]:
    """Every public 栏目 with how many items the public sees in it and the date of the newest:
    one query per column, whatever the number of items."""
    public = AnonymousUser()
    rows = []
    for column in site_columns():
        if not column.public:
            continue
        figures = column.items(public).order_by().aggregate(items=Count("pk"), last=Max(column.dated_by))
        rows.append(
            Freshness(column=column, items=figures["items"], last_update=figures["last"], limit_days=limit_days(column))
        )
    return rows


def overdue_count() -> int:
    today = timezone.localdate()
    return sum(1 for row in column_freshness() if row.overdue_days(today))
