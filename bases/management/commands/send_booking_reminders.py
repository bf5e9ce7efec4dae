from django.core.management.base import BaseCommand

from bases.services import REMINDER_DAYS_BEFORE, booking_reminders_send


class Command(BaseCommand):
    help = f"Remind the bookers of confirmed visits in {REMINDER_DAYS_BEFORE} days, once each (run daily)."

    def handle(self, *args, **options):
        reminded = booking_reminders_send()
        self.stdout.write(f"已提醒 {reminded} 个预约 / {reminded} bookings reminded")
