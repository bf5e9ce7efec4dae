from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.network import client_ip
from core.storage import private_file_response
from core.watermark import WatermarkError
from publications.models import Attachment, BulletinCase, Publication, ReadReceipt, audiences_for
from publications.services import DeliveryError, attachment_deliver, receipt_confirm
from units.scoping import user_membership

PER_PAGE = 20


def publication_list(request):
    items = Publication.objects.visible_to(request.user).select_related("issuing_unit")
    kind = request.GET.get("kind", "")
    if kind in Publication.Kind.values:
        items = items.filter(kind=kind)
    page = Paginator(items, PER_PAGE).get_page(request.GET.get("page"))
    kinds_present = set(Publication.objects.visible_to(request.user).values_list("kind", flat=True).distinct())
    return render(
        request,
        "publications/publication_list.html",
        {
            "page": page,
            "kinds": [(value, label) for value, label in Publication.Kind.choices if value in kinds_present],
            "selected_kind": kind,
            "crumbs": [(_("Materials and bulletins"), "")],
        },
    )


def _readable(request, queryset, pk):
    """The published item if the user may read it. Anonymous visitors of a restricted item are
    asked to log in (its title is not shown); others get a plain 404."""
    item = get_object_or_404(queryset.published(), pk=pk)
    if item.audience in audiences_for(request.user):
        return item, None
    if not request.user.is_authenticated:
        return None, redirect_to_login(request.get_full_path())
    raise Http404


def publication_detail(request, pk):
    queryset = Publication.objects.select_related("issuing_unit").prefetch_related(
        "attachments", Prefetch("cases", queryset=BulletinCase.objects.order_by("order", "pk"))
    )
    item, redirect_response = _readable(request, queryset, pk)
    if redirect_response:
        return redirect_response
    receipt = None
    if item.is_restricted and request.user.is_authenticated:
        receipt = ReadReceipt.objects.filter(publication=item, user=request.user).first()
    back = reverse("publications:bulletin-list") if item.kind in BULLETIN_KINDS and item.is_restricted else None
    if back:
        request.navigation_path = back  # the 案例通报 column, not 资料与通报
    previous, following = _neighbours(request.user, item)
    crumbs = [
        (
            _("Case bulletins") if back else _("Materials and bulletins"),
            back or reverse("publications:publication-list"),
        ),
        (item.title, ""),
    ]
    can_confirm = item.is_restricted and user_membership(request.user) is not None
    return render(
        request,
        "publications/publication_detail.html",
        {
            "item": item,
            "receipt": receipt,
            "can_confirm": can_confirm,
            "study_actions": _study_actions(request, item) if can_confirm else [],
            "crumbs": crumbs,
            "previous": previous,
            "next": following,
        },
    )


def _study_actions(request, item) -> list[dict]:
    """What other apps offer a cadre after studying the item (a quiz …): each app above this one
    may answer `study_actions(request, item)` with {label, url, status} entries."""
    return [
        action
        for config in apps.get_app_configs()
        if hasattr(config, "study_actions")
        for action in config.study_actions(request, item)
    ]


def _neighbours(user, item):
    """上一篇 / 下一篇: the items just before and after `item` in its column (the bulletins, or
    the items of its kind) that `user` may read, by publication time."""
    kinds = BULLETIN_KINDS if item.kind in BULLETIN_KINDS else {item.kind}
    column = Publication.objects.visible_to(user).filter(kind__in=kinds).exclude(pk=item.pk)
    moment = item.published_at
    earlier = column.filter(Q(published_at__lt=moment) | Q(published_at=moment, pk__lt=item.pk))
    later = column.filter(Q(published_at__gt=moment) | Q(published_at=moment, pk__gt=item.pk))
    fields = ("pk", "title", "year", "issue_number")
    return (
        earlier.order_by("-published_at", "-pk").only(*fields).first(),
        later.order_by("published_at", "pk").only(*fields).first(),
    )


BULLETIN_KINDS = {Publication.Kind.CASE_BULLETIN, Publication.Kind.WARNING_MATERIAL}


def attachment_download(request, pk):
    """A public item's attachment as it was uploaded; a restricted item's only as a copy stamped
    for the reader (publications.services.attachment_deliver), never the original."""
    attachment = get_object_or_404(Attachment.objects.select_related("publication__issuing_unit"), pk=pk)
    _item, redirect_response = _readable(request, Publication.objects.all(), attachment.publication_id)
    if redirect_response:
        return redirect_response
    if not attachment.publication.is_restricted:
        response = private_file_response(
            attachment.file,
            as_attachment=True,
            filename=attachment.original_name,
            content_type=attachment.content_type,
        )
        response["Cache-Control"] = "private"
        return response
    try:
        _delivery, stamped = attachment_deliver(
            attachment=attachment, user=request.user, client_address=client_ip(request)
        )
    except FileNotFoundError as error:
        raise Http404 from error
    except (DeliveryError, WatermarkError) as error:
        status = 403 if error.code == "unsupported_type" else 422
        return render(
            request,
            "publications/attachment_refused.html",
            {
                "attachment": attachment,
                "item": attachment.publication,
                "message": error.message,
            },
            status=status,
        )
    response = HttpResponse(stamped, content_type=attachment.content_type)
    response["Content-Disposition"] = content_disposition_header(True, attachment.original_name)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def bulletin_list(request):
    """Case bulletins and warning material for cadres, newest first, marked 未学习 until confirmed."""
    if user_membership(request.user) is None and not request.user.is_superuser:
        return render(request, "publications/bulletins_not_registered.html", status=403)
    items = (
        Publication.objects.visible_to(request.user)
        .bulletins()
        .select_related("issuing_unit")
        .annotate(studied=Exists(ReadReceipt.objects.filter(publication=OuterRef("pk"), user=request.user)))
    )
    page = Paginator(items, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "publications/bulletin_list.html", {"page": page, "crumbs": [(_("Case bulletins"), "")]})


@login_required
@require_POST
def receipt_confirm_view(request, pk):
    item, _redirect = _readable(request, Publication.objects.all(), pk)
    receipt_confirm(publication=item, user=request.user)
    messages.success(request, _("Recorded: you have studied this item."))
    return redirect(item.get_absolute_url())
