from django.db import migrations


class Migration(migrations.Migration):
    # State only: the model and its tables now belong to core (core.0001 and core.0002).
    dependencies = [
        ("portal", "0002_create_site_settings_row"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="HistoricalSiteSettings"),
                migrations.DeleteModel(name="SiteSettings"),
            ]
        )
    ]
