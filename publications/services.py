import secrets

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from core.history import record_actor
from core.watermark import stamp_docx, stamp_image, stamp_pdf
from publications.models import Attachment, AttachmentDelivery, Publication, ReadReceipt, audiences_for
from units.review import review_sync
from units.scoping import user_membership


@transaction.atomic
def publication_save(*, publication: Publication, actor) -> Publication:
    """Validate (issue numbers unique in series and year) and save; the publish time is stamped
    by the system the first time the item is published and never changes after."""
    review_sync(publication)
    if publication.is_published and publication.published_at is None:
        publication.published_at = timezone.now()
    publication.full_clean()
    record_actor(publication, actor)
    publication.save()
    return publication


def receipt_confirm(*, publication: Publication, user) -> ReadReceipt:
    """Record that a cadre studied an item. Confirming again (a double click, a second tab)
    returns the first receipt."""
    membership = user_membership(user)
    if membership is None or publication.audience not in audiences_for(user) or not publication.is_published:
        raise PermissionDenied
    try:
        with transaction.atomic():
            receipt = ReadReceipt.objects.filter(publication=publication, user=user).first()
            if receipt is None:
                receipt = ReadReceipt(publication=publication, user=user, unit=membership.unit)
                record_actor(receipt, user)
                receipt.save()
    except IntegrityError:
        receipt = ReadReceipt.objects.get(publication=publication, user=user)
    return receipt


class DeliveryError(DomainError):
    error_messages = {
        "unsupported_type": _(
            "This restricted file (%(name)s) cannot carry a watermark, so it is not handed out online. "
            "Please ask the issuing unit (%(unit)s) for a copy."
        ),
    }


# Content type of an attachment → the function that stamps it (core/watermark.py).
STAMPS = {
    "application/pdf": stamp_pdf,
    "image/jpeg": stamp_image,
    "image/png": stamp_image,
    "image/webp": stamp_image,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": stamp_docx,
}
# No 0/O or 1/I/L: a code read off a photocopy or over the telephone is typed back without doubt.
TRACE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
TRACE_LENGTH = 8


def attachment_deliver(*, attachment: Attachment, user, client_address: str | None = None):
    """A copy of a restricted attachment stamped for `user` (name, unit, time, a new trace code on
    every page), and the AttachmentDelivery row that records it: (delivery, bytes). The original
    is never returned. Raises PermissionDenied if the user may not read the item, DeliveryError
    for a type that cannot be stamped, WatermarkError for a file that cannot be read (no row is
    written then); FileNotFoundError if the stored file is gone."""
    publication = attachment.publication
    if not (user.is_authenticated and publication.is_published and publication.audience in audiences_for(user)):
        raise PermissionDenied
    stamp = STAMPS.get(attachment.content_type)
    if stamp is None:
        raise DeliveryError.for_code(
            "unsupported_type", name=attachment.original_name, unit=publication.issuing_unit.name
        )
    membership = user_membership(user)
    unit = membership.unit if membership else None
    reader_name = user.get_full_name() or user.get_username()
    now = timezone.now()
    code = _new_trace_code()
    lines = [
        f"{reader_name} {unit.name}" if unit else reader_name,
        timezone.localtime(now).strftime("%Y-%m-%d %H:%M"),
        gettext("Trace code %(code)s") % {"code": code},
    ]
    with attachment.file.open("rb") as original:
        stamped = stamp(original.read(), lines)
    delivery = AttachmentDelivery(
        attachment=attachment,
        file_name=attachment.original_name,
        user=user,
        reader_name=reader_name,
        unit=unit,
        trace_code=code,
        delivered_at=now,
        client_address=client_address,
    )
    delivery.full_clean()
    record_actor(delivery, user)
    delivery.save()
    return delivery, stamped


def _new_trace_code() -> str:
    """A code no delivery has used (31⁸ ≈ 8.5·10¹¹ of them: a repeat is checked, not expected)."""
    while True:
        code = "".join(secrets.choice(TRACE_ALPHABET) for _position in range(TRACE_LENGTH))
        if not AttachmentDelivery.objects.filter(trace_code=code).exists():
            return code
