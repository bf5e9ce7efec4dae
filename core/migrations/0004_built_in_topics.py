from django.db import migrations

BUILT_IN = [
    ("rules_study", "讲规学法"),
    ("discipline_regulations", "《中国共产党纪律处分条例》学习"),
    ("calligraphy_painting", "廉洁书画创作"),
    ("banquets", "不操办“升学宴”“谢师宴”"),
    ("self_discipline", "廉洁自律"),
]


def create_topics(apps, schema_editor):
    topic = apps.get_model("core", "Topic")
    for order, (code, name) in enumerate(BUILT_IN, start=1):
        topic.objects.get_or_create(code=code, defaults={"name": name, "order": order})


def delete_topics(apps, schema_editor):
    apps.get_model("core", "Topic").objects.filter(code__in=[code for code, _name in BUILT_IN]).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0003_topics")]

    operations = [migrations.RunPython(create_topics, delete_topics)]
