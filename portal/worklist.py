"""What waits for a staff member, shown first on the admin home page: each entry a count of rows
that need their action and a link to the admin list filtered to exactly those rows.

The count is taken through the model's own admin (`get_queryset` with the request), so it covers
the same rows, in the same scope (units/scoping.py), as the list the link opens."""

import datetime
from dataclasses import dataclass

from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from bases.models import EducationBase, VisitBooking
from campaigns.models import ActivityRecord, Campaign, Submission
from inspections.models import Inspection
from inspections.selectors import unplanned
from publications.models import Audience, Publication
from publications.selectors import read_rate_items, read_rate_overview, roster_counts
from units.review import ReviewStatus
from units.scoping import is_reviewer, units_for

# Restricted bulletins of this many days are followed up until every cadre has studied them.
BULLETIN_FOLLOW_UP_DAYS = 180


@dataclass(frozen=True)
class Task:
    label: str
    count: int
    url: str


def _everyone(user) -> bool:
    return True


SUBMITTED = {"review_status__exact": ReviewStatus.SUBMITTED}
RETURNED = {"review_status__exact": ReviewStatus.RETURNED}

# (model, the admin list's filter as its query string, what the rows wait for, who is asked)
FILTERED_LISTS = [
    (VisitBooking, {"status__exact": VisitBooking.Status.PENDING}, _("Bookings to confirm"), _everyone),
    (Submission, {"status__exact": Submission.Status.SUBMITTED}, _("Works to moderate"), _everyone),
    (Publication, SUBMITTED, _("News and publications awaiting review"), is_reviewer),
    (EducationBase, SUBMITTED, _("Base pages awaiting review"), is_reviewer),
    (Campaign, SUBMITTED, _("Campaign pages awaiting review"), is_reviewer),
    (ActivityRecord, SUBMITTED, _("Activity records awaiting review"), is_reviewer),
    (Publication, RETURNED, _("News and publications returned for changes"), _everyone),
]


def _admin_list_task(request, model, lookups, label) -> Task | None:
    model_admin = admin.site._registry.get(model)
    if model_admin is None or not model_admin.has_view_or_change_permission(request):
        return None
    count = model_admin.get_queryset(request).filter(**lookups).count()
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    return Task(label=str(label), count=count, url=f"{url}?{urlencode(lookups)}")


def _unread_bulletins_task(request) -> Task | None:
    """Restricted bulletins of the last months that some cadre of the user's units has not yet
    confirmed studying."""
    model_admin = admin.site._registry.get(Publication)
    if model_admin is None or not model_admin.has_view_or_change_permission(request):
        return None
    units = units_for(request.user)
    roster = sum(roster_counts(units).values())
    since = timezone.now() - datetime.timedelta(days=BULLETIN_FOLLOW_UP_DAYS)
    bulletins = list(
        read_rate_items(request.user)
        .filter(kind=Publication.Kind.CASE_BULLETIN, published_at__gte=since, is_published=True)
        .exclude(audience=Audience.PUBLIC)
        .values_list("pk", flat=True)
    )
    read = read_rate_overview(publications=bulletins, units=units)
    count = sum(1 for key in bulletins if read.get(key, 0) < roster) if roster else 0
    return Task(
        label=str(_("Bulletins not yet studied by all your cadres")),
        count=count,
        url=reverse("admin:publications_publication_read_rate_list"),
    )


def _unplanned_inspections_task(request) -> Task | None:
    """Occasions under way or coming soon for which a unit of the user's has no inspection planned."""
    model_admin = admin.site._registry.get(Inspection)
    if model_admin is None or not model_admin.has_add_permission(request):
        return None
    count, year = unplanned(request.user, timezone.localdate())
    url = reverse("admin:inspections_calendar")
    return Task(
        label=str(_("Holiday inspections not yet planned")),
        count=count,
        url=f"{url}?{urlencode({'year': year})}" if year else url,
    )


def work_queue(request) -> list[Task]:
    tasks = [
        _admin_list_task(request, model, lookups, label)
        for model, lookups, label, asked in FILTERED_LISTS
        if asked(request.user)
    ]
    tasks.append(_unread_bulletins_task(request))
    tasks.append(_unplanned_inspections_task(request))
    return [task for task in tasks if task is not None]
