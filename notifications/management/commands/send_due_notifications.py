from django.core.management.base import BaseCommand

from notifications.services import notifications_deliver_due


class Command(BaseCommand):
    help = "Deliver the notifications whose next try is due (the scheduler runs it every minute)."

    def handle(self, *args, **options):
        sent = notifications_deliver_due()
        self.stdout.write(f"已发送 {sent} 条通知 / {sent} notifications sent")
