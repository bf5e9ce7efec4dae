import logging
import re

from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.contrib.admin import ModelAdmin
from django.contrib.admin.options import TO_FIELD_VAR
from django.contrib.admin.sites import AdminSite
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import BadRequest, ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.text import has_control_characters

logger = logging.getLogger("django.security.RequestGuard")

# The longest username any account has (auth.User.username); django-axes stores what was typed in a
# column of 255 characters, which PostgreSQL enforces.
FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
DATE_PART = re.compile(r"__(year|month|day)$")
SMALL_NUMBER = re.compile(r"^[0-9]{1,4}$")


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """The site-wide policy (settings.CONTENT_SECURITY_POLICY), relaxed for the admin only:
    CKEditor 5 injects <style> elements and the Django admin sets style attributes at run time,
    which a strict style-src blocks. Scripts stay 'self' everywhere."""

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith("/admin/"):
            parts.update = {**(parts.update or {}), "style-src": [UNSAFE_INLINE]}
        return parts


class RequestGuardMiddleware:
    """Answer 400 to a request carrying control characters (NUL, ESC, DEL, C1 …): in the path,
    anywhere in the query string, or in a form field's name or value and an uploaded file's name
    (where tab, line feed and carriage return pass: text areas send them).

    Nobody types these; they come from probing or from text pasted out of other programs, and they
    break what comes after — PostgreSQL refuses NUL in any query, XML (the feed, .docx and .xlsx)
    refuses the C0 range. Refusing them at the door keeps them out of every form and every stored
    field at once. Placed early in MIDDLEWARE, before sessions and authentication: the 400 page
    needs neither."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        where = self.control_characters_in(request)
        if where:
            logger.warning("Refused a request with control characters in its %s: %r", where, request.path)
            return render(
                request,
                "400.html",
                {
                    "reason": _(
                        "The request holds invisible control characters (such as NUL or ESC). "
                        "Remove them and try again."
                    )
                },
                status=400,
            )
        return self.get_response(request)

    @staticmethod
    def control_characters_in(request) -> str:
        """Where the request carries control characters ("path", "query", "form"), or ""."""
        if has_control_characters(request.path):
            return "path"
        for key, values in request.GET.lists():
            if has_control_characters(key) or any(has_control_characters(value) for value in values):
                return "query"
        if request.method in {"POST", "PUT", "PATCH"} and request.content_type in FORM_CONTENT_TYPES:
            for key, values in request.POST.lists():
                if has_control_characters(key) or any(
                    has_control_characters(value, allow_whitespace=True) for value in values
                ):
                    return "form"
            for key, files in request.FILES.lists():
                if has_control_characters(key) or any(has_control_characters(file.name or "") for file in files):
                    return "form"
        return ""


class AdminGuardMiddleware:
    """Checks on admin requests that the admin (or a package extending it) leaves undone, each
    answering 400 or 404 where a server error would follow. Placed after AuthenticationMiddleware.

    - An object id in the URL must be a valid primary key of the page's model (django-simple-history's
      pages, and history views built on them, look the id up unchecked).
    - `_to_field` must not be empty; date-hierarchy parameters (…__year, __month, __day) must be
      small numbers (the admin turns them into a date without catching an overflow).
    - The "view on site" redirect (/admin/r/<content type>/<id>/) follows an object's
      get_absolute_url for any staff member, and some of those URLs are secrets (a certificate's
      verification code, a booking reference). It is let through only when the user may see that
      object in its own admin (its scoped queryset and view or change permission); for a model
      without an admin, only when the model does not declare `SECRET_URL = True`. Otherwise 404,
      as for an object that does not exist."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        model_admin = getattr(view_func, "model_admin", None) or getattr(
            getattr(view_func, "__wrapped__", None), "__self__", None
        )
        site = getattr(view_func, "admin_site", None) or getattr(model_admin, "admin_site", None)
        if match is None or not isinstance(site, AdminSite):
            return None
        if request.GET.get(TO_FIELD_VAR, None) == "":
            raise BadRequest("empty _to_field")
        for key, value in request.GET.items():
            if DATE_PART.search(key) and not SMALL_NUMBER.match(value):
                raise BadRequest("bad date hierarchy value")
        if isinstance(model_admin, ModelAdmin):
            self.check_object_ids(model_admin.model, match.url_name or "", view_args, view_kwargs)
        if match.url_name == "view_on_site":
            self.check_shortcut(request, site, view_kwargs)
        return None

    @staticmethod
    def check_object_ids(model, url_name: str, view_args, view_kwargs) -> None:
        """404 for an object id (or a history record id) that the model's key cannot hold."""
        checks = [(model._meta.pk, view_kwargs.get("object_id"))]
        if url_name.endswith("_simple_history") and len(view_args) == 2:  # (object id, history id)
            history = getattr(model, model._meta.simple_history_manager_attribute).model
            checks = [(model._meta.pk, view_args[0]), (history._meta.pk, view_args[1])]
        for field, value in checks:
            if value is None:
                continue
            try:
                field.to_python(unquote(str(value)))
            except (ValidationError, ValueError, TypeError) as error:
                raise Http404 from error

    def check_shortcut(self, request, site, view_kwargs) -> None:
        user = getattr(request, "user", None)
        if user is None or not (user.is_active and user.is_staff):
            return  # the admin sends them to its login page
        content_type_id = str(view_kwargs.get("content_type_id", ""))
        if not (content_type_id.isascii() and content_type_id.isdigit() and len(content_type_id) < 10):
            raise Http404
        content_type = ContentType.objects.filter(pk=int(content_type_id)).first()
        model = content_type.model_class() if content_type is not None else None
        if model is not None and not self.may_follow(request, site, model, view_kwargs.get("object_id")):
            raise Http404

    @staticmethod
    def may_follow(request, site, model, object_id) -> bool:
        model_admin = site._registry.get(model)
        if model_admin is None:
            return not getattr(model, "SECRET_URL", False)
        try:
            model._meta.pk.to_python(object_id)
            obj = model_admin.get_queryset(request).filter(pk=object_id).first()
        except (ValueError, TypeError, ValidationError):
            return False
        return obj is not None and model_admin.has_view_or_change_permission(request, obj)


def login_username(request, credentials=None):
    """The username of a login attempt as django-axes records it (AXES_USERNAME_CALLABLE): what
    was typed, cut to the longest username an account can have, so that a 300-character name is
    a failed login and not a database error."""
    source = credentials or getattr(request, "POST", {})
    username = source.get("username")
    longest = get_user_model()._meta.get_field(get_user_model().USERNAME_FIELD).max_length
    return username[:longest] if isinstance(username, str) else username
