from django.db import migrations


def blank_sessions_count_once(apps, schema_editor):
    """The stated default before sessions become required: a record whose sessions were left
    blank was held once (the report used to count it as 0). Old versions follow, since the
    history table's column becomes required too."""
    for name in ["ActivityRecord", "HistoricalActivityRecord"]:
        apps.get_model("campaigns", name).objects.filter(sessions__isnull=True).update(sessions=1)


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0002_create_sectors")]

    operations = [migrations.RunPython(blank_sessions_count_once, migrations.RunPython.noop)]
