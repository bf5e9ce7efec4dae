from django.db import migrations

# Rows entered before topics existed were classified by words in their titles. This migration
# carries that classification over once; from now on the topics are chosen in the admin and the
# report never reads titles.
CAMPAIGN_KEYWORDS = [
    ("讲规学法", "rules_study"),
    ("学法讲规", "rules_study"),
    ("纪律处分条例", "discipline_regulations"),
    ("《条例》", "discipline_regulations"),
    ("书画创作", "calligraphy_painting"),
    ("升学宴", "banquets"),
]


def topics_from_titles(apps, schema_editor):
    topic = apps.get_model("core", "Topic")
    campaign = apps.get_model("campaigns", "Campaign")
    record = apps.get_model("campaigns", "ActivityRecord")
    topics = {row.code: row for row in topic.objects.all()}
    for keyword, code in CAMPAIGN_KEYWORDS:
        for row in campaign.objects.filter(title__contains=keyword):
            row.topics.add(topics[code])
    # Lectures were counted as 《纪律处分条例》 lectures when their title named the regulations.
    for row in record.objects.filter(kind="lecture", title__contains="纪律处分条例"):
        row.topics.add(topics["discipline_regulations"])


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0004_topics_required_sessions_output_history")]

    operations = [migrations.RunPython(topics_from_titles, migrations.RunPython.noop)]
