from django.core.management.base import BaseCommand

from bases.services import booking_contacts_erase_expired


class Command(BaseCommand):
    help = "Erase booking contact names and phones past the retention period (run daily)."

    def handle(self, *args, **options):
        erased = booking_contacts_erase_expired()
        self.stdout.write(f"erased the contacts of {erased} bookings")
