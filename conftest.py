import pytest

from units.models import Membership, Unit
from units.tests.factories import UnitFactory, make_member


@pytest.fixture
def city(db):
    return UnitFactory(name="云岭市", kind=Unit.Kind.CITY, code="CITY")


@pytest.fixture
def township_a(city):
    return UnitFactory(name="东山镇", parent=city, code="T-A", order=1)


@pytest.fixture
def township_b(city):
    return UnitFactory(name="西河镇", parent=city, code="T-B", order=2)


@pytest.fixture
def village_a(township_a):
    return UnitFactory(name="向阳村", kind=Unit.Kind.VILLAGE, parent=township_a, code="T-A-V1")


@pytest.fixture
def village_b(township_b):
    return UnitFactory(name="河口村", kind=Unit.Kind.VILLAGE, parent=township_b, code="T-B-V1")


@pytest.fixture
def staff_a(township_a):
    """Unit staff (填报员) of township A."""
    return make_member(township_a, Membership.Role.UNIT_STAFF, username="staff_a")


@pytest.fixture
def commission_admin(city):
    return make_member(city, Membership.Role.COMMISSION_ADMIN, username="commission")


@pytest.fixture
def cadre_a(village_a):
    return make_member(village_a, Membership.Role.CADRE, username="cadre_a")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with empty caches (throttles, counters and cached pages live there)."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@pytest.fixture(autouse=True)
def _second_factor_passed_at_login():
    """Staff whom a test logs in (client.force_login, client.login, a browser on the live server)
    count as having passed two-factor authentication, so tests about other things reach the admin.
    Production code has no such switch; security/tests override this fixture to test the real
    gate (see security/tests/mfa.py)."""
    from security.tests.mfa import second_factor_passed_at_login

    with second_factor_passed_at_login():
        yield
