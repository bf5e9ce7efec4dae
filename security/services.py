"""Account security operations: ending sessions, two-factor enrolment, verification and reset,
and the per-address login throttle. Views, the admin, receivers and tests all call these."""

import base64
import logging
from urllib.parse import quote, urlencode

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.errors import DomainError
from core.models import SiteSettings
from security.log import security_event
from security.models import AccountState, FailedLogin

SESSION_EPOCH_KEY = "security_epoch"
SESSION_AUTH_AT_KEY = "security_auth_at"
SESSION_SEEN_AT_KEY = "security_seen_at"
SESSION_ENROLLED_KEY = "security_mfa_enrolled"
TOTP_NAME = "authenticator"
RECOVERY_NAME = "recovery codes"


class MFAError(DomainError):
    error_messages = {
        "wrong_code": _("The code is wrong or has already been used. Check the time on your phone and try again."),
        "throttled": _("Too many wrong codes. Wait %(seconds)d seconds, then try again."),
        "not_enrolled": _("Two-factor authentication has not been set up for this account."),
        "already_enrolled": _("Two-factor authentication is already set up for this account."),
        "own_account": _("You cannot reset your own two-factor authentication; ask another administrator."),
        "superuser": _("Only a superuser may reset a superuser's two-factor authentication."),
    }


# Sessions --------------------------------------------------------------------------------------


def session_epoch_of(user, *, fresh: bool = False) -> int:
    """The account's session generation (0 until its sessions are first ended). Free when the user
    was loaded by security.backends.AccountBackend (select_related); `fresh` reads the database."""
    if fresh:
        return AccountState.objects.filter(user_id=user.pk).values_list("session_epoch", flat=True).first() or 0
    try:
        return user.security_state.session_epoch
    except AccountState.DoesNotExist:
        return 0


@transaction.atomic
def sessions_end(*, user, reason: str, actor=None, keep_request=None) -> None:
    """End every session of `user`, now and for good (see AccountState); with `keep_request`, all
    but the session of that request."""
    state, _created = AccountState.objects.get_or_create(user_id=user.pk)
    AccountState.objects.filter(pk=state.pk).update(
        session_epoch=F("session_epoch") + 1, sessions_ended_at=timezone.now()
    )
    state.refresh_from_db()
    user.security_state = state  # the generation cached on this user object stays current
    if keep_request is not None:
        keep_request.session[SESSION_EPOCH_KEY] = state.session_epoch
    security_event("sessions_ended", user=actor, target=user, reason=reason, level=logging.WARNING)


def requires_mfa(user) -> bool:
    """Everyone with admin access must use two-factor authentication; others may."""
    return bool(user.is_staff or user.is_superuser)


# Two-factor: enrolment ---------------------------------------------------------------------------


