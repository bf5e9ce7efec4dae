from django.core.management.base import BaseCommand

from inspections.services import inspection_reminders_send


class Command(BaseCommand):
    help = "Remind unit staff by email before each holiday supervision period starts, once each (run daily)."

    def handle(self, *args, **options):
        written = inspection_reminders_send()
        self.stdout.write(f"已发送 {written} 条节点监督提醒 / {written} inspection reminders written")
