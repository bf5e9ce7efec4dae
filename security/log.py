"""The security log: the logger "security", one JSON object a line.

Every line has the UTC time, the event, the user, the client address and the path, and where it
applies the object acted on. Callers pass named details; keys that could carry a secret (passwords,
tokens, codes, session keys) are refused here, so a careless caller cannot leak one into the log.
"""

import json
import logging
from contextvars import ContextVar
from datetime import UTC, datetime

from core.network import client_ip

logger = logging.getLogger("security")

# The request being handled, set by AccountSecurityMiddleware, so that signal receivers (LogEntry, user
# saves) can say who and from where without being handed the request.
current_request: ContextVar = ContextVar("security_current_request", default=None)

FORBIDDEN_KEYS = ("password", "token", "otp", "code", "secret", "session", "key", "csrf", "hash")


def _user_fields(user) -> dict:
    if user is None or not getattr(user, "is_authenticated", False):
        return {"user": None, "user_id": None}
    return {"user": user.get_username(), "user_id": user.pk}


def _object_fields(obj) -> dict:
    meta = obj._meta
    return {"type": meta.label_lower, "id": str(obj.pk), "repr": str(obj)[:200]}


def security_event(event: str, *, request=None, user=None, target=None, level=logging.INFO, **details) -> dict:
    """Write one line to the security log and return what was written (for tests and callers).

    `user` defaults to the request's user; `target` is the model instance acted on, if any."""
    request = request if request is not None else current_request.get()
    if user is None and request is not None:
        user = getattr(request, "user", None)
    record = {
        "time": datetime.now(tz=UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "event": event,
        **_user_fields(user),
        "ip": client_ip(request),
        "path": request.path if request is not None else None,
    }
    if target is not None:
        record["object"] = _object_fields(target)
    for name, value in details.items():
        if any(word in name.lower() for word in FORBIDDEN_KEYS):
            raise ValueError(f"the security log never records {name!r}")
        record[name] = value
    logger.log(level, json.dumps(record, ensure_ascii=False, default=str, sort_keys=False))
    return record
