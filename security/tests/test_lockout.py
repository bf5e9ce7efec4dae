"""C. Lockout without denial of service: username and address together, a per-address throttle
against password spraying, cool-off, administrator unlock, and the client address behind proxies."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.db.models import F
from django.test import Client, RequestFactory
from django.urls import reverse

from core.network import client_ip
from security.models import FailedLogin
from security.tests.helpers import log_in, logged_in_and_verified
from units.models import Membership
from units.tests.factories import make_member


def fail(client, username, times=1):
    return [log_in(client, username, password="wrong-password").status_code for _attempt in range(times)]


def test_an_attacker_elsewhere_cannot_lock_the_user_out(client_at, cadre_a, security_log):
    attacker = client_at("203.0.113.9")
    assert fail(attacker, "cadre_a", 6)[-1] == 429
    assert log_in(attacker, "cadre_a").status_code == 429  # locked at the attacker's address

    victim = client_at("198.51.100.7")
    assert log_in(victim, "cadre_a").status_code == 302
    assert victim.session[SESSION_KEY] == str(cadre_a.pk)
    lockouts = [e for e in security_log.events() if e["event"] == "lockout"]
    assert lockouts and {(e["username"], e["ip"]) for e in lockouts} == {("cadre_a", "203.0.113.9")}


def test_password_spraying_from_one_address_is_stopped_across_usernames(client_at, township_a, security_log):
    for number in range(25):
        make_member(township_a, Membership.Role.CADRE, username=f"cadre{number}")
    sprayer = client_at("203.0.113.10")
    codes = [log_in(sprayer, f"cadre{number}", password="Spring-2026-spray").status_code for number in range(20)]
    assert set(codes) == {200}

    response = log_in(sprayer, "cadre20")  # even the right password
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    assert SESSION_KEY not in sprayer.session
    assert any(e["event"] == "address_blocked" and e["ip"] == "203.0.113.10" for e in security_log.events())

    assert log_in(client_at("198.51.100.8"), "cadre21").status_code == 302  # other addresses go on


def test_the_address_throttle_cools_off_after_the_window(client_at, cadre_a, clock):
    sprayer = client_at("203.0.113.11")
    for number in range(20):
        log_in(sprayer, f"nobody{number}", password="x")
    assert log_in(sprayer, "cadre_a").status_code == 429
    clock.advance(61 * 60)
    assert log_in(sprayer, "cadre_a").status_code == 302


def test_blocked_attempts_do_not_pile_up_rows(client_at, db):
    sprayer = client_at("203.0.113.12")
    for number in range(40):
        log_in(sprayer, f"nobody{number}", password="x")
    assert FailedLogin.objects.filter(ip_address="203.0.113.12").count() == 20


def test_the_username_lock_cools_off_after_thirty_minutes(client_at, cadre_a):
    office = client_at("198.51.100.20")
    fail(office, "cadre_a", 5)
    assert log_in(office, "cadre_a").status_code == 429
    # axes reads its own clock (django.utils.timezone.now imported by name): age the attempts instead.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=31))
    assert log_in(office, "cadre_a").status_code == 302


@pytest.fixture
def admin_client(commission_admin, clock):
    return logged_in_and_verified(Client(), commission_admin, clock)


def test_an_administrator_unlocks_an_address(client_at, cadre_a, admin_client, security_log):
    sprayer = client_at("203.0.113.13")
    for number in range(20):
        log_in(sprayer, f"nobody{number}", password="x")
    assert log_in(sprayer, "cadre_a").status_code == 429

    changelist = reverse("admin:security_failedlogin_changelist")
    page = admin_client.get(changelist)
    assert page.status_code == 200 and "203.0.113.13" in page.content.decode()
    row = FailedLogin.objects.filter(ip_address="203.0.113.13").first()
    response = admin_client.post(changelist, {"action": "unlock_addresses", "_selected_action": [row.pk]}, follow=True)
    assert "已解除限制：203.0.113.13" in response.content.decode()
    assert log_in(sprayer, "cadre_a").status_code == 302
    assert any(e["event"] == "address_unlocked" and e["user"] == "commission" for e in security_log.events())


def test_an_administrator_unlocks_a_username_in_the_axes_admin(client_at, cadre_a, admin_client):
    office = client_at("198.51.100.21")
    fail(office, "cadre_a", 5)
    assert log_in(office, "cadre_a").status_code == 429
    attempt = AccessAttempt.objects.get(username="cadre_a")
    response = admin_client.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert log_in(office, "cadre_a").status_code == 302


def test_unit_staff_cannot_unlock_addresses(client, staff_a, clock):
    logged_in_and_verified(client, staff_a, clock)
    assert client.get(reverse("admin:security_failedlogin_changelist")).status_code == 403


def test_a_forwarded_header_from_a_client_is_ignored(client_at, cadre_a):
    attacker = client_at("203.0.113.14")
    for number in range(5):
        attacker.defaults["HTTP_X_FORWARDED_FOR"] = f"192.0.2.{number}"
        log_in(attacker, "cadre_a", password="wrong")
    assert log_in(attacker, "cadre_a").status_code == 429  # rotating the header does not dodge the lock


def test_behind_a_trusted_proxy_each_client_counts_on_its_own(client_at, cadre_a, settings):
    settings.SECURITY_TRUSTED_PROXIES = ["10.0.0.0/24"]
    attacker = client_at("10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.15")
    fail(attacker, "cadre_a", 5)
    assert log_in(attacker, "cadre_a").status_code == 429
    colleague = client_at("10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.30")
    assert log_in(colleague, "cadre_a").status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.15"}


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        ("203.0.113.1", "", "203.0.113.1"),
        ("203.0.113.1", "198.51.100.1", "203.0.113.1"),  # not a trusted proxy: header ignored
        ("10.0.0.1", "", "10.0.0.1"),
        ("10.0.0.1", "198.51.100.1", "198.51.100.1"),
        ("10.0.0.1", "192.0.2.66, 198.51.100.1", "198.51.100.1"),  # the left entry is the client's claim
        ("10.0.0.1", "198.51.100.1, 10.0.0.7", "198.51.100.1"),  # two proxies of ours
        ("10.0.0.1", "198.51.100.1, not-an-address", "10.0.0.1"),
        ("10.0.0.1", "2001:db8::1", "2001:db8::1"),
        ("garbage", "198.51.100.1", None),
        ("", "", None),
    ],
)
def test_client_address(settings, remote, forwarded, expected):
    settings.SECURITY_TRUSTED_PROXIES = ["10.0.0.0/24", "not-a-network"]
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_old_failures_are_forgotten(client_at, db, clock):
    sprayer = client_at("203.0.113.16")
    log_in(sprayer, "nobody", password="x")
    clock.advance(2 * 3600)
    log_in(client_at("203.0.113.17"), "nobody", password="x")
    assert list(FailedLogin.objects.values_list("ip_address", flat=True)) == ["203.0.113.17"]
    assert FailedLogin.objects.get().attempted_at > clock_time(clock) - timedelta(minutes=1)


def clock_time(clock):
    from datetime import UTC, datetime

    return datetime.fromtimestamp(clock.now, tz=UTC)
