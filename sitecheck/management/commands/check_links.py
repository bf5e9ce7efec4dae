from django.core.management.base import BaseCommand

from sitecheck.services import link_check_run, link_check_summary


class Command(BaseCommand):
    help = "Check every link of the site's rich texts and attachments, and record the broken ones (网站自查)."

    def handle(self, *args, **options):
        run = link_check_run(actor=None)
        self.stdout.write(link_check_summary(run))
