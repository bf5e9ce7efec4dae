"""Row locks that are taken inside a transaction and wait a bounded time, like pretix's locking.

A lock outside a transaction would be released at once (autocommit), so it is refused loudly.
On PostgreSQL the wait is bounded with `SET LOCAL lock_timeout`: a request that cannot get the
lock in time gets a "busy, try again" error instead of hanging its worker. SQLite has no row
locks; there the IMMEDIATE transaction mode (settings) serialises writers instead."""

from django.db import OperationalError, connections, router
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError

LOCK_TIMEOUT = "3s"
LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL's SQLSTATE for lock_timeout


class LockBusy(DomainError):
    error_messages = {"busy": _("The system is busy with the same item; please try again in a moment.")}


def lock_for_update(queryset, **lookup):
    """The one row of `queryset` matching `lookup`, locked until the transaction ends."""
    alias = router.db_for_write(queryset.model)
    connection = connections[alias]
    if not connection.in_atomic_block:
        raise RuntimeError("lock_for_update() must run inside transaction.atomic()")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
    try:
        return queryset.select_for_update().using(alias).get(**lookup)
    except OperationalError as error:
        if getattr(error.__cause__, "pgcode", None) == LOCK_NOT_AVAILABLE:
            raise LockBusy.for_code("busy") from error
        raise
