"""E. The security log: one JSON line per event, with UTC time, user, address and object, and never
a password, a one-time code, a recovery code, a TOTP secret or a session key."""

import base64
import json
from datetime import UTC, datetime

from django.contrib.admin.models import LogEntry
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.models import Topic
from security.tests.helpers import log_in, logged_in_and_verified
from security.tests.mfa import code_for
from units.tests.factories import DEFAULT_PASSWORD

WRONG_PASSWORD = "Wrong-Secret-Pass-99"


def events_named(log, name):
    return [event for event in log.events() if event["event"] == name]


def test_a_journey_is_logged_without_secrets(commission_admin, township_a, clock, security_log, everything_logged):
    client = Client(REMOTE_ADDR="198.51.100.40")
    secrets = {DEFAULT_PASSWORD, WRONG_PASSWORD}

    # A wrong password, then the right one, on the admin login.
    assert log_in(client, "commission", password=WRONG_PASSWORD, url="admin:login").status_code == 200
    assert log_in(client, "commission", url="admin:login", next_url="/admin/").status_code == 302
    secrets.add(client.cookies["sessionid"].value)

    # Two-factor enrolment: the QR code's secret, the code typed, the recovery codes shown.
    client.get(reverse("security:mfa-setup"))
    device = TOTPDevice.objects.get(user=commission_admin)
    code = code_for(device, clock.now)
    response = client.post(reverse("security:mfa-setup"), {"code": code, "next": "/admin/"})
    secrets |= {code, device.key, base64.b32encode(device.bin_key).decode().rstrip("=")}
    secrets |= set(response.context["codes"])
    secrets.add(client.cookies["sessionid"].value)
    secrets.add(client.cookies["csrftoken"].value)

    # An admin change of one row, and a bulk action on two.
    change = reverse("admin:units_unit_change", args=[township_a.pk])
    response = client.post(
        change,
        {
            "name": "东山镇（新）",
            "kind": township_a.kind,
            "parent": township_a.parent_id,
            "code": "T-A",
            "order": 1,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    topics = [Topic.objects.create(code=f"extra-{n}", name=f"临时专题{n}") for n in range(2)]
    response = client.post(
        reverse("admin:core_topic_changelist"),
        {"action": "delete_selected", "_selected_action": [t.pk for t in topics], "post": "yes"},
    )
    assert response.status_code == 302 and not Topic.objects.filter(code__startswith="extra-").exists()

    client.post(reverse("logout"))

    events = security_log.events()
    names = [event["event"] for event in events]
    for expected in [
        "login_failure",
        "login_success",
        "mfa_enrolment_started",
        "mfa_enrolled",
        "admin_change",
        "admin_request",
        "logout",
    ]:
        assert expected in names, expected
    for event in events:
        assert datetime.fromisoformat(event["time"]).tzinfo == UTC and event["time"].endswith("Z")
        assert event["ip"] == "198.51.100.40"
    failure = events_named(security_log, "login_failure")[0]
    assert failure["username"] == "commission" and failure["user"] is None
    success = events_named(security_log, "login_success")[0]
    assert (success["user"], success["user_id"]) == ("commission", commission_admin.pk)
    changed = events_named(security_log, "admin_change")[0]
    assert changed["action"] == "change" and changed["object"] == {
        "type": "units.unit",
        "id": str(township_a.pk),
        "repr": "东山镇（新）",
    }
    assert json.loads(changed["change_message"]) == [{"changed": {"fields": ["Name"]}}]
    bulk = [e for e in events_named(security_log, "admin_request") if e.get("action") == "delete_selected"]
    assert bulk == [
        {**bulk[0], "model": "core.topic", "selected": [str(t.pk) for t in topics], "selected_count": 2, "done": True}
    ]
    assert LogEntry.objects.filter(object_repr__startswith="临时专题").count() == 2

    everything = "\n".join(everything_logged.lines)
    assert "axes" in everything and "security" in everything  # every logger is captured, not ours alone
    for line in security_log.lines:
        json.loads(line)  # one JSON object a line
    leaked = [secret for secret in secrets if secret and secret in everything]
    assert leaked == []


def test_a_refused_page_is_logged(client, staff_a, clock, security_log):
    logged_in_and_verified(client, staff_a, clock)
    assert client.get(reverse("admin:security_failedlogin_changelist")).status_code == 403
    denied = events_named(security_log, "permission_denied")
    assert [(e["user"], e["path"], e["method"]) for e in denied] == [("staff_a", "/admin/security/failedlogin/", "GET")]


def test_mfa_events_are_logged(client, staff_a, clock, security_log):
    logged_in_and_verified(client, staff_a, clock)
    client.post(reverse("logout"))
    client.force_login(staff_a)
    client.post(reverse("security:mfa-verify"), {"code": "000000"})
    assert [e["stage"] for e in events_named(security_log, "mfa_failed")] == ["login"]
    clock.advance(30)
    device = TOTPDevice.objects.get(user=staff_a)
    client.post(reverse("security:mfa-verify"), {"code": code_for(device, clock.now)})
    client.post(reverse("security:mfa-verify"), {"code": "000000"})
    assert events_named(security_log, "mfa_verified")[-1]["method"] == "totp"


def test_the_log_refuses_a_secret_by_name(db):
    import pytest

    from security.log import security_event

    with pytest.raises(ValueError, match="never records"):
        security_event("oops", password="x")
