from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth

from bases.models import VisitBooking


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
