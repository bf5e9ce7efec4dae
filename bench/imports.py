"""Time the activity-record import over a generated workbook (in-process, rolled back).

    DJANGO_DEBUG=1 DATABASE_URL=… .venv/bin/python bench/imports.py --rows 10000 50000

For each size: a workbook of valid rows for the township units of the first commission admin's
scope, the seconds `activity_import` takes and the number of SQL queries it sends. The import
runs inside a transaction that is rolled back, so the database is left as it was."""

import argparse
import datetime
import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from campaigns.models import ActivityKind  # noqa: E402
from campaigns.services import IMPORT_COLUMNS, activity_import  # noqa: E402
from core.spreadsheets import workbook_bytes  # noqa: E402
from units.models import Membership  # noqa: E402
from units.scoping import units_for  # noqa: E402


class Rollback(Exception):
    pass


def workbook(units, size: int) -> io.BytesIO:
    kinds = [str(label) for label in ActivityKind.labels]
    first = datetime.date(2020, 1, 1)
    rows = [
        [
            units[index % len(units)].code,
            first + datetime.timedelta(days=index % 1500),
            kinds[index % len(kinds)],
            f"导入测试活动{index}",
            "",
            1 + index % 3,
            20 + index % 50,
            index % 4,
            "",
            "",
            "",
            "",
            "",
            "测速",
        ]
        for index in range(size)
    ]
    upload = io.BytesIO(workbook_bytes([("活动记录", [IMPORT_COLUMNS, *rows])]))
    upload.name = "bench.xlsx"
    return upload


def measure(size: int) -> tuple[float, int]:
    admin = Membership.objects.filter(role=Membership.Role.COMMISSION_ADMIN).select_related("user").first().user
    units = list(units_for(admin).order_by("pk")[:200])
    upload = workbook(units, size)
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        try:
            with transaction.atomic():
                created, _ = activity_import(workbook_file=upload, units=units_for(admin), actor=admin)
                if created != size:
                    raise SystemExit(f"expected {size} new records, the import created {created}")
                raise Rollback
        except Rollback:
            pass
    return time.perf_counter() - started, len(queries)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="+", default=[10000])
    arguments = parser.parse_args()
    print(f"{'rows':>8} {'seconds':>8} {'queries':>8}")
    for size in arguments.rows:
        seconds, queries = measure(size)
        print(f"{size:>8} {seconds:>8.2f} {queries:>8}")


if __name__ == "__main__":
    main()
