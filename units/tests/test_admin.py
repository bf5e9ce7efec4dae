"""The unit scoping rule, proved through the admin as staff would meet it."""

import io

import openpyxl
import pytest
from django.urls import reverse

from units.models import Unit
from units.tests.factories import UnitFactory


@pytest.fixture
def staff_client(client, staff_a):
    client.force_login(staff_a)
    return client


def test_staff_changelist_shows_only_their_subtree(staff_client, township_a, village_a, township_b, village_b):
    response = staff_client.get(reverse("admin:units_unit_changelist"))
    assert response.status_code == 200
    names = {unit.name for unit in response.context["cl"].result_list}
    assert names == {"东山镇", "向阳村"}
    assert "西河镇" not in response.content.decode()


def test_staff_search_stays_inside_the_subtree(staff_client, village_a, village_b):
    response = staff_client.get(reverse("admin:units_unit_changelist"), {"q": "村"})
    assert [unit.name for unit in response.context["cl"].result_list] == ["向阳村"]


def test_staff_cannot_open_another_townships_unit(staff_client, village_b):
    response = staff_client.get(reverse("admin:units_unit_change", args=[village_b.pk]), follow=True)
    assert response.redirect_chain  # sent away to the admin index
    assert "河口村" not in response.content.decode()
    history = staff_client.get(reverse("admin:units_unit_history", args=[village_b.pk]))
    assert history.status_code != 200 or "河口村" not in history.content.decode()


def test_staff_foreign_key_choices_are_their_subtree(staff_client, township_a, village_a, township_b):
    response = staff_client.get(reverse("admin:units_unit_add"))
    choices = {unit.name for unit in response.context["adminform"].form.fields["parent"].queryset}
    assert choices == {"东山镇", "向阳村"}


def test_staff_autocomplete_offers_only_their_subtree(staff_client, township_a, village_a, township_b, village_b):
    response = staff_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "units", "model_name": "unit", "field_name": "parent", "term": ""},
    )
    assert response.status_code == 200
    assert {item["text"] for item in response.json()["results"]} == {"东山镇", "向阳村"}


def test_crafted_post_into_another_township_is_refused(staff_client, township_a, township_b):
    response = staff_client.post(
        reverse("admin:units_unit_add"),
        {
            "name": "冒名村",
            "kind": Unit.Kind.VILLAGE,
            "parent": township_b.pk,
            "code": "FAKE",
            "order": 0,
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    assert not Unit.objects.filter(code="FAKE").exists()


def test_staff_add_a_village_under_their_township(staff_client, township_a):
    response = staff_client.post(
        reverse("admin:units_unit_add"),
        {
            "name": "新建村",
            "kind": Unit.Kind.VILLAGE,
            "parent": township_a.pk,
            "code": "NEW",
            "order": 0,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    new = Unit.objects.get(code="NEW")
    assert new.is_within(township_a)


def test_new_rows_default_to_the_users_unit(staff_client, township_a):
    response = staff_client.get(reverse("admin:units_unit_add"))
    assert response.context["adminform"].form.initial["parent"] == township_a.pk


def test_commission_admin_sees_every_unit(client, commission_admin, village_a, village_b):
    client.force_login(commission_admin)
    response = client.get(reverse("admin:units_unit_changelist"))
    names = {unit.name for unit in response.context["cl"].result_list}
    assert {"云岭市", "东山镇", "向阳村", "西河镇", "河口村"} <= names


def test_cadre_cannot_enter_the_admin(client, cadre_a):
    client.force_login(cadre_a)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
    assert client.get(reverse("admin:units_unit_changelist")).status_code == 302


def test_staff_export_holds_only_their_subtree_and_no_formula(staff_client, township_a, township_b, village_b):
    UnitFactory(name='=HYPERLINK("http://evil","点我")', kind=Unit.Kind.VILLAGE, parent=township_a, code="EVIL")
    UnitFactory(name="@SUM(1+1)", kind=Unit.Kind.VILLAGE, parent=township_a, code="EVIL2")
    response = staff_client.post(
        reverse("admin:units_unit_export"),
        {"format": "0", **{f"unitresource_{name}": "on" for name in ["id", "name", "kind", "parent", "code"]}},
    )
    assert response.status_code == 200, response.content[:500]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    cells = [cell.value for row in workbook.active.iter_rows() for cell in row if cell.value is not None]
    texts = [str(value) for value in cells]
    assert any("HYPERLINK" in text for text in texts)
    assert not any(text.startswith(("=", "+", "-", "@")) for text in texts)
    assert "西河镇" not in texts and "河口村" not in texts
