import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore an archive written by `backup` into a new site (an empty or unused database, empty media "
        "folders) after checking its migration state and every checksum. See docs/operations.md."
    )
    requires_system_checks = []  # a backup or a restore runs even when a system check fails

    def add_arguments(self, parser):
        parser.add_argument("archive", help="the .tar.gz written by `manage.py backup`")
        parser.add_argument("--yes", action="store_true", help="restore without asking for confirmation")

    def handle(self, *args, **options):
        def confirm(summary: str) -> bool:
            self.stdout.write(summary)
            if options["yes"]:
                return True
            if not sys.stdin.isatty():
                raise BackupError("no terminal to ask for confirmation: add --yes to restore.")
            return input("输入 yes 继续 / type yes to continue: ").strip().lower() == "yes"

        try:
            restore_backup(options["archive"], confirm=confirm, log=self.stdout.write)
        except (BackupError, DatabaseError, OSError) as error:
            raise CommandError(f"恢复失败 / restore failed: {error}") from error
