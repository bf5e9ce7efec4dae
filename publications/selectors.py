from django.db.models import Count, Q, Sum

from publications.models import Distribution, Placement, Publication, ReadReceipt
from units.models import Membership, Unit
from units.selectors import roster_counts


def read_rates(*, publication: Publication, units):
    """For each unit of `units` with cadres on its roster: roster size, how many confirmed
    studying `publication`, and the rate. Two queries whatever the number of units."""
    roster = roster_counts(units)
    read = dict(
        ReadReceipt.objects.filter(publication=publication, unit__in=units, user__membership__is_cadre=True)
        .values("unit")
        .annotate(n=Count("pk"))
        .values_list("unit", "n")
    )
    rows = []
    for unit in Unit.objects.filter(pk__in=roster).order_by("path"):
        total, done = roster[unit.pk], read.get(unit.pk, 0)
        rows.append({"unit": unit, "roster": total, "read": done, "rate": done / total if total else 0})
    return rows


def unread_cadres(*, publication: Publication, units):
    """Cadres on the rosters of `units` who have not confirmed studying `publication`."""
    return (
        Membership.objects.filter(unit__in=units, is_cadre=True)
        .exclude(user__read_receipts__publication=publication)
        .select_related("user", "unit")
        .order_by("unit__path", "user__username")
    )


def publication_totals(*, start, end, publications=None):
    """For the period from `start` to `end`: copies printed per kind (items issued in the period),
    copies distributed per kind and placements per channel (by their own dates).
    `publications` narrows everything to some items (a unit scope)."""
    scope = publications if publications is not None else Publication.objects.all()
    items = scope.filter(
        Q(issued_on__range=(start, end)) | Q(issued_on__isnull=True, published_at__date__range=(start, end))
    )
    printed = {
        row["kind"]: row["copies"]
        for row in items.values("kind").annotate(copies=Sum("copies_printed")).order_by("kind")
    }
    distributed = {
        row["publication__kind"]: row["copies"]
        for row in Distribution.objects.filter(date__range=(start, end), publication__in=scope)
        .values("publication__kind")
        .annotate(copies=Sum("copies"))
        .order_by("publication__kind")
    }
    placements = {
        row["channel"]: row["count"]
        for row in Placement.objects.filter(date__range=(start, end), publication__in=scope)
        .values("channel")
        .annotate(count=Count("pk"))
        .order_by("channel")
    }
    return {"printed": printed, "distributed": distributed, "placements": placements}
