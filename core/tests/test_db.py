"""Reports read in a read-only transaction with their own statement timeout (PostgreSQL), and the
settings for a connection pooler in transaction mode."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.db import DatabaseError, connection

from core.db import read_only_transaction

ROOT = Path(__file__).resolve().parents[2]
postgresql_only = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").split(":", 1)[0] not in {"postgres", "postgresql"},
    reason="read-only transactions and statement timeouts are PostgreSQL's (set DATABASE_URL)",
)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_report_transaction_cannot_write():
    with pytest.raises(DatabaseError, match="read-only transaction"), read_only_transaction():
        Group.objects.create(name="报表里不该写入")
    assert not Group.objects.filter(name="报表里不该写入").exists()


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_report_statement_stops_at_the_report_timeout(settings):
    settings.REPORT_STATEMENT_TIMEOUT_MS = 100
    with (
        pytest.raises(DatabaseError, match="statement timeout"),
        read_only_transaction(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SELECT pg_sleep(2)")
    with connection.cursor() as cursor:  # the timeout ended with the transaction
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] != "100ms"


def database_settings(**env) -> dict:
    """settings.DATABASES['default'] as a web server with `env` would have it."""
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.DATABASES['default'], default=str))"
    )
    clean = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_") and key != "DATABASE_URL"}
    clean.update(DJANGO_SETTINGS_MODULE="config.settings", DJANGO_DEBUG="1", QINGFENG_SERVING="1", **env)
    result = subprocess.run(  # noqa: S603 - our own settings
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_behind_pgbouncer_in_transaction_mode_no_server_side_cursors_and_no_startup_options():
    url = "postgres://qingfeng@127.0.0.1:6432/qingfeng"
    direct = database_settings(DATABASE_URL=url)
    assert direct["DISABLE_SERVER_SIDE_CURSORS"] is False and "statement_timeout" in direct["OPTIONS"]["options"]
    pooled = database_settings(DATABASE_URL=url, DJANGO_DB_POOLER="transaction")
    assert pooled["DISABLE_SERVER_SIDE_CURSORS"] is True and "options" not in pooled["OPTIONS"]
    assert pooled["OPTIONS"]["connect_timeout"] == 3
