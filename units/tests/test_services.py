import pytest
from django.core.exceptions import ValidationError

from units.models import Membership, Unit
from units.roles import GROUP_NAMES
from units.services import membership_assign, unit_save
from units.tests.factories import UnitFactory, UserFactory


def test_subtree_holds_the_unit_and_everything_below_it(township_a, township_b, village_a, village_b):
    assert set(Unit.objects.subtree(township_a)) == {township_a, village_a}


def test_moving_a_unit_moves_its_descendants(township_a, township_b, village_a):
    school = UnitFactory(name="向阳小学", kind=Unit.Kind.SCHOOL, parent=village_a, code="SCH1")
    village_a.parent = township_b
    unit_save(unit=village_a, actor=None)
    school.refresh_from_db()
    assert set(Unit.objects.subtree(township_b)) == {township_b, village_a, school}
    assert not Unit.objects.subtree(township_a).filter(pk=school.pk).exists()
    assert school.depth == 3


def test_a_unit_cannot_be_moved_below_itself(township_a, village_a):
    township_a.parent = village_a
    with pytest.raises(ValidationError) as error:
        unit_save(unit=township_a, actor=None)
    assert "parent" in error.value.message_dict
    township_a.refresh_from_db()
    assert township_a.parent.code == "CITY"


def test_code_must_be_unique_and_plain(city):
    with pytest.raises(ValidationError):
        unit_save(unit=Unit(name="重复", kind=Unit.Kind.ORGAN, parent=city, code="CITY"), actor=None)
    with pytest.raises(ValidationError):
        unit_save(unit=Unit(name="坏代码", kind=Unit.Kind.ORGAN, parent=city, code="a/b"), actor=None)
    assert Unit.objects.count() == 1


@pytest.mark.parametrize(
    ("role", "is_staff", "group"),
    [
        (Membership.Role.CADRE, False, None),
        (Membership.Role.UNIT_STAFF, True, GROUP_NAMES["unit_staff"]),
        (Membership.Role.COMMISSION_ADMIN, True, GROUP_NAMES["commission_admin"]),
    ],
)
def test_role_gives_the_admin_access_that_goes_with_it(township_a, role, is_staff, group):
    user = UserFactory()
    membership_assign(user=user, unit=township_a, role=role, actor=None)
    user.refresh_from_db()
    assert user.is_staff is is_staff
    assert list(user.groups.values_list("name", flat=True)) == ([group] if group else [])


def test_demoting_staff_to_cadre_removes_admin_access(township_a):
    user = UserFactory()
    membership_assign(user=user, unit=township_a, role=Membership.Role.UNIT_STAFF, actor=None)
    membership_assign(user=user, unit=township_a, role=Membership.Role.CADRE, actor=None)
    user.refresh_from_db()
    assert not user.is_staff
    assert not user.groups.exists()


def test_unit_staff_group_can_keep_units_but_not_accounts(staff_a):
    assert staff_a.has_perm("units.add_unit")
    assert staff_a.has_perm("units.change_unit")
    assert not staff_a.has_perm("units.delete_unit")
    assert not staff_a.has_perm("auth.change_user")
