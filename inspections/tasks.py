"""Periodic job of the holiday-inspection calendar (config/settings.py CELERY_BEAT_SCHEDULE; cron
runs the same work through `manage.py send_inspection_reminders` when no scheduler runs)."""

from celery import shared_task

from inspections.services import inspection_reminders_send


@shared_task
def send_inspection_reminders() -> int:
    return inspection_reminders_send()
