from django.db import migrations
from django.db.models import Exists, OuterRef
from django.utils import timezone

# Before one-person-one-signature, a cadre could sign online and be imported from paper as well
# (same name, same unit, same text), and both counted. The paper row is voided, with a history
# row written by the system; the online signature (with the account and the certificate) stays.
REASON = "与本人的在线签名重复（同名、同单位），只计一次"
HISTORY_FIELDS = [
    "signer_name",
    "position",
    "method",
    "signed_at",
    "verification_code",
    "is_void",
    "void_reason",
    "unit_id",
    "user_id",
    "pledge_id",
    "version_id",
]


def void_paper_duplicates(apps, schema_editor):
    Signature = apps.get_model("pledges", "Signature")
    HistoricalSignature = apps.get_model("pledges", "HistoricalSignature")
    online = Signature.objects.filter(
        pledge=OuterRef("pledge"),
        unit=OuterRef("unit"),
        signer_name=OuterRef("signer_name"),
        method="online",
        is_void=False,
    )
    duplicates = list(Signature.objects.filter(method="paper", is_void=False, user__isnull=True).filter(Exists(online)))
    for signature in duplicates:
        signature.is_void, signature.void_reason = True, REASON
    Signature.objects.bulk_update(duplicates, ["is_void", "void_reason"], batch_size=500)
    now = timezone.now()
    HistoricalSignature.objects.bulk_create(
        [
            HistoricalSignature(
                id=signature.pk,
                history_date=now,
                history_type="~",
                history_user=None,
                **{name: getattr(signature, name) for name in HISTORY_FIELDS},
            )
            for signature in duplicates
        ],
        batch_size=500,
    )


class Migration(migrations.Migration):
    dependencies = [("pledges", "0003_topics_from_legacy_titles")]

    operations = [migrations.RunPython(void_paper_duplicates, migrations.RunPython.noop)]
