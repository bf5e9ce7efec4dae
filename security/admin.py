"""Two-factor accounts (status and reset) and failed logins by address (unlock).

django-otp's own device admins are removed: they would show every account's TOTP secret and
recovery codes to anyone who may view them."""

from django.contrib import admin, messages
from django.db.models import Count, Exists, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from security.models import FailedLogin, TwoFactorAccount
from security.services import MFAError, address_unlock, mfa_reset
from units.scoping import scope_queryset

for otp_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(otp_model):
        admin.site.unregister(otp_model)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(TwoFactorAccount)
class TwoFactorAccountAdmin(ReadOnlyAdmin):
    list_display = ["username", "first_name", "is_staff", "mfa_enrolled", "mfa_last_used", "recovery_left"]
    list_filter = ["is_staff"]
    search_fields = ["username", "first_name"]
    fields = ["username", "first_name", "is_staff", "is_active", "mfa_enrolled", "mfa_last_used", "recovery_left"]
    readonly_fields = fields
    actions = ["reset_mfa"]

    def get_queryset(self, request):
        confirmed = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        codes = (
            StaticToken.objects.filter(device__user=OuterRef("pk"), device__confirmed=True)
            .values("device__user")
            .annotate(count=Count("pk"))
            .values("count")
        )
        queryset = (
            super()
            .get_queryset(request)
            .annotate(
                has_totp=Exists(confirmed),
                totp_last_used=Subquery(confirmed.values("last_used_at")[:1]),
                codes_left=Coalesce(Subquery(codes), 0),
            )
        )
        return scope_queryset(queryset, request.user, "membership__unit")

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request, obj=None):
        return False

    def has_reset_mfa_permission(self, request):
        return request.user.has_perm("security.reset_mfa")

    @admin.display(description=_("two-factor set up"), boolean=True, ordering="has_totp")
    def mfa_enrolled(self, obj):
        return obj.has_totp

    @admin.display(description=_("authenticator last used"), ordering="totp_last_used")
    def mfa_last_used(self, obj):
        return obj.totp_last_used or "—"

    @admin.display(description=_("recovery codes left"), ordering="codes_left")
    def recovery_left(self, obj):
        return obj.codes_left

    @admin.action(
        description=_("Reset two-factor authentication (ends the account's sessions)"), permissions=["reset_mfa"]
    )
    def reset_mfa(self, request, queryset):
        done = 0
        for account in queryset:
            try:
                mfa_reset(user=account, actor=request.user)
            except MFAError as error:
                self.message_user(request, f"{account.get_username()}: {error.message}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext(
                    "Two-factor authentication reset for %(count)d account; it sets up a new one at its next login.",
                    "Two-factor authentication reset for %(count)d accounts; each sets up a new one at its next login.",
                    done,
                )
                % {"count": done},
                messages.SUCCESS,
            )


@admin.register(FailedLogin)
class FailedLoginAdmin(ReadOnlyAdmin):
    list_display = ["ip_address", "attempted_at"]
    search_fields = ["ip_address"]
    date_hierarchy = None
    actions = ["unlock_addresses"]

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description=_("Unlock the selected addresses (forget their failed logins)"), permissions=["delete"])
    def unlock_addresses(self, request, queryset):
        addresses = set(queryset.values_list("ip_address", flat=True))
        address_unlock(addresses=addresses, actor=request.user)
        self.message_user(
            request,
            gettext("Unlocked: %(addresses)s") % {"addresses": "、".join(sorted(addresses))},
            messages.SUCCESS,
        )
