from django.apps import apps
from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.utils import DatabaseError
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from bases.models import EducationBase
from core.images import image_clean
from core.storage import StorageFailed


def home(request):
    """The home page: one 栏目 block per app that has something to show (an app offers it
    through its AppConfig's `home_block(request)`, which returns None when it has nothing)."""
    blocks = []
    for app_config in apps.get_app_configs():
        provider = getattr(app_config, "home_block", None)
        block = provider(request) if provider else None
        if block:
            blocks.append(block)
    return render(request, "portal/home.html", {"home_blocks": blocks})


def about(request):
    return render(request, "portal/about.html")


def privacy(request):
    return render(request, "portal/privacy.html")


def contact(request):
    """联系我们: the commission's office and every base that receives visitors, with phone and
    address, each from where it is kept (the site settings, the bases)."""
    bases = (
        EducationBase.objects.published()
        .exclude(contact_phone="", address="")
        .select_related("township")
        .only("name", "slug", "contact_phone", "address", "opening_hours", "township__name")
        .order_by("township__path", "name")
    )
    return render(request, "portal/contact.html", {"bases": bases, "crumbs": [(_("Contact us"), "")]})


# /healthz answers within this many seconds even when the database hangs.
HEALTH_TIMEOUT = 1


@never_cache
@require_GET
def healthz(request):
    """200 when the database answers, 503 otherwise (for the load balancer), within about a second.

    On PostgreSQL the check opens a connection of its own with a short connect timeout and
    statement timeout: the request's persistent connection may be stuck behind a database that
    accepted the connection and then stopped answering."""
    try:
        database_answers(timeout=HEALTH_TIMEOUT)
    except DatabaseError:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


def database_answers(*, timeout: int) -> None:
    """Run SELECT 1, or raise DatabaseError."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return
    probe = connections.create_connection(DEFAULT_DB_ALIAS)
    probe.settings_dict = {
        **probe.settings_dict,
        "CONN_MAX_AGE": 0,
        "OPTIONS": {
            **probe.settings_dict["OPTIONS"],
            "connect_timeout": timeout,
            "options": f"-c statement_timeout={timeout * 1000}",
        },
    }
    try:
        with probe.cursor() as cursor:
            cursor.execute("SELECT 1")
    finally:
        probe.close()


@csrf_exempt
@require_POST
def elder_mode(request):
    """Switch the larger-text 长者模式 on or off for this visitor (kept in a cookie for a year).

    Without a CSRF token: the switch is in the header of every page, and a token there would make
    every page personal and keep it out of the anonymous page cache. A forged request could only
    change another site's visitor's text size, and it only redirects to this site."""
    enable = request.POST.get("enable") == "1"
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    if enable:
        response.set_cookie(settings.ELDER_MODE_COOKIE, "1", max_age=365 * 24 * 3600, samesite="Lax")
    else:
        response.delete_cookie(settings.ELDER_MODE_COOKIE)
    return response


@staff_member_required
@require_POST
def editor_image_upload(request):
    """CKEditor 5 image upload, for staff only: the image is checked and re-encoded first."""
    upload = request.FILES.get("upload")
    if upload is None:
        return JsonResponse({"error": {"message": "请选择要上传的图片。"}}, status=400)
    try:
        clean = image_clean(upload)
    except ValidationError as error:
        return JsonResponse({"error": {"message": " ".join(error.messages)}}, status=400)
    try:
        name = default_storage.save(f"editor/{clean.name}", clean)
    except StorageFailed as error:
        return JsonResponse({"error": {"message": error.message}}, status=503)
    return JsonResponse({"url": default_storage.url(name)})
