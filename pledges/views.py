import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.ratelimit import limited
from core.storage import private_file_response
from pledges.models import PledgeText, Signature
from pledges.services import signature_sign_online
from units.scoping import scope_queryset, user_membership

# Codes one address may check in an hour: enough for a person, too few to guess codes.
VERIFICATIONS_PER_HOUR = 60


def pledge_list(request):
    pledges = PledgeText.objects.published().with_counts(request.user)
    return render(
        request,
        "pledges/pledgetext_list.html",
        {
            "pledges": pledges,
            "crumbs": [(_("Clean-governance pledges"), "")],
            "is_cadre": user_membership(request.user) is not None,
        },
    )


def pledge_detail(request, pk):
    pledge = get_object_or_404(PledgeText.objects.published().with_counts(request.user), pk=pk)
    mine = None
    if request.user.is_authenticated:
        mine = pledge.signatures.valid().filter(user=request.user).first()
    error = None
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('login')}?next={pledge.get_absolute_url()}")
        try:
            signature = signature_sign_online(
                pledge=pledge, user=request.user, drawn_signature=request.POST.get("drawn_signature", "")
            )
        except PermissionDenied:
            error = _("Only cadres registered with a unit can sign. Please contact your unit's administrator.")
        except DomainError as problem:
            error = problem.message
        else:
            if signature.method == Signature.Method.PAPER:
                signed_on = formats.date_format(timezone.localtime(signature.signed_at).date())
                messages.info(
                    request,
                    _(
                        "Your unit has already recorded your signature on paper (signed on %(date)s). "
                        "It counts once, and there is no need to sign again."
                    )
                    % {"date": signed_on},
                )
            else:
                messages.success(request, _("Thank you. Your signature was recorded."))
            return redirect(signature.get_absolute_url())
    return render(
        request,
        "pledges/pledgetext_detail.html",
        {
            "pledge": pledge,
            "mine": mine,
            "error": error,
            "is_cadre": user_membership(request.user) is not None,
            "crumbs": [(_("Clean-governance pledges"), reverse("pledges:pledge-list")), (pledge.title, "")],
        },
    )


def _own_or_managed(request, code):
    signature = get_object_or_404(Signature.objects.select_related("pledge", "version", "unit"), verification_code=code)
    if request.user.is_authenticated and signature.user_id == request.user.pk:
        return signature
    if (
        request.user.is_authenticated
        and scope_queryset(Signature.objects.filter(pk=signature.pk), request.user, "unit").exists()
    ):
        return signature
    raise Http404


@login_required
def certificate(request, code):
    """The signed text exactly as the signer saw it, printable on A4, with a QR code to verify."""
    signature = _own_or_managed(request, code)
    verify_url = request.build_absolute_uri(reverse("pledges:verify", args=[signature.verification_code]))
    qr = segno.make(verify_url, error="m").svg_inline(scale=3, dark="#222", omitsize=False)
    return render(
        request,
        "pledges/certificate.html",
        {
            "signature": signature,
            "verify_url": verify_url,
            "qr_svg": mark_safe(qr),  # noqa: S308 - segno output
        },
    )


@login_required
def drawn_signature(request, code):
    signature = _own_or_managed(request, code)
    response = private_file_response(signature.drawn_signature, content_type="image/png")
    response["Cache-Control"] = "private, no-store"
    return response


@limited("verify", limit=VERIFICATIONS_PER_HOUR, seconds=3600, methods=("GET",))
def verify(request, code):
    """Anyone may check a certificate: the text's title, a masked name, the unit and the date.
    An unknown code gets the verification page with a clear "not found" and the entry box (404)."""
    return _verification(request, code)


@limited("verify", limit=VERIFICATIONS_PER_HOUR, seconds=3600, methods=("GET",))
def verify_entry(request):
    """The page where a code printed on a certificate is typed in (the QR link leads to `verify`)."""
    code = request.GET.get("code", "")
    if not code.strip():
        return render(request, "pledges/verify.html", {"code": ""})
    return _verification(request, code)


def _verification(request, code: str):
    code = "".join(code.split()).upper()[:20]
    signature = Signature.objects.select_related("pledge", "unit").filter(verification_code=code).first()
    if signature is None:
        return render(request, "pledges/verify.html", {"code": code, "not_found": True}, status=404)
    return render(request, "pledges/verify.html", {"signature": signature, "code": code})
