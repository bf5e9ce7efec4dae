"""B. Session limits, and the events that end an account's sessions for good."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from security.tests.helpers import enrol, log_in, logged_in_and_verified
from units.tests.factories import DEFAULT_PASSWORD

MINUTE, HOUR, DAY = 60, 3600, 86400
NEW_PASSWORD = "Lantern-orchid-meadow-47"


def is_logged_in(client) -> bool:
    client.get("/")
    return SESSION_KEY in client.session


def test_staff_are_logged_out_after_thirty_idle_minutes(client, staff_a, clock, security_log):
    logged_in_and_verified(client, staff_a, clock)
    clock.advance(31 * MINUTE)
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    assert not is_logged_in(client)
    expired = [e for e in security_log.events() if e["event"] == "session_expired"]
    assert [(e["user"], e["reason"]) for e in expired] == [("staff_a", "idle_timeout")]


def test_staff_stay_while_active_but_not_past_twelve_hours(client, staff_a, clock):
    logged_in_and_verified(client, staff_a, clock)
    for _step in range(int(11.5 * 60 / 20)):
        clock.advance(20 * MINUTE)
        assert client.get("/admin/").status_code == 200
    clock.advance(40 * MINUTE)
    assert client.get("/admin/").status_code == 302
    assert not is_logged_in(client)


def test_cadres_stay_a_week_at_most(client, cadre_a, clock):
    log_in(client, "cadre_a")
    clock.advance(3 * DAY)  # idle days do not matter for a cadre
    assert is_logged_in(client)
    clock.advance(3 * DAY + 23 * HOUR)
    assert is_logged_in(client)
    clock.advance(2 * HOUR)
    assert not is_logged_in(client)


def test_the_session_cookie_expires_with_the_session(client, staff_a, cadre_a):
    log_in(client, "staff_a")
    assert 11 * HOUR < client.session.get_expiry_age() <= 12 * HOUR
    other = Client()
    log_in(other, "cadre_a")
    assert 6 * DAY < other.session.get_expiry_age() <= 7 * DAY


def test_deactivation_ends_the_session_and_reactivation_does_not_bring_it_back(client, cadre_a, security_log):
    log_in(client, "cadre_a")
    assert client.get(reverse("password_change")).status_code == 200
    cadre_a.is_active = False
    cadre_a.save()
    assert client.get(reverse("password_change")).status_code == 302
    cadre_a.is_active = True
    cadre_a.save()
    response = client.get(reverse("password_change"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert any(e["event"] == "sessions_ended" and e["reason"] == "deactivated" for e in security_log.events())
    assert log_in(client, "cadre_a").status_code == 302  # a new login works
    assert client.get(reverse("password_change")).status_code == 200


def test_deactivation_in_the_admin_ends_the_staff_members_sessions(client, staff_a, commission_admin, clock):
    logged_in_and_verified(client, staff_a, clock)
    admin = logged_in_and_verified(Client(), commission_admin, clock)
    change = reverse("admin:auth_user_change", args=[staff_a.pk])
    page = admin.get(change)
    assert page.status_code == 200
    data = {
        key: value
        for key, value in page.context["adminform"].form.initial.items()
        if key in {"username", "first_name", "last_name", "email"}
    }
    data.update(
        {
            "is_staff": "on",
            "membership-TOTAL_FORMS": "1",
            "membership-INITIAL_FORMS": "1",
            "membership-MIN_NUM_FORMS": "0",
            "membership-MAX_NUM_FORMS": "1",
            "membership-0-id": staff_a.membership.pk,
            "membership-0-user": staff_a.pk,
            "membership-0-unit": staff_a.membership.unit_id,
            "membership-0-role": staff_a.membership.role,
            "membership-0-position": staff_a.membership.position,
            "membership-0-is_cadre": "on",
            "last_login_0": "",
            "date_joined_0": "",
        }
    )
    response = admin.post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    staff_a.refresh_from_db()
    assert not staff_a.is_active
    staff_a.is_active = True
    staff_a.save()
    assert client.get("/admin/").status_code == 302
    assert not is_logged_in(client)


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(cadre_a):
    here, elsewhere = Client(), Client()
    log_in(here, "cadre_a")
    log_in(elsewhere, "cadre_a")
    response = here.post(
        reverse("password_change"),
        {"old_password": DEFAULT_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert is_logged_in(here)
    assert not is_logged_in(elsewhere)


def test_a_password_set_by_an_administrator_ends_the_accounts_sessions(client, cadre_a):
    log_in(client, "cadre_a")
    cadre_a.set_password(NEW_PASSWORD)
    cadre_a.save()
    assert not is_logged_in(client)


@pytest.mark.parametrize("stored", [{}, {"security_auth_at": "yesterday"}])
def test_a_session_without_a_known_start_is_ended_not_an_error(client, cadre_a, stored):
    log_in(client, "cadre_a")
    session = client.session
    del session["security_auth_at"]
    session.update(stored)
    session.save()
    assert not is_logged_in(client)


def test_setting_up_two_factor_ends_the_sessions_opened_with_the_password_alone(cadre_a, clock):
    here, elsewhere = Client(), Client()
    log_in(here, "cadre_a")
    log_in(elsewhere, "cadre_a")
    enrol(here, cadre_a, clock.now)
    assert is_logged_in(here)
    assert not is_logged_in(elsewhere)
