from django.db.models import Count

from units.models import Membership


def roster_counts(units) -> dict[int, int]:
    """{unit id: cadres on its roster} for the units of `units` (one query)."""
    return dict(
        Membership.objects.filter(unit__in=units, is_cadre=True)
        .values("unit")
        .annotate(n=Count("pk"))
        .values_list("unit", "n")
    )
