"""The notification service: `notify` writes the messages in the caller's transaction and hands
them to the background job once it commits, so a rolled-back booking sends nothing and the request
never waits for a gateway. A failed delivery is tried again later (RETRY_DELAYS), then given up;
every attempt is logged and kept on the row."""

import dataclasses
import datetime
import logging

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone

from notifications.channels import DeliveryFailed, deliver
from notifications.models import Notification

logger = logging.getLogger("notifications")

# Waits before the second, third … attempt; after the last one the message is marked failed.
RETRY_DELAYS = (datetime.timedelta(minutes=1), datetime.timedelta(minutes=10), datetime.timedelta(hours=1))


@dataclasses.dataclass(frozen=True)
class Message:
    channel: str
    address: str
    body: str
    subject: str = ""


def notify(*, event: str, messages: list[Message], about=None, once: bool = False) -> list[Notification]:
    """Record `messages` about `about` (a booking …) and deliver them after the transaction
    commits. With `once`, an event is sent at most once per item and channel (a reminder): a
    second call, even from a concurrent run, writes nothing."""
    content_type = ContentType.objects.get_for_model(about) if about is not None else None
    written = []
    for message in messages:
        if not message.address:
            continue
        notification = Notification(
            event=event,
            channel=message.channel,
            address=message.address,
            subject=message.subject[:200],
            body=message.body,
            content_type=content_type,
            object_id=about.pk if about is not None else None,
            once_key=f"{event}:{content_type.pk}:{about.pk}:{message.channel}" if once and about is not None else None,
        )
        try:
            with transaction.atomic():
                notification.save()
        except IntegrityError:
            if notification.once_key is None:
                raise
            continue  # sent already
        written.append(notification)
    if written:
        from notifications.tasks import deliver_notifications

        keys = [notification.pk for notification in written]
        transaction.on_commit(lambda: deliver_notifications.delay(keys))
    return written


def notification_deliver(notification: Notification) -> bool:
    """Try to deliver one queued message now; True if it went. A failure schedules the next try
    or, after the last, marks it failed."""
    with transaction.atomic():
        stored = Notification.objects.select_for_update(skip_locked=True).filter(pk=notification.pk).first()
        if stored is None or stored.status in (Notification.Status.SENT, Notification.Status.FAILED):
            return False  # another worker has it, or it is done
        stored.attempts += 1
        try:
            deliver(stored.channel, stored.address, stored.subject, stored.body)
        except DeliveryFailed as error:
            stored.last_error = str(error)[:500]
            if stored.attempts > len(RETRY_DELAYS):
                stored.status, stored.next_attempt_at = Notification.Status.FAILED, None
            else:
                stored.status = Notification.Status.RETRYING
                stored.next_attempt_at = timezone.now() + RETRY_DELAYS[stored.attempts - 1]
            logger.warning(
                "Notification %s (%s) attempt %d failed: %s", stored.pk, stored.event, stored.attempts, error
            )
            stored.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
            return False
        stored.status, stored.sent_at, stored.next_attempt_at = Notification.Status.SENT, timezone.now(), None
        stored.save(update_fields=["attempts", "status", "sent_at", "next_attempt_at"])
        logger.info("Notification %s (%s) sent by %s", stored.pk, stored.event, stored.channel)
        return True


def notifications_deliver_due(now: datetime.datetime | None = None) -> int:
    """Deliver the messages whose next try is due (and any left queued, e.g. while no worker ran).
    Run every minute by the scheduler; returns how many went."""
    now = now or timezone.now()
    due = Notification.objects.filter(status=Notification.Status.RETRYING, next_attempt_at__lte=now) | (
        Notification.objects.filter(status=Notification.Status.QUEUED, created_at__lte=now - RETRY_DELAYS[0])
    )
    return sum(notification_deliver(notification) for notification in due.order_by("pk")[:500])


def notifications_erase_addresses(about_model, keys) -> int:
    """Erase the addresses and texts of the messages about these items (personal data past its
    retention period); the rows stay, so the counts of what was sent stay true."""
    content_type = ContentType.objects.get_for_model(about_model)
    return Notification.objects.filter(content_type=content_type, object_id__in=list(keys)).update(
        address="", body="", subject=""
    )
