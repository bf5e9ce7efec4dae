"""Periodic jobs of the bases (config/settings.py CELERY_BEAT_SCHEDULE; cron runs the same work
through the management commands when no scheduler runs)."""

from celery import shared_task

from bases.services import booking_contacts_erase_expired, booking_reminders_send


@shared_task
def send_booking_reminders() -> int:
    return booking_reminders_send()


@shared_task
def erase_expired_contacts() -> int:
    return booking_contacts_erase_expired()
