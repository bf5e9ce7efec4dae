"""Test helpers for two-factor authentication: a fake clock, codes from a device's secret, and the
login hook the root conftest uses so that other apps' tests reach the admin as before."""

import contextlib
import time
from datetime import UTC, datetime

from django.contrib.auth.signals import user_logged_in
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from security.services import requires_mfa


def _mark_verified(sender, request, user, **kwargs):
    if not requires_mfa(user):
        return
    device, _created = TOTPDevice.objects.get_or_create(user=user, defaults={"name": "test", "confirmed": True})
    request.session[DEVICE_ID_SESSION_KEY] = device.persistent_id


@contextlib.contextmanager
def second_factor_passed_at_login():
    user_logged_in.connect(_mark_verified, dispatch_uid="security.tests.mark_verified")
    try:
        yield
    finally:
        user_logged_in.disconnect(dispatch_uid="security.tests.mark_verified")


def code_for(device: TOTPDevice, at: float) -> str:
    """The code an authenticator app shows at Unix time `at`."""
    generator = TOTP(device.bin_key, device.step, device.t0, device.digits)
    generator.time = at
    return f"{generator.token():0{device.digits}d}"


class FakeClock:
    """One clock for time.time() (TOTP steps, session limits) and timezone.now() (throttling)."""

    def __init__(self, monkeypatch, start: float = 1_900_000_000.0):
        self.now = start
        monkeypatch.setattr(time, "time", lambda: self.now)
        monkeypatch.setattr(timezone, "now", lambda: datetime.fromtimestamp(self.now, tz=UTC))

    def advance(self, seconds: float) -> None:
        self.now += seconds
