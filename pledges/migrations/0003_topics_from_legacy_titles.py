from django.db import migrations

# Texts entered before topics existed were told apart by their titles; carried over once.
KEYWORDS = [("升学宴", "banquets"), ("廉洁自律", "self_discipline")]


def topics_from_titles(apps, schema_editor):
    topics = {row.code: row for row in apps.get_model("core", "Topic").objects.all()}
    for keyword, code in KEYWORDS:
        for pledge in apps.get_model("pledges", "PledgeText").objects.filter(title__contains=keyword):
            pledge.topics.add(topics[code])


class Migration(migrations.Migration):
    dependencies = [("pledges", "0002_topics")]

    operations = [migrations.RunPython(topics_from_titles, migrations.RunPython.noop)]
