import pytest
from django.urls import reverse

from pledges.models import Signature
from pledges.services import signature_sign_online
from pledges.tests.factories import PledgeTextFactory


@pytest.fixture
def pledge(city):
    return PledgeTextFactory(title="廉洁自律承诺书", issuing_unit=city)


def test_anonymous_visitors_see_counts_and_are_asked_to_log_in(client, pledge, cadre_a):
    signature_sign_online(pledge=pledge, user=cadre_a)
    page = client.get(pledge.get_absolute_url()).content.decode()
    assert "已有 1 人签署" in page and "登录后签署" in page
    assert cadre_a.first_name not in page
    response = client.post(pledge.get_absolute_url())
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert Signature.objects.count() == 1


def test_list_shows_signed_and_unsigned(client, pledge, city, cadre_a):
    other = PledgeTextFactory(title="不操办升学宴承诺书", issuing_unit=city)
    signature_sign_online(pledge=pledge, user=cadre_a)
    client.force_login(cadre_a)
    page = client.get(reverse("pledges:pledge-list")).content.decode()
    assert page.count("已签署") == 1 and page.count("未签署") == 1
    assert other.title in page


def test_a_crafted_post_cannot_sign_for_someone_else(client, pledge, cadre_a, staff_a):
    client.force_login(cadre_a)
    response = client.post(
        pledge.get_absolute_url(), {"user": staff_a.pk, "unit": staff_a.membership.unit_id, "signer_name": "别人"}
    )
    signature = Signature.objects.get()
    assert response.status_code == 302
    assert signature.user == cadre_a and signature.unit.name == "向阳村" and signature.signer_name != "别人"


def test_certificate_shows_the_text_as_signed_even_after_an_edit(client, pledge, cadre_a):
    signature = signature_sign_online(pledge=pledge, user=cadre_a)
    pledge.body = "<p>全新的文字</p>"
    pledge.save()
    client.force_login(cadre_a)
    page = client.get(signature.get_absolute_url()).content.decode()
    assert "严守党的纪律" in page and "全新的文字" not in page
    assert signature.verification_code in page and "<svg" in page


def test_certificates_are_private_to_the_signer_and_their_units_staff(
    client, pledge, cadre_a, django_user_model, staff_a
):
    signature = signature_sign_online(pledge=pledge, user=cadre_a)
    client.force_login(django_user_model.objects.create_user("nosy"))
    assert client.get(signature.get_absolute_url()).status_code == 404
    client.force_login(staff_a)
    assert client.get(signature.get_absolute_url()).status_code == 200


def test_verification_shows_a_masked_name_and_nothing_else(client, pledge, cadre_a):
    signature = signature_sign_online(pledge=pledge, user=cadre_a)
    page = client.get(reverse("pledges:verify", args=[signature.verification_code])).content.decode()
    assert "廉洁自律承诺书" in page and "向阳村" in page and "干" + "*" in page
    assert cadre_a.first_name not in page and "科员" not in page and cadre_a.username not in page
    assert client.get(reverse("pledges:verify", args=["UNKNOWN123"])).status_code == 404


def test_a_typed_code_is_verified_and_an_unknown_one_is_named_as_not_found(client, pledge, cadre_a):
    signature = signature_sign_online(pledge=pledge, user=cadre_a)
    entry = reverse("pledges:verify-entry")
    assert 'name="code"' in client.get(entry).content.decode()
    typed = f" {signature.verification_code.lower()[:5]} {signature.verification_code.lower()[5:]} "
    page = client.get(entry, {"code": typed}).content.decode()
    assert "凭证真实有效" in page and "廉洁自律承诺书" in page
    response = client.get(entry, {"code": "NOSUCH0000"})
    page = response.content.decode()
    assert response.status_code == 404 and "没有验证码为“NOSUCH0000”的证书" in page and 'name="code"' in page
    assert "页面不存在" not in page


def test_staff_progress_is_scoped_to_their_subtree(client, pledge, cadre_a, staff_a, village_b):
    from units.tests.factories import make_member

    make_member(village_b, username="far", first_name="外镇干部")
    client.force_login(staff_a)
    page = client.get(reverse("admin:pledges_pledgetext_progress", args=[pledge.pk])).content.decode()
    assert "向阳村" in page and "河口村" not in page and "外镇干部" not in page


def test_staff_import_through_the_admin(client, pledge, staff_a, village_a):
    from pledges.tests.factories import paper_rows, workbook_bytes

    client.force_login(staff_a)
    upload = workbook_bytes(paper_rows(5, "向阳村"))
    response = client.post(reverse("admin:pledges_pledgetext_import", args=[pledge.pk]), {"file": upload})
    assert response.status_code == 302
    assert pledge.signatures.filter(method="paper").count() == 5
    bad = workbook_bytes([["=cmd", "向阳村", "", "2020-01-01"]])
    response = client.post(reverse("admin:pledges_pledgetext_import", args=[pledge.pk]), {"file": bad})
    assert "第 2 行" in response.content.decode()
    template = client.get(reverse("admin:pledges_pledgetext_template"))
    assert template.status_code == 200 and template.content[:2] == b"PK"


def test_a_cadre_whose_paper_signature_was_imported_is_told_so_and_counted_once(client, pledge, cadre_a):
    from pledges.services import signature_import
    from pledges.tests.factories import workbook_bytes
    from units.models import Unit

    signature_import(
        pledge=pledge,
        workbook_file=workbook_bytes([[cadre_a.first_name, "向阳村", "科员", "2020-06-01"]]),
        units=Unit.objects.all(),
        actor=None,
    )
    client.force_login(cadre_a)
    response = client.post(pledge.get_absolute_url(), follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert "纸质" in page and "2020年6月1日" in page and "无需再次签署" in page
    assert Signature.objects.count() == 1
    detail = client.get(pledge.get_absolute_url()).content.decode()
    assert "已有 1 人签署" in detail and "查看签署凭证" in detail
    assert client.get(reverse("pledges:pledge-list")).content.decode().count("已签署") == 1


def test_the_import_page_lists_rows_of_cadres_who_signed_online(client, pledge, staff_a, cadre_a):
    from pledges.tests.factories import workbook_bytes

    signature_sign_online(pledge=pledge, user=cadre_a)
    client.force_login(staff_a)
    upload = workbook_bytes(
        [[cadre_a.first_name, "向阳村", "", "2020-06-01"], ["纸上签名", "向阳村", "", "2020-06-01"]]
    )
    response = client.post(reverse("admin:pledges_pledgetext_import", args=[pledge.pk]), {"file": upload}, follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert "已在线签署" in page and f"{cadre_a.first_name}（向阳村）" in page
    assert pledge.signatures.valid().count() == 2


def test_guessing_verification_codes_is_limited(client, db):
    from pledges import views

    for number in range(views.VERIFICATIONS_PER_HOUR):
        assert client.get(reverse("pledges:verify", args=[f"GUESS{number:05d}"])).status_code == 404
    assert client.get(reverse("pledges:verify", args=["GUESS99999"])).status_code == 429
