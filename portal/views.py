from django.apps import apps
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from core.images import image_clean
from core.storage import StorageFailed
from portal.context_processors import ELDER_MODE_COOKIE


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


@never_cache
@require_GET
def healthz(request):
    """200 when the database answers, 503 otherwise (for the load balancer)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


@require_POST
def elder_mode(request):
    """Switch the larger-text 长者模式 on or off for this visitor (kept in a cookie for a year)."""
    enable = request.POST.get("enable") == "1"
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    if enable:
        response.set_cookie(ELDER_MODE_COOKIE, "1", max_age=365 * 24 * 3600, samesite="Lax")
    else:
        response.delete_cookie(ELDER_MODE_COOKIE)
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
