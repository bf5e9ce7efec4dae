"""Roles that cannot escalate: crafted requests from the back office are refused."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from units.models import Membership, Unit

User = get_user_model()


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", password="Root-pass-9-long-enough")


@pytest.fixture
def commission_client(client, commission_admin):
    client.force_login(commission_admin)
    return client


def test_a_commission_admin_cannot_touch_a_superuser(commission_client, superuser):
    for name in ["change", "password_change", "history", "delete"]:
        url = reverse(f"admin:auth_user_{name}", args=[superuser.pk])
        assert commission_client.get(url).status_code in (302, 403, 404), name
    response = commission_client.post(
        reverse("admin:auth_user_password_change", args=[superuser.pk]),
        {"password1": "Taken-over-2026-x", "password2": "Taken-over-2026-x"},
    )
    assert response.status_code in (302, 403, 404)
    superuser.refresh_from_db()
    assert superuser.check_password("Root-pass-9-long-enough") and superuser.is_active
    page = commission_client.get(reverse("admin:auth_user_changelist")).content.decode()
    assert "root" not in page


def test_a_commission_admin_grants_no_flags_or_permissions_by_a_crafted_post(commission_client, cadre_a):
    page = commission_client.get(reverse("admin:auth_user_change", args=[cadre_a.pk]))
    form = page.context["adminform"].form
    assert not {"is_staff", "is_superuser", "groups", "user_permissions"} & set(form.fields)
    data = {name: value for name, value in form.initial.items() if value is not None and name in form.fields}
    data.update(
        {
            "is_staff": "on",
            "is_superuser": "on",
            "groups": [Group.objects.get_or_create(name="纪委管理员")[0].pk],
            "membership-TOTAL_FORMS": 1,
            "membership-INITIAL_FORMS": 1,
            "membership-0-id": cadre_a.membership.pk,
            "membership-0-user": cadre_a.pk,
            "membership-0-unit": cadre_a.membership.unit_id,
            "membership-0-role": Membership.Role.CADRE,
            "membership-0-is_cadre": "on",
            "_save": "保存",
        }
    )
    data["last_login"] = ""
    commission_client.post(reverse("admin:auth_user_change", args=[cadre_a.pk]), data)
    cadre_a.refresh_from_db()
    assert not cadre_a.is_superuser and not cadre_a.is_staff and not cadre_a.groups.exists()


def test_only_superusers_edit_the_role_groups(commission_client, superuser, client):
    group, _created = Group.objects.get_or_create(name="单位填报员")
    assert commission_client.get(reverse("admin:auth_group_changelist")).status_code == 403
    assert commission_client.get(reverse("admin:auth_group_change", args=[group.pk])).status_code == 403
    client.force_login(superuser)
    assert client.get(reverse("admin:auth_group_change", args=[group.pk])).status_code == 200


@pytest.mark.parametrize("kind", [Unit.Kind.CITY, Unit.Kind.TOWNSHIP, Unit.Kind.ORGAN])
def test_township_staff_cannot_create_units_that_distort_the_sectors(client, staff_a, township_a, kind):
    client.force_login(staff_a)
    form = client.get(reverse("admin:units_unit_add")).context["adminform"].form
    assert kind not in {value for value, _label in form.fields["kind"].choices}
    response = client.post(
        reverse("admin:units_unit_add"),
        {"name": "伪造单位", "kind": kind, "parent": township_a.pk, "code": "FAKE", "order": 0, "is_active": "on"},
    )
    assert response.status_code in (200, 403)
    assert not Unit.objects.filter(code="FAKE").exists()


def test_township_staff_still_add_a_village(client, staff_a, township_a):
    client.force_login(staff_a)
    response = client.post(
        reverse("admin:units_unit_add"),
        {
            "name": "新村",
            "kind": Unit.Kind.VILLAGE,
            "parent": township_a.pk,
            "code": "NEW",
            "order": 0,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert Unit.objects.get(code="NEW").kind == Unit.Kind.VILLAGE
