import hmac

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth

from bases.models import CultureAsset, VisitBooking


def visit_statistics(bookings):
    """Per base and month: bookings, visiting units, people booked and people who came.

    `bookings` is any VisitBooking queryset (already limited to a period and unit scope);
    cancelled and declined bookings count for nothing."""
    held = bookings.filter(status__in=VisitBooking.HOLDING_STATUSES)
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


def public_booking_for_lookup(reference: str, phone_end: str) -> VisitBooking | None:
    """The booking with this reference whose mobile number ends in `phone_end`, or None; a wrong
    reference and wrong digits look the same to the caller (and take the same path here)."""
    booking = VisitBooking.objects.select_related("slot__base", "unit").filter(reference=reference).first()
    stored_end = booking.contact_phone[-4:] if booking is not None and len(booking.contact_phone) >= 4 else "----"
    if hmac.compare_digest(stored_end, phone_end) and booking is not None:
        return booking
    return None
