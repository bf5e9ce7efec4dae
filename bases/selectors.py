from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth

from bases.models import CultureAsset, VisitBooking


def visit_statistics(bookings):
    """Per base and month: bookings, visiting units, people booked and people who came.

    `bookings` is any VisitBooking queryset (already limited to a period and unit scope);
    cancelled bookings count for nothing."""
    held = bookings.exclude(status=VisitBooking.Status.CANCELLED)
    return (
        held.annotate(month=TruncMonth("slot__date"))
        .values("slot__base__name", "slot__base_id", "month")
        .annotate(
            bookings=Count("pk"),
            units=Count("unit", distinct=True),
            booked_people=Sum("group_size"),
            actual_visitors=Sum("actual_visitors", filter=Q(status=VisitBooking.Status.CONFIRMED), default=0),
        )
        .order_by("slot__base__name", "month")
    )


def culture_asset_totals(unit) -> list[tuple[str, int]]:
    """(kind label, quantity) of the culture assets in `unit`'s subtree, one row per kind."""
    labels = dict(CultureAsset.Kind.choices)
    rows = (
        CultureAsset.objects.filter(unit__path__startswith=unit.path)
        .values("kind")
        .annotate(total=Sum("quantity"))
        .order_by("kind")
    )
    return [(labels[row["kind"]], row["total"]) for row in rows]
