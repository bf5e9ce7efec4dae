from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.history import record_actor
from publications.models import Publication, ReadReceipt, audiences_for
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
