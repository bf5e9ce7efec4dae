"""Database helpers that depend on the engine."""

import contextlib

from django.conf import settings
from django.db import connection, transaction


@contextlib.contextmanager
def read_only_transaction():
    """A transaction that cannot write and whose statements stop after
    settings.REPORT_STATEMENT_TIMEOUT_MS on PostgreSQL: for reports, which read every row of
    several apps and must neither change anything nor hold a worker without end. On SQLite it is a
    plain transaction (one consistent read). Inside a transaction already open (a test's, a job's)
    it adds nothing: a transaction's mode is set before its first statement."""
    if connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SET TRANSACTION READ ONLY; SELECT set_config('statement_timeout', %s, true)",
                    [str(settings.REPORT_STATEMENT_TIMEOUT_MS)],
                )
        yield
