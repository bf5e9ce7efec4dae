from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from security.tests.mfa import code_for
from units.tests.factories import DEFAULT_PASSWORD


def log_in(client, username, password=DEFAULT_PASSWORD, url="login", next_url="/"):
    return client.post(reverse(url), {"username": username, "password": password, "next": next_url})


def enrol(client, user, now: float) -> list[str]:
    """Set up an authenticator through the pages, as the user would; returns the recovery codes."""
    page = client.get(reverse("security:mfa-setup"))
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("security:mfa-setup"), {"code": code_for(device, now), "next": "/admin/"})
    assert response.status_code == 200
    return response.context["codes"]


def verify(client, user, now: float):
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return client.post(reverse("security:mfa-verify"), {"code": code_for(device, now), "next": "/admin/"})


def logged_in_and_verified(client, user, clock):
    """A session that has passed both factors, through the real pages."""
    client.force_login(user)
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        clock.advance(30)  # a fresh time step: the previous code is spent
        assert verify(client, user, clock.now).status_code == 302
    else:
        enrol(client, user, clock.now)
    return client
