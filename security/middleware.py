"""AccountSecurityMiddleware: after authentication (and django-otp's OTPMiddleware), before the view.

1. Session limits (security.sessions): a session past its time, or ended by deactivation or an MFA
   reset, is logged out; the request goes on as anonymous, with a message.
2. The two-factor gate: a signed-in account that has an authenticator, or that has admin access,
   reaches nothing but the two-factor pages and logout until this session has passed the second
   factor (staff without an authenticator are sent to set one up). No setting switches this off.
3. After the view: the per-address login throttle's lockout page, a security-log line for every
   403 and for every POST to the admin (actions on selected rows included).
"""

import functools
import logging
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from security.log import current_request, security_event
from security.services import SESSION_ENROLLED_KEY, is_enrolled, requires_mfa
from security.sessions import session_end_reason, session_touch

ACTION_CHECKBOX = "_selected_action"
MAX_LOGGED_IDS = 100


@functools.cache
def _exempt_paths() -> tuple[str, ...]:
    """Pages an unverified account may still open (resolved once, not on every request)."""
    names = ["security:mfa-setup", "security:mfa-verify", "logout", "login", "admin:logout", "admin:login"]
    return (*(reverse(name) for name in names), settings.STATIC_URL, "/healthz")


class AccountSecurityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_request.set(request)
        try:
            response = self._before_view(request) or self.get_response(request)
            self._after_view(request, response)
            if getattr(request, "security_address_blocked", False):
                response = self._address_blocked(request)
            return response
        finally:
            current_request.reset(token)

    # Before the view ---------------------------------------------------------------------------

    def _before_view(self, request):
        user = request.user
        if not user.is_authenticated:
            return None
        now = time.time()
        reason = session_end_reason(request.session, user, now)
        if reason is not None:
            security_event("session_expired", request=request, user=user, reason=reason)
            logout(request)
            messages.info(request, _("Your session has ended. Please log in again."))
            return None
        session_touch(request.session, now)
        return self._mfa_gate(request, user)

    def _mfa_gate(self, request, user):
        if user.is_verified() or self._exempt(request):
            return None
        # Noted in the session at login (and at enrolment), so that cadres cost no query per page.
        enrolled = request.session.get(SESSION_ENROLLED_KEY)
        if enrolled is None:
            enrolled = request.session[SESSION_ENROLLED_KEY] = is_enrolled(user)
        if not enrolled and not requires_mfa(user):
            return None  # a cadre who has not chosen two-factor authentication
        target = "security:mfa-verify" if enrolled else "security:mfa-setup"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")

    @staticmethod
    def _exempt(request) -> bool:
        return any(
            request.path == path or (path.endswith("/") and request.path.startswith(path)) for path in _exempt_paths()
        )

    # After the view ----------------------------------------------------------------------------

    def _after_view(self, request, response):
        if response.status_code == 403:
            security_event("permission_denied", request=request, method=request.method, level=logging.WARNING)
        match = getattr(request, "resolver_match", None)
        if request.method == "POST" and match is not None and match.namespace == "admin":
            if match.url_name in {"login", "logout"}:
                return  # logged as login and logout
            self._log_admin_post(request, response, match)

    @staticmethod
    def _log_admin_post(request, response, match):
        model_admin = getattr(match.func, "model_admin", None)
        details = {"view": match.url_name, "status": response.status_code}
        if model_admin is not None:
            details["model"] = model_admin.model._meta.label_lower
        if "object_id" in match.kwargs:
            details["object_id"] = match.kwargs["object_id"]
        action = request.POST.get("action")
        if action:
            selected = request.POST.getlist(ACTION_CHECKBOX)
            details["action"] = action
            details["selected"] = selected[:MAX_LOGGED_IDS]
            details["selected_count"] = len(selected)
            details["select_across"] = request.POST.get("select_across") == "1"
            # A redirect means the action ran; a page with 200 asks for confirmation first.
            details["done"] = response.status_code in (301, 302, 303)
        security_event("admin_request", request=request, **details)

    @staticmethod
    def _address_blocked(request):
        minutes = int(settings.SECURITY_ADDRESS_FAILURE_WINDOW.total_seconds() // 60)
        return render(
            request, "registration/locked_out.html", {"address_blocked": True, "minutes": minutes}, status=429
        )
