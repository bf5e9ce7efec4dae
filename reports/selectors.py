from django.db.models import Count, OuterRef, Subquery, Sum, Value
from django.db.models.functions import ExtractYear, Left, StrIndex, Substr, TruncMonth
from django.utils import timezone

from bases.models import EducationBase, VisitBooking
from campaigns.models import ActivityRecord
from pledges.models import PledgeText, Signature
from reports.figures.base import Scope
from reports.figures.rows import records, visits
from units.models import PATH_SEPARATOR, Unit


def activities_per_month(scope: Scope) -> list[tuple[str, int]]:
    """The records the figures count (`rows.records`), per month."""
    per_month = (
        records(scope).annotate(month=TruncMonth("date")).values("month").annotate(n=Count("pk")).order_by("month")
    )
    return [(f"{row['month']:%Y-%m}", row["n"]) for row in per_month]


def visitors_per_base(scope: Scope) -> list[tuple[str, int]]:
    """The visits the figures count (`rows.visits`): visitors per base, most visited first."""
    per_base = (
        visits(scope)
        .values("slot__base", "slot__base__name")
        .annotate(n=Sum("actual_visitors", default=0))
        .order_by("-n", "slot__base__name")
    )
    return [(row["slot__base__name"], row["n"]) for row in per_base]


def _child_path(unit: Unit):
    """For a unit below `unit`: the path of the child of `unit` it lies under (its path up to the
    separator after `unit`'s own path), so that the database groups units by child."""
    below = Substr("path", len(unit.path) + 1)
    return Left("path", StrIndex(below, Value(PATH_SEPARATOR)) + len(unit.path))


def _signed_per_child(unit: Unit, pledge_id: int) -> dict[str, int]:
    """Valid signatures of the pledge per child of `unit` (path: count), each child counting its
    subtree. Counted per unit first (an index lookup each), then summed per child: the string
    functions run once per unit, not once per signature."""
    signed_in_unit = (
        Signature.objects.valid()
        .filter(pledge=pledge_id, unit=OuterRef("pk"))
        .order_by()
        .values("unit")
        .annotate(n=Count("*"))  # not Count("pk"): the index alone answers COUNT(*)
        .values("n")
    )
    per_child = (
        Unit.objects.subtree(unit)
        .exclude(pk=unit.pk)
        .values(child=_child_path(unit))
        .annotate(n=Sum(Subquery(signed_in_unit)))
        .values_list("child", "n")
    )
    return {child: n for child, n in per_child if n}


def pledge_progress(*, unit: Unit):
    """The pledge text most signed within the subtree of `unit`, and its valid signatures per
    unit directly below `unit` (each counting its own subtree): (title, [(name, count)])."""
    top = (
        Signature.objects.valid()
        .filter(unit__path__startswith=unit.path)
        .values("pledge")
        .annotate(n=Count("*"))  # by key and COUNT(*) alone: the (unit, pledge) index answers it
        .order_by("-n", "pledge")
        .first()
    )
    if top is None:
        return None, []
    title = PledgeText.objects.values_list("title", flat=True).get(pk=top["pledge"])
    signed = _signed_per_child(unit, top["pledge"])
    children = Unit.objects.filter(parent=unit).order_by("path").values_list("path", "name")
    return title, [(name, signed[path]) for path, name in children if path in signed]


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
