"""Background jobs of the notifications (run by Celery, or at once without a broker)."""

from celery import shared_task

from notifications.models import Notification
from notifications.services import notification_deliver, notifications_deliver_due


@shared_task
def deliver_notifications(keys: list[int]) -> None:
    for notification in Notification.objects.filter(pk__in=keys).order_by("pk"):
        notification_deliver(notification)


@shared_task
def deliver_due_notifications() -> int:
    return notifications_deliver_due()
