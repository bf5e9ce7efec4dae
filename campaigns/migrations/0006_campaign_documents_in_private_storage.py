# Campaign documents leave public media (where the document of a draft could be fetched by guessing
# its original name) for private storage under random names, served by a view that checks who asks.

import posixpath
import secrets

import campaigns.models
import core.storage
from django.core.files.storage import default_storage
from django.db import migrations, models, transaction


def _move_documents(apps, schema_editor, source, target):
    """Copy every campaign document from `source` to `target` under a random name, point the
    campaign and the history rows that named the old file to the copy, and remove the old files
    once the migration has committed (a failed migration leaves them where they were). A row whose
    file is missing keeps its name: the download answers 404 as it did."""
    Campaign = apps.get_model("campaigns", "Campaign")
    HistoricalCampaign = apps.get_model("campaigns", "HistoricalCampaign")
    moved = {}
    for campaign in Campaign.objects.exclude(document="").only("pk", "document").order_by("pk"):
        old = campaign.document.name
        if old not in moved:
            if not source.exists(old):
                continue
            extension = posixpath.splitext(old)[1].lower()[:8]
            with source.open(old, "rb") as file:
                moved[old] = target.save(f"campaigns/documents/{secrets.token_hex(16)}{extension}", file)
        Campaign.objects.filter(pk=campaign.pk).update(document=moved[old])
    for old, new in moved.items():
        HistoricalCampaign.objects.filter(document=old).update(document=new)

    def remove_old_files():
        for old in moved:
            source.delete(old)

    transaction.on_commit(remove_old_files, using=schema_editor.connection.alias)


def documents_to_private_storage(apps, schema_editor):
    _move_documents(apps, schema_editor, default_storage, core.storage.private_storage())


def documents_to_public_media(apps, schema_editor):
    _move_documents(apps, schema_editor, core.storage.private_storage(), default_storage)


class Migration(migrations.Migration):

    dependencies = [
        ('campaigns', '0005_topics_from_legacy_titles'),
    ]

    operations = [
        migrations.AlterField(
            model_name='campaign',
            name='document',
            field=models.FileField(blank=True, storage=core.storage.private_storage, upload_to=campaigns.models.campaign_document_path, verbose_name='document file'),
        ),
        migrations.RunPython(documents_to_private_storage, documents_to_public_media),
    ]