def is_enrolled(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@transaction.atomic
def mfa_enrolment_start(*, user) -> TOTPDevice:
    """The pending (unconfirmed) authenticator of `user`, created with a fresh secret if there is
    none, so that reloading the page shows the same QR code."""
    if is_enrolled(user):
        raise MFAError.for_code("already_enrolled")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
        security_event("mfa_enrolment_started", user=user)
    return device


def _base32(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode("ascii").rstrip("=")


def totp_secret(device: TOTPDevice) -> str:
    """The secret as an authenticator app takes it by hand: base32, in groups of four."""
    text = _base32(device)
    return " ".join(text[start : start + 4] for start in range(0, len(text), 4))


def totp_uri(device: TOTPDevice) -> str:
    """The otpauth:// address the QR code carries, with the site's name as the issuer."""
    issuer = SiteSettings.load().site_name.replace(":", "")
    label = quote(f"{issuer}:{device.user.get_username()}")
    params = urlencode(
        {
            "secret": _base32(device),
            "issuer": issuer,
            "algorithm": "SHA1",
            "digits": device.digits,
            "period": device.step,
        },
        quote_via=quote,
    )
    return f"otpauth://totp/{label}?{params}"


def mfa_enrolment_confirm(*, request, user, token: str) -> list[str]:
    """Confirm the pending authenticator with a code from the app, mark the session verified and
    return the new recovery codes (shown once; only django-otp's table keeps them afterwards)."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("pk").first()
        if is_enrolled(user):
            raise MFAError.for_code("already_enrolled")
        if device is None:
            raise MFAError.for_code("not_enrolled")
        _check_allowed(device, user=user, stage="enrolment")
        # A wrong code is counted (django-otp's throttle) and committed before the error is raised.
        accepted = device.verify_token(_digits(token))
        if accepted:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user, confirmed=False).delete()
            codes = _recovery_codes_replace(user)
            session_mark_verified(request, device)
            request.session[SESSION_ENROLLED_KEY] = True
    if not accepted:
        security_event("mfa_failed", user=user, stage="enrolment", level=logging.WARNING)
        raise MFAError.for_code("wrong_code")
    security_event("mfa_enrolled", user=user)
    # Sessions opened elsewhere with the password alone do not stay open beside the new factor.
    sessions_end(user=user, reason="mfa_enrolled", actor=user, keep_request=request)
    return codes


def _recovery_codes_replace(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = []
    while len(codes) < settings.SECURITY_RECOVERY_CODE_COUNT:
        code = StaticToken.random_token()
        if code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


# Two-factor: verification ------------------------------------------------------------------------


def _digits(token: str) -> str:
    return "".join(str(token).split())


def _check_allowed(device, *, user, stage: str) -> None:
    allowed, details = device.verify_is_allowed()
    if not allowed:
        locked_until = (details or {}).get("locked_until")
        seconds = max(1, int((locked_until - timezone.now()).total_seconds()) + 1) if locked_until else 1
        security_event("mfa_throttled", user=user, stage=stage, level=logging.WARNING)
        raise MFAError.for_code("throttled", seconds=seconds)


def session_mark_verified(request, device) -> None:
    """The session has passed the second factor with `device`; the session key changes, as at login."""
    request.session.cycle_key()
    request.session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    request.user.otp_device = device


def mfa_verify(*, request, user, token: str) -> tuple[str, int | None]:
    """Check a code from the authenticator app or a recovery code and mark the session verified.

    Returns ("totp", None) or ("recovery", codes left). A code is accepted once: django-otp keeps
    the time step of the last accepted code (TOTPDevice.last_t) and deletes a used recovery code.
    Wrong codes slow further tries down (django-otp throttling, doubling the wait each time)."""
    token = _digits(token)
    with transaction.atomic():
        # The throttle count a wrong code adds is committed with this block, before the error.
        result = _verify_locked(request=request, user=user, token=token)
    if result is None:
        security_event("mfa_failed", user=user, stage="login", level=logging.WARNING)
        raise MFAError.for_code("wrong_code")
    method, left = result
    if method == "recovery":
        security_event("mfa_verified", user=user, method=method, recovery_left=left)
    else:
        security_event("mfa_verified", user=user, method=method)
    return result


def _verify_locked(*, request, user, token: str):
    totp = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
    if totp is None:
        raise MFAError.for_code("not_enrolled")
    if token.isdigit():
        _check_allowed(totp, user=user, stage="login")
        if totp.verify_token(token):
            session_mark_verified(request, totp)
            return "totp", None
        return None
    recovery = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
    if recovery is None or not token:
        return None
    _check_allowed(recovery, user=user, stage="login")
    if recovery.verify_token(token.lower()):
        session_mark_verified(request, recovery)
        return "recovery", recovery.token_set.count()
    return None


# Two-factor: reset -------------------------------------------------------------------------------


@transaction.atomic
def mfa_reset(*, user, actor) -> None:
    """Remove the account's authenticator and recovery codes and end its sessions: the next login
    asks for a new enrolment. Nobody resets their own; only a superuser resets a superuser."""
    if actor is not None and actor.pk == user.pk:
        raise MFAError.for_code("own_account")
    if user.is_superuser and not (actor is not None and actor.is_superuser):
        raise MFAError.for_code("superuser")
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    security_event("mfa_reset", user=actor, target=user, level=logging.WARNING)
    sessions_end(user=user, reason="mfa_reset", actor=actor)


# Per-address login throttle --------------------------------------------------------------------


def address_is_blocked(address: str | None) -> bool:
    if not address:
        return False
    since = timezone.now() - settings.SECURITY_ADDRESS_FAILURE_WINDOW
    return FailedLogin.objects.recent_for(address, since).count() >= settings.SECURITY_ADDRESS_FAILURE_LIMIT


def address_failure_record(address: str | None) -> None:
    """Count one failed login against `address`, and forget failures older than the window."""
    if not address:
        return
    now = timezone.now()
    FailedLogin.objects.filter(attempted_at__lt=now - settings.SECURITY_ADDRESS_FAILURE_WINDOW).delete()
    FailedLogin.objects.create(ip_address=address, attempted_at=now)


def address_unlock(*, addresses, actor) -> int:
    count, _deleted = FailedLogin.objects.filter(ip_address__in=list(addresses)).delete()
    for address in sorted(set(addresses)):
        security_event("address_unlocked", user=actor, address=address)
    return count
