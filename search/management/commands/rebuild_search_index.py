import time

from django.core.management.base import BaseCommand

from search.services import index_rebuild


class Command(BaseCommand):
    help = "Derive the site search index again from every item the site shows (after an upgrade or a bulk load)."

    def handle(self, *args, **options):
        started = time.monotonic()
        written = index_rebuild(progress=lambda count: self.stdout.write(f"\r{count} …", ending=""))
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"{written} items indexed in {time.monotonic() - started:.1f} s."))
