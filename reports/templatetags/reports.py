import datetime

from django import template
from django.db.models import Count, Sum
from django.utils import timezone

from bases.models import VisitBooking
from campaigns.models import ActivityRecord
from pledges.models import Signature
from publications.models import Publication
from units.scoping import scope_queryset

register = template.Library()


@register.inclusion_tag("reports/dashboard.html", takes_context=True)
def dashboard(context):
    """This year's key counts and what the user's units entered recently, on the admin index.
    Timestamps are compared with the local new year's midnight, not cast to dates row by row,
    so that their indexes serve the counts."""
    user = context["request"].user
    year_start = datetime.date(timezone.localdate().year, 1, 1)
    new_year = timezone.make_aware(datetime.datetime.combine(year_start, datetime.time.min))
    records = scope_queryset(ActivityRecord.objects.filter(date__gte=year_start), user, "unit").aggregate(
        records=Count("pk"), sessions=Sum("sessions", default=0)
    )
    visits = scope_queryset(
        VisitBooking.objects.filter(status=VisitBooking.Status.CONFIRMED, slot__date__gte=year_start), user, "unit"
    )
    counts = {
        **records,
        "visitors": visits.aggregate(total=Sum("actual_visitors", default=0))["total"],
        "signatures": scope_queryset(Signature.objects.valid().filter(signed_at__gte=new_year), user, "unit").count(),
        "publications": scope_queryset(
            Publication.objects.published().filter(published_at__gte=new_year), user, "issuing_unit"
        ).count(),
    }
    recent = (
        scope_queryset(ActivityRecord.objects.all(), user, "unit").select_related("unit").order_by("-created_at")[:8]
    )
    return {"counts": counts, "recent": recent, "year": year_start.year}
