"""How long a session lives: staff (admin access) 30 idle minutes and 12 hours at most after login,
other accounts 7 days at most. The limits are settings (SECURITY_STAFF_IDLE_TIMEOUT,
SECURITY_STAFF_SESSION_MAX_AGE, SECURITY_SESSION_MAX_AGE); times are Unix seconds from time.time()."""

from datetime import UTC, datetime

from django.conf import settings

from security.services import SESSION_AUTH_AT_KEY, SESSION_EPOCH_KEY, SESSION_SEEN_AT_KEY, session_epoch_of

# The idle clock is written back at most this often, so that a busy page does not write the
# session on every request.
SEEN_AT_RESOLUTION = 60


def _max_age(user) -> float:
    limit = settings.SECURITY_STAFF_SESSION_MAX_AGE if user.is_staff else settings.SECURITY_SESSION_MAX_AGE
    return limit.total_seconds()


def session_deadline(user, auth_at: int) -> datetime:
    """When the session of `user` that began at `auth_at` ends at the latest (the cookie's expiry)."""
    return datetime.fromtimestamp(auth_at + _max_age(user), tz=UTC)


def session_end_reason(session, user, now: float) -> str | None:
    """Why this session must end now, or None if it may go on."""
    auth_at = session.get(SESSION_AUTH_AT_KEY)
    seen_at = session.get(SESSION_SEEN_AT_KEY, auth_at)
    if not isinstance(auth_at, int | float) or not isinstance(seen_at, int | float):
        return "unknown_start"  # a session from before these rules: log in again
    if now - auth_at > _max_age(user):
        return "absolute_timeout"
    if user.is_staff and now - seen_at > settings.SECURITY_STAFF_IDLE_TIMEOUT.total_seconds():
        return "idle_timeout"
    if session.get(SESSION_EPOCH_KEY) != session_epoch_of(user):
        return "ended"
    return None


def session_touch(session, now: float) -> None:
    if now - session.get(SESSION_SEEN_AT_KEY, 0) >= SEEN_AT_RESOLUTION:
        session[SESSION_SEEN_AT_KEY] = int(now)
