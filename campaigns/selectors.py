from django.db.models import Count, Sum

from campaigns.models import ActivityOutput, ActivityRecord, Sector


def activity_records(*, start=None, end=None, unit=None, sector=None, kind=None, campaign=None, records=None):
    """Records of a period, a unit subtree, a sector (by the unit's kind), a kind and a campaign.
    Every argument is optional; `records` narrows the starting set (a staff member's scope)."""
    queryset = records if records is not None else ActivityRecord.objects.all()
    if start:
        queryset = queryset.filter(date__gte=start)
    if end:
        queryset = queryset.filter(date__lte=end)
    if unit is not None:
        queryset = queryset.filter(unit__path__startswith=unit.path)
    if sector is not None:
        kinds = sector.unit_kinds if isinstance(sector, Sector) else Sector.UNIT_KINDS[sector]
        queryset = queryset.filter(unit__kind__in=kinds)
    if kind:
        queryset = queryset.filter(kind=kind)
    if campaign is not None:
        queryset = queryset.filter(campaign=campaign)
    return queryset


def activity_totals(records) -> dict:
    """Sessions, person-times, records and each output measure over `records` (two queries)."""
    sums = records.aggregate(
        records=Count("pk"), sessions=Sum("sessions", default=0), participants=Sum("participants", default=0)
    )
    # Every output belongs to a record: over all records, no need to match them one by one.
    outputs_of_records = (
        ActivityOutput.objects.all() if not records.query.where else ActivityOutput.objects.filter(record__in=records)
    )
    outputs = {
        row["measure"]: row["total"]
        for row in outputs_of_records.values("measure").annotate(total=Sum("quantity")).order_by("measure")
    }
    return {**sums, "outputs": outputs}


def output_labels(outputs: dict) -> list[tuple[str, int]]:
    labels = dict(ActivityOutput.Measure.choices)
    return [(labels[measure], total) for measure, total in outputs.items() if measure in labels]
