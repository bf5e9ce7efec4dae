"""Unit staff keep the cadre roster of their subtree in the admin, without granting any rights."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from units.models import Membership
from units.tests.factories import make_member

User = get_user_model()
PASSWORD = "Tiger-Lamp-5821-river"
ADMIN_FIELDS = ("is_staff", "is_superuser", "groups", "user_permissions")


@pytest.fixture
def staff_client(client, staff_a):
    client.force_login(staff_a)
    return client


def new_cadre(unit, **extra):
    return {
        "username": "wangwu",
        "full_name": "王五",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "unit": unit.pk,
        "position": "村委委员",
        "is_cadre": "on",
        **extra,
    }


def change_data(membership, **extra):
    return {
        "full_name": membership.user.first_name,
        "unit": membership.unit_id,
        "position": membership.position,
        "is_cadre": "on",
        **extra,
    }


def test_staff_roster_lists_their_subtree_only(staff_client, cadre_a, village_b, django_assert_max_num_queries):
    make_member(village_b, username="b_cadre", first_name="西河干部")
    for number in range(20):
        make_member(cadre_a.membership.unit, username=f"a{number}")
    with django_assert_max_num_queries(14):
        response = staff_client.get(reverse("admin:units_membership_changelist"))
    assert response.status_code == 200
    listed = {membership.user.username for membership in response.context["cl"].result_list}
    assert "cadre_a" in listed and "b_cadre" not in listed and "staff_a" not in listed
    assert "西河干部" not in response.content.decode() and "河口村" not in response.content.decode()


def test_staff_add_a_cadre_who_can_then_log_in(staff_client, staff_a, village_a, client):
    response = staff_client.post(reverse("admin:units_membership_add"), new_cadre(village_a))
    assert response.status_code == 302
    user = User.objects.get(username="wangwu")
    assert (user.first_name, user.membership.unit, user.membership.position) == ("王五", village_a, "村委委员")
    assert user.membership.role == Membership.Role.CADRE and user.membership.is_cadre
    assert user.check_password(PASSWORD)
    assert user.membership.history.first().history_user == staff_a


def test_add_form_offers_no_role_and_no_admin_rights(staff_client):
    response = staff_client.get(reverse("admin:units_membership_add"))
    fields = set(response.context["adminform"].form.fields)
    assert fields == {"username", "full_name", "password1", "password2", "unit", "position", "is_cadre"}
    page = response.content.decode()
    for name in ("role", *ADMIN_FIELDS):
        assert f'name="{name}"' not in page
    assert "党员干部" in page  # the role shown, not chosen


def test_staff_cannot_grant_a_role_or_admin_rights_by_a_crafted_post(staff_client, village_a):
    crafted = new_cadre(
        village_a, role=Membership.Role.COMMISSION_ADMIN, is_staff="on", is_superuser="on", groups=["1"]
    )
    assert staff_client.post(reverse("admin:units_membership_add"), crafted).status_code == 302
    user = User.objects.get(username="wangwu")
    assert user.membership.role == Membership.Role.CADRE
    assert not user.is_staff and not user.is_superuser and not user.groups.exists()
    assert not user.user_permissions.exists()


def test_staff_cannot_add_a_cadre_to_a_unit_outside_their_subtree(staff_client, village_b):
    response = staff_client.post(reverse("admin:units_membership_add"), new_cadre(village_b))
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    assert not User.objects.filter(username="wangwu").exists()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"username": "cadre_a"}, "该登录名已被使用"),
        ({"password2": "Another-pass-2026"}, "两次输入的密码不一致"),
        ({"password1": "12345678", "password2": "12345678"}, "这个密码太常见了"),
        ({"full_name": ""}, "这个字段是必填项"),
    ],
)
def test_bad_new_cadres_are_refused_with_a_message(staff_client, village_a, cadre_a, extra, message):
    response = staff_client.post(reverse("admin:units_membership_add"), new_cadre(village_a, **extra))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(username="wangwu").exists()


def test_staff_move_a_cadre_within_their_subtree(staff_client, staff_a, cadre_a, township_a):
    membership = cadre_a.membership
    response = staff_client.post(
        reverse("admin:units_membership_change", args=[membership.pk]),
        change_data(membership, unit=township_a.pk, position="副镇长", full_name="张三"),
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    cadre_a.refresh_from_db()
    assert (membership.unit, membership.position, cadre_a.first_name) == (township_a, "副镇长", "张三")
    assert membership.role == Membership.Role.CADRE and not cadre_a.is_staff
    assert membership.history.first().history_user == staff_a


def test_staff_cannot_move_a_cadre_out_of_their_subtree(staff_client, cadre_a, village_a, village_b):
    membership = cadre_a.membership
    response = staff_client.post(
        reverse("admin:units_membership_change", args=[membership.pk]), change_data(membership, unit=village_b.pk)
    )
    assert response.status_code == 200 and "选择一个有效的选项" in response.content.decode()
    membership.refresh_from_db()
    assert membership.unit == village_a


def test_staff_cannot_open_another_townships_cadre(staff_client, village_b):
    other = make_member(village_b, username="b_cadre").membership
    response = staff_client.get(reverse("admin:units_membership_change", args=[other.pk]), follow=True)
    assert "b_cadre" not in response.content.decode()
    crafted = staff_client.post(
        reverse("admin:units_membership_change", args=[other.pk]), change_data(other, position="伪造")
    )
    assert crafted.status_code in (302, 404)
    other.refresh_from_db()
    assert other.position == "科员"


def test_other_staff_are_not_on_the_staffs_roster(staff_client, village_a):
    colleague = make_member(village_a, Membership.Role.UNIT_STAFF, username="colleague").membership
    assert "colleague" not in staff_client.get(reverse("admin:units_membership_changelist")).content.decode()
    staff_client.post(
        reverse("admin:units_membership_change", args=[colleague.pk]), change_data(colleague, position="改了")
    )
    colleague.refresh_from_db()
    assert colleague.position == "科员" and colleague.role == Membership.Role.UNIT_STAFF


def test_staff_deactivate_and_reactivate_a_cadre(staff_client, cadre_a, village_b, client):
    other = make_member(village_b, username="b_cadre")
    changelist = reverse("admin:units_membership_changelist")
    response = staff_client.post(
        changelist, {"action": "deactivate", "_selected_action": [cadre_a.membership.pk, other.membership.pk]}
    )
    assert response.status_code == 302
    cadre_a.refresh_from_db()
    other.refresh_from_db()
    assert not cadre_a.is_active and not cadre_a.membership.is_cadre  # off the roster
    assert other.is_active and other.membership.is_cadre  # another township's cadre is untouched
    assert "1 名人员已停用" in staff_client.get(changelist).content.decode()
    staff_client.post(changelist, {"action": "reactivate", "_selected_action": [cadre_a.membership.pk]})
    cadre_a.refresh_from_db()
    assert cadre_a.is_active and cadre_a.membership.is_cadre


def test_staff_cannot_deactivate_themselves_or_other_staff(staff_client, staff_a, village_a):
    colleague = make_member(village_a, Membership.Role.UNIT_STAFF, username="colleague")
    staff_client.post(
        reverse("admin:units_membership_changelist"),
        {"action": "deactivate", "_selected_action": [staff_a.membership.pk, colleague.membership.pk]},
    )
    staff_a.refresh_from_db()
    colleague.refresh_from_db()
    assert staff_a.is_active and colleague.is_active


def test_nobody_deletes_a_membership_here(staff_client, cadre_a):
    response = staff_client.get(reverse("admin:units_membership_delete", args=[cadre_a.membership.pk]))
    assert response.status_code == 403
    assert "delete_selected" not in staff_client.get(reverse("admin:units_membership_changelist")).content.decode()


def test_commission_admin_may_give_a_back_office_role(client, commission_admin, township_b):
    client.force_login(commission_admin)
    response = client.post(
        reverse("admin:units_membership_add"), new_cadre(township_b, role=Membership.Role.UNIT_STAFF)
    )
    assert response.status_code == 302
    user = User.objects.get(username="wangwu")
    assert user.membership.role == Membership.Role.UNIT_STAFF and user.is_staff
    assert user.groups.filter(name="单位填报员").exists()


def test_a_cadre_has_no_roster(client, cadre_a):
    client.force_login(cadre_a)
    response = client.get(reverse("admin:units_membership_changelist"))
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]


def test_staff_see_the_history_of_their_cadres(staff_client, cadre_a):
    response = staff_client.get(reverse("admin:units_membership_history", args=[cadre_a.membership.pk]))
    assert response.status_code == 200
