import time

from django.core.management.base import BaseCommand

from search.services import index_rebuild
from search.tasks import rebuild_search_index


class Command(BaseCommand):
    help = "Derive the site search index again from every item the site shows (after an upgrade or a bulk load)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--in-background",
            action="store_true",
            help="Leave the work to the job worker (with a broker; without one it runs here all the same).",
        )

    def handle(self, *args, verbosity=1, in_background=False, **options):
        if in_background:
            result = rebuild_search_index.delay()
            if verbosity:
                self.stdout.write(f"已交给后台任务 / queued for the worker: {result.id}")
            return
        started = time.monotonic()
        progress = (lambda count: self.stdout.write(f"\r{count} …", ending="")) if verbosity else None
        written = index_rebuild(progress=progress)
        if verbosity:
            self.stdout.write("")
            seconds = time.monotonic() - started
            message = f"搜索索引已重建：{written} 条，{seconds:.1f} 秒 / {written} items indexed"
            self.stdout.write(self.style.SUCCESS(message))
