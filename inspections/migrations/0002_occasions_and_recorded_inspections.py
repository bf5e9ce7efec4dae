"""The four occasions every year has, and the holiday inspections recorded before this app as
activity records with an occasion (campaigns' `occasion` field, removed by campaigns 0010): each
becomes a carried-out inspection, in a period spanning the dates recorded for its occasion and
year, which the commission can widen to the real supervision dates."""

from django.db import migrations

DEFAULTS = [("元旦春节", 1), ("清明", 2), ("五一端午", 3), ("中秋国庆", 4)]
FROM_RECORD = {
    "new_year": "元旦春节",
    "qingming": "清明",
    "may_day": "五一端午",
    "dragon_boat": "五一端午",
    "mid_autumn": "中秋国庆",
}


def forwards(apps, schema_editor):
    Occasion = apps.get_model("inspections", "Occasion")
    OccasionPeriod = apps.get_model("inspections", "OccasionPeriod")
    Inspection = apps.get_model("inspections", "Inspection")
    ActivityRecord = apps.get_model("campaigns", "ActivityRecord")
    occasions = {}
    for name, order in DEFAULTS:
        occasions[name], _created = Occasion.objects.get_or_create(name=name, defaults={"order": order})
    records = list(ActivityRecord.objects.exclude(occasion="").order_by("date", "pk"))
    spans = {}
    for record in records:
        key = (FROM_RECORD[record.occasion], record.date.year)
        first, last = spans.get(key, (record.date, record.date))
        spans[key] = (min(first, record.date), max(last, record.date))
    periods = {
        key: OccasionPeriod.objects.get_or_create(
            occasion=occasions[key[0]], year=key[1], defaults={"starts_on": first, "ends_on": last}
        )[0]
        for key, (first, last) in spans.items()
    }
    Inspection.objects.bulk_create(
        Inspection(
            period=periods[(FROM_RECORD[record.occasion], record.date.year)],
            unit_id=record.unit_id,
            title=record.title,
            planned_on=record.date,
            done_on=record.date,
            problems_found=record.issues_found or 0,
            summary=record.description,
            created_by_id=record.created_by_id,
        )
        for record in records
    )


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0001_initial"),
        ("campaigns", "0009_record_review"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
