from django.db import migrations

SECTORS = [
    ("organs", "机关", "廉洁文化进机关", 1),
    ("communities", "社区", "廉洁文化进社区", 2),
    ("enterprises", "企业", "廉洁文化进企业", 3),
    ("schools", "学校", "廉洁文化进学校", 4),
    ("villages", "农村", "廉洁文化进农村", 5),
]


def create_sectors(apps, schema_editor):
    sector_model = apps.get_model("campaigns", "Sector")
    for code, name, title, order in SECTORS:
        sector_model.objects.update_or_create(code=code, defaults={"name": name, "title": title, "order": order})


def remove_sectors(apps, schema_editor):
    apps.get_model("campaigns", "Sector").objects.filter(code__in=[code for code, *_rest in SECTORS]).delete()


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0001_initial")]

    operations = [migrations.RunPython(create_sectors, remove_sectors)]
