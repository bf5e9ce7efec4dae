import pytest
from django.db import transaction

from core.locking import lock_for_update
from core.models import SiteSettings


@pytest.mark.django_db(transaction=True)
def test_a_row_lock_outside_a_transaction_is_refused():
    """In autocommit the lock would be released at once and protect nothing."""
    SiteSettings.load()
    with pytest.raises(RuntimeError, match=r"inside transaction\.atomic"):
        lock_for_update(SiteSettings.objects.all(), pk=1)


@pytest.mark.django_db(transaction=True)
def test_a_row_lock_inside_a_transaction_returns_the_row():
    SiteSettings.load()
    with transaction.atomic():
        assert lock_for_update(SiteSettings.objects.all(), pk=1).pk == 1
