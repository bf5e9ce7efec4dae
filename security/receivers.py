"""What the security app listens to: logins and logouts, failed logins and lockouts, the admin's
change log, and saves of user rows that must end the account's sessions (deactivation).

Deactivation is watched on the user row itself because accounts are switched off in several places
(the user admin, the shell, a future service) and an old session must never outlive any of them;
a bulk QuerySet.update(is_active=False) bypasses this and must call services.sessions_end itself."""

import logging
import time

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save, pre_save

from core.middleware import login_username
from core.network import client_ip
from security.log import security_event
from security.services import (
    SESSION_AUTH_AT_KEY,
    SESSION_ENROLLED_KEY,
    SESSION_EPOCH_KEY,
    SESSION_SEEN_AT_KEY,
    address_failure_record,
    is_enrolled,
    requires_mfa,
    session_epoch_of,
    sessions_end,
)
from security.sessions import session_deadline

ACTION_NAMES = {ADDITION: "add", CHANGE: "change", DELETION: "delete"}


def on_logged_in(sender, request, user, **kwargs):
    now = int(time.time())
    session = request.session
    session[SESSION_AUTH_AT_KEY] = now
    session[SESSION_SEEN_AT_KEY] = now
    session[SESSION_EPOCH_KEY] = session_epoch_of(user, fresh=True)
    session[SESSION_ENROLLED_KEY] = is_enrolled(user)
    session.set_expiry(session_deadline(user, now))
    security_event("login_success", request=request, user=user, mfa_required=requires_mfa(user))


def on_login_failed(sender, credentials, request=None, **kwargs):
    username = str(login_username(None, credentials) or "")
    blocked = bool(getattr(request, "security_address_blocked", False))
    security_event("login_failure", request=request, user=None, username=username, level=logging.WARNING)
    if request is not None and not blocked:
        address_failure_record(client_ip(request))


def on_logged_out(sender, request, user, **kwargs):
    security_event("logout", request=request, user=user)


def on_locked_out(sender, request, username, ip_address, **kwargs):
    security_event("lockout", request=request, user=None, username=username, level=logging.WARNING)


def on_log_entry(sender, instance, created, **kwargs):
    """A row the admin wrote to its change log (add, change, delete of one object)."""
    if not created:
        return
    model = instance.content_type.model_class() if instance.content_type_id else None
    security_event(
        "admin_change",
        user=instance.user,
        action=ACTION_NAMES.get(instance.action_flag, str(instance.action_flag)),
        object={
            "type": model._meta.label_lower if model else None,
            "id": str(instance.object_id),
            "repr": instance.object_repr,
        },
        change_message=instance.change_message,
    )


def before_user_save(sender, instance, update_fields=None, **kwargs):
    instance._security_deactivated = instance._security_password_changed = False
    watched = {"is_active", "password"}
    if instance.pk is None or (update_fields is not None and not watched & set(update_fields)):
        return
    stored = sender._default_manager.filter(pk=instance.pk).values("is_active", "password").first()
    if stored is None:
        return
    instance._security_deactivated = stored["is_active"] and not instance.is_active
    # A save of the password alone is Django re-hashing it at login (a stronger hasher), not a change.
    rehash = update_fields is not None and set(update_fields) == {"password"}
    instance._security_password_changed = stored["password"] != instance.password and not rehash


def after_user_save(sender, instance, created, **kwargs):
    if getattr(instance, "_security_password_changed", False):
        # Django itself ends the account's other sessions: each carries a hash of the old password.
        security_event("password_changed", target=instance)
    if getattr(instance, "_security_deactivated", False):
        sessions_end(user=instance, reason="deactivated")


def connect():
    from axes.signals import user_locked_out

    user_model = get_user_model()
    user_logged_in.connect(on_logged_in, dispatch_uid="security.logged_in")
    user_login_failed.connect(on_login_failed, dispatch_uid="security.login_failed")
    user_logged_out.connect(on_logged_out, dispatch_uid="security.logged_out")
    user_locked_out.connect(on_locked_out, dispatch_uid="security.locked_out")
    post_save.connect(on_log_entry, sender=LogEntry, dispatch_uid="security.log_entry")
    pre_save.connect(before_user_save, sender=user_model, dispatch_uid="security.user_pre_save")
    post_save.connect(after_user_save, sender=user_model, dispatch_uid="security.user_post_save")
