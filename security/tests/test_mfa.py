"""A. Two-factor authentication: required for admin access, enrolment on first login, codes that
work once, throttling, recovery codes, the administrator's reset."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from security.tests.helpers import enrol, log_in, logged_in_and_verified, verify
from security.tests.mfa import code_for

SETUP = reverse("security:mfa-setup")
VERIFY = reverse("security:mfa-verify")


def test_staff_password_login_does_not_open_the_admin_until_an_authenticator_is_set_up(client, staff_a):
    response = log_in(client, "staff_a", url="admin:login", next_url="/admin/")
    assert response.status_code == 302 and client.session[SESSION_KEY] == str(staff_a.pk)
    for path in ["/admin/", "/admin/units/unit/", "/"]:
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith(SETUP + "?next=")


def test_enrolment_page_needs_a_login(client, db):
    for path in [SETUP, VERIFY]:
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_enrolment_shows_a_qr_code_and_the_key_then_ten_recovery_codes_once(client, staff_a, clock):
    log_in(client, "staff_a", url="admin:login", next_url="/admin/")
    page = client.get(SETUP + "?next=/admin/")
    html = page.content.decode()
    assert page.status_code == 200 and "设置双因素认证" in html
    assert "<svg" in html
    device = TOTPDevice.objects.get(user=staff_a, confirmed=False)
    assert page.context["secret"].replace(" ", "") in html.replace(" ", "")
    assert client.get(SETUP).context["secret"] == page.context["secret"]  # a reload keeps the same key

    response = client.post(SETUP, {"code": code_for(device, clock.now), "next": "/admin/"})
    codes = response.context["codes"]
    assert response.status_code == 200 and len(codes) == len(set(codes)) == 10
    assert all(code in response.content.decode() for code in codes)
    assert "只显示这一次" in response.content.decode()
    assert client.get("/admin/").status_code == 200

    again = client.get(SETUP)
    assert again.status_code == 302 and not any(code in again.content.decode() for code in codes)


def test_a_wrong_code_at_enrolment_is_refused_in_chinese(client, staff_a):
    client.force_login(staff_a)
    client.get(SETUP)
    for code in ["000000", "", "abc", "１２３４５６", "9" * 40, "' OR 1=1 --"]:
        response = client.post(SETUP, {"code": code})
        assert response.status_code == 200
        assert response.context["form"].errors
    assert not TOTPDevice.objects.filter(user=staff_a, confirmed=True).exists()
    assert client.get("/admin/").status_code == 302


def test_enrolled_staff_confirm_each_login_with_a_code(client, staff_a, clock):
    logged_in_and_verified(client, staff_a, clock)
    client.post(reverse("logout"))

    log_in(client, "staff_a", url="admin:login", next_url="/admin/")
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    assert "6 位验证码" in client.get(VERIFY).content.decode()

    clock.advance(30)
    response = verify(client, staff_a, clock.now)
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_code_is_not_accepted_twice_within_its_window(client, staff_a, clock):
    logged_in_and_verified(client, staff_a, clock)
    client.post(reverse("logout"))
    device = TOTPDevice.objects.get(user=staff_a, confirmed=True)

    clock.advance(30)
    used = code_for(device, clock.now)
    client.force_login(staff_a)
    assert client.post(VERIFY, {"code": used}).status_code == 302
    client.post(reverse("logout"))

    other = Client()  # someone who saw the code, within the same 30 seconds
    other.force_login(staff_a)
    clock.advance(5)
    response = other.post(VERIFY, {"code": used})
    assert response.status_code == 200
    assert "验证码错误或已被使用" in response.content.decode()
    assert other.get("/admin/").status_code == 302

    clock.advance(30)
    assert other.post(VERIFY, {"code": code_for(device, clock.now)}).status_code == 302
    assert other.get("/admin/").status_code == 200


def test_wrong_codes_slow_further_tries_down(client, staff_a, clock):
    logged_in_and_verified(client, staff_a, clock)
    client.post(reverse("logout"))
    device = TOTPDevice.objects.get(user=staff_a, confirmed=True)
    client.force_login(staff_a)
    clock.advance(30)
    for wrong in ["111111", "222222"]:
        client.post(VERIFY, {"code": wrong})

    response = client.post(VERIFY, {"code": code_for(device, clock.now)})
    assert response.status_code == 200 and "错误次数过多" in response.content.decode()
    clock.advance(3)
    assert client.post(VERIFY, {"code": code_for(device, clock.now)}).status_code == 302


def test_a_recovery_code_opens_the_session_once(client, staff_a, clock):
    client.force_login(staff_a)
    codes = enrol(client, staff_a, clock.now)
    client.post(reverse("logout"))

    client.force_login(staff_a)
    response = client.post(VERIFY, {"code": codes[0].upper()}, follow=True)
    assert response.status_code == 200 and "还剩 9 个" in response.content.decode()
    client.post(reverse("logout"))

    client.force_login(staff_a)
    response = client.post(VERIFY, {"code": codes[0]})
    assert response.status_code == 200 and client.get("/admin/").status_code == 302
    assert StaticToken.objects.filter(device__user=staff_a).count() == 9


def test_cadres_may_go_without_two_factor_or_choose_it(client, cadre_a, clock):
    log_in(client, "cadre_a")
    assert client.get("/").status_code == 200
    assert client.get(reverse("password_change")).status_code == 200

    page = client.get(SETUP)
    assert page.status_code == 200 and "可选" in page.content.decode()
    enrol(client, cadre_a, clock.now)
    client.post(reverse("logout"))

    log_in(client, "cadre_a")
    response = client.get(reverse("password_change"))
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)


@pytest.fixture
def admin_client_verified(commission_admin, clock):
    return logged_in_and_verified(Client(), commission_admin, clock)


def reset_mfa(admin_client, *users):
    return admin_client.post(
        reverse("admin:security_twofactoraccount_changelist"),
        {"action": "reset_mfa", "_selected_action": [user.pk for user in users]},
        follow=True,
    )


def test_a_commission_admin_resets_an_account_and_its_sessions_end(client, staff_a, admin_client_verified, clock):
    logged_in_and_verified(client, staff_a, clock)
    assert client.get("/admin/").status_code == 200
    changelist = admin_client_verified.get(reverse("admin:security_twofactoraccount_changelist"))
    assert changelist.status_code == 200 and "staff_a" in changelist.content.decode()

    response = reset_mfa(admin_client_verified, staff_a)
    assert "已重置 1 个账号的双因素认证" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=staff_a).exists()
    assert not StaticToken.objects.filter(device__user=staff_a).exists()

    assert client.get("/admin/").status_code == 302
    assert SESSION_KEY not in client.session
    log_in(client, "staff_a", url="admin:login", next_url="/admin/")
    assert client.get("/admin/")["Location"].startswith(SETUP)


def test_nobody_resets_their_own_two_factor(commission_admin, admin_client_verified):
    response = reset_mfa(admin_client_verified, commission_admin)
    assert "不能重置自己的双因素认证" in response.content.decode()
    assert TOTPDevice.objects.filter(user=commission_admin, confirmed=True).exists()


def test_unit_staff_cannot_see_or_reset_two_factor(client, staff_a, cadre_a, clock):
    logged_in_and_verified(client, staff_a, clock)
    url = reverse("admin:security_twofactoraccount_changelist")
    assert client.get(url).status_code == 403
    assert client.post(url, {"action": "reset_mfa", "_selected_action": [cadre_a.pk]}).status_code == 403


def test_no_admin_page_shows_an_authenticator_secret(admin_client_verified, commission_admin):
    key = TOTPDevice.objects.get(user=commission_admin).key
    for path in ["/admin/otp_totp/totpdevice/", "/admin/otp_static/staticdevice/"]:
        assert admin_client_verified.get(path).status_code == 404
    page = admin_client_verified.get(reverse("admin:security_twofactoraccount_change", args=[commission_admin.pk]))
    assert page.status_code == 200 and key not in page.content.decode()


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/", "²", "admin:index", "javascript:alert(1)", "\\evil"]
)
def test_next_never_leads_off_site_nor_to_an_error(client, staff_a, clock, next_url):
    logged_in_and_verified(client, staff_a, clock)
    client.post(reverse("logout"))
    client.force_login(staff_a)
    assert client.get(VERIFY, {"next": next_url}).status_code == 200
    clock.advance(30)
    device = TOTPDevice.objects.get(user=staff_a)
    response = client.post(VERIFY, {"code": code_for(device, clock.now), "next": next_url})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get(SETUP, {"next": next_url})["Location"] == "/admin/"


def test_any_input_on_the_verify_page_is_answered_not_an_error(client, staff_a, clock):
    logged_in_and_verified(client, staff_a, clock)
    client.post(reverse("logout"))
    client.force_login(staff_a)
    for code in ["", " ", "12", "abcdefgh", "１２３４５６", "9" * 32, "<script>", "2" * 500]:
        response = client.post(VERIFY, {"code": code})
        assert response.status_code == 200, code
        clock.advance(60)  # past the throttle
    assert client.get("/admin/").status_code == 302
