import time

from django.core.management.base import BaseCommand

from search.services import index_rebuild


class Command(BaseCommand):
    help = "Derive the site search index again from every item the site shows (after an upgrade or a bulk load)."

    def handle(self, *args, verbosity=1, **options):
        started = time.monotonic()
        progress = (lambda count: self.stdout.write(f"\r{count} …", ending="")) if verbosity else None
        written = index_rebuild(progress=progress)
        if verbosity:
            self.stdout.write("")
            seconds = time.monotonic() - started
            message = f"搜索索引已重建：{written} 条，{seconds:.1f} 秒 / {written} items indexed"
            self.stdout.write(self.style.SUCCESS(message))
