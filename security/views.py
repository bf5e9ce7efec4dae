"""The two-factor pages: set up an authenticator (QR code, secret, then 10 recovery codes shown
once) and the second step of a login. Both need a signed-in account; the middleware sends accounts
here (security.middleware)."""

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from security import services
from security.forms import EnrolmentForm, VerifyForm
from security.services import MFAError


def _next_url(request) -> str:
    """Where to go after the second factor: a path on this site, never another site or a URL name."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if (
        target.startswith("/")
        and not target.startswith("//")
        and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=True)
    ):
        return target
    return reverse("admin:index") if request.user.is_staff else reverse("portal:home")


@never_cache
@sensitive_post_parameters("code")
@login_required
def mfa_setup(request):
    user = request.user
    next_url = _next_url(request)
    if services.is_enrolled(user):
        if not user.is_verified():
            return redirect(f"{reverse('security:mfa-verify')}?{urlencode({'next': next_url})}")
        messages.info(request, _("Two-factor authentication is already set up for this account."))
        return HttpResponseRedirect(next_url)
    device = services.mfa_enrolment_start(user=user)
    form = EnrolmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.mfa_enrolment_confirm(request=request, user=user, token=form.cleaned_data["code"])
        except MFAError as error:
            form.add_error("code", error.message)
        else:
            return render(request, "security/recovery_codes.html", {"codes": codes, "next": next_url})
    qr = segno.make(services.totp_uri(device), error="m").svg_inline(scale=4, dark="#222", omitsize=False)
    context = {
        "form": form,
        "next": next_url,
        "qr_svg": mark_safe(qr),  # noqa: S308 - segno output
        "secret": services.totp_secret(device),
        "required": services.requires_mfa(user),
    }
    return render(request, "security/mfa_setup.html", context)


@never_cache
@sensitive_post_parameters("code")
@login_required
def mfa_verify(request):
    user = request.user
    next_url = _next_url(request)
    if not services.is_enrolled(user):
        return redirect(f"{reverse('security:mfa-setup')}?{urlencode({'next': next_url})}")
    if user.is_verified():
        return HttpResponseRedirect(next_url)
    form = VerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            method, left = services.mfa_verify(request=request, user=user, token=form.cleaned_data["code"])
        except MFAError as error:
            form.add_error("code", error.message)
        else:
            if method == "recovery":
                messages.warning(
                    request,
                    _(
                        "You used a recovery code; %(left)d left. Ask an administrator to reset two-factor "
                        "authentication if you have lost your phone."
                    )
                    % {"left": left},
                )
            return HttpResponseRedirect(next_url)
    return render(request, "security/mfa_verify.html", {"form": form, "next": next_url})
