from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear, TruncMonth
from django.utils import timezone

from bases.models import EducationBase, VisitBooking
from campaigns.models import ActivityRecord
from pledges.models import PledgeText, Signature
from pledges.selectors import progress_by_unit
from units.models import Unit


def activities_per_month(*, start, end, unit):
    rows = (
        ActivityRecord.objects.filter(unit__path__startswith=unit.path, date__range=(start, end))
        .annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by("month")
    )
    return [(f"{row['month']:%Y-%m}", row["n"]) for row in rows]


def visitors_per_base(*, start, end, unit):
    rows = (
        VisitBooking.objects.filter(
            status=VisitBooking.Status.CONFIRMED, slot__date__range=(start, end), unit__path__startswith=unit.path
        )
        .values("slot__base__name")
        .annotate(n=Sum("actual_visitors", default=0))
        .order_by("-n")
    )
    return [(row["slot__base__name"], row["n"]) for row in rows]


def pledge_progress(*, unit):
    """Valid signatures of the most signed pledge text, for the units directly below `unit`."""
    pledge = (
        PledgeText.objects.annotate(n=Count("signatures", filter=Q(signatures__is_void=False))).order_by("-n").first()
    )
    if pledge is None:
        return None, []
    children = Unit.objects.filter(parent=unit).order_by("path")
    totals = {child.pk: 0 for child in children}
    paths = {child.pk: child.path for child in children}
    for row in progress_by_unit(pledge=pledge, units=Unit.objects.subtree(unit)):
        for child_pk, path in paths.items():
            if row["unit"].path.startswith(path):
                totals[child_pk] += row["signed"]
    return pledge, [(child.name, totals[child.pk]) for child in children if totals[child.pk]]


def public_statistics():
    """Aggregates anyone may see: no names, no phones, no restricted items."""
    years = {}

    def add(rows, key):
        for row in rows:
            if row["year"]:
                years.setdefault(
                    row["year"],
                    {
                        "year": row["year"],
                        "bases_opened": 0,
                        "visitors": 0,
                        "activities": 0,
                        "sessions": 0,
                        "pledges_signed": 0,
                    },
                )[key] = row["n"]

    add(
        EducationBase.objects.published()
        .exclude(opened_on=None)
        .annotate(year=ExtractYear("opened_on"))
        .values("year")
        .annotate(n=Count("pk")),
        "bases_opened",
    )
    add(
        VisitBooking.objects.filter(status=VisitBooking.Status.CONFIRMED)
        .annotate(year=ExtractYear("slot__date"))
        .values("year")
        .annotate(n=Sum("actual_visitors", default=0)),
        "visitors",
    )
    add(ActivityRecord.objects.annotate(year=ExtractYear("date")).values("year").annotate(n=Count("pk")), "activities")
    add(
        ActivityRecord.objects.annotate(year=ExtractYear("date")).values("year").annotate(n=Sum("sessions", default=0)),
        "sessions",
    )
    add(
        Signature.objects.valid().annotate(year=ExtractYear("signed_at")).values("year").annotate(n=Count("pk")),
        "pledges_signed",
    )
    return {
        "published_bases": EducationBase.objects.published().count(),
        "years": [years[year] for year in sorted(years)],
        "generated_on": timezone.localdate().isoformat(),
    }
