from django.db import migrations

MODELS = ["sitesettings", "historicalsitesettings"]


def content_types_follow(apps, schema_editor, *, old, new):
    """Keep permissions and admin history attached to the moved model."""
    content_type = apps.get_model("contenttypes", "ContentType")
    if not content_type.objects.filter(app_label=new, model__in=MODELS).exists():
        content_type.objects.filter(app_label=old, model__in=MODELS).update(app_label=new)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelTable(name="sitesettings", table=None),
        migrations.AlterModelTable(name="historicalsitesettings", table=None),
        migrations.RunPython(
            lambda apps, editor: content_types_follow(apps, editor, old="portal", new="core"),
            lambda apps, editor: content_types_follow(apps, editor, old="core", new="portal"),
        ),
    ]
