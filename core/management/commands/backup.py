from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Write one .tar.gz archive of the site: the database (pg_dump or a SQLite copy), MEDIA_ROOT, "
        "PRIVATE_MEDIA_ROOT and a manifest (migrations, versions, row counts, SHA-256 of every file). "
        "See docs/operations.md."
    )
    requires_system_checks = []  # a backup or a restore runs even when a system check fails

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            help="archive to write, or a folder for the default name (default: var/backups/qingfeng-<time>.tar.gz)",
        )

    def handle(self, *args, **options):
        try:
            create_backup(options["output"], log=self.stdout.write)
        except (BackupError, DatabaseError, OSError) as error:
            raise CommandError(f"备份失败 / backup failed: {error}") from error
