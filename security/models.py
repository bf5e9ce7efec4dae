from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccountState(models.Model):
    """Per-account security state kept beside the user row.

    `session_epoch` is written into each session at login; ending an account's sessions
    (deactivation, MFA reset) raises it, and AccountSecurityMiddleware ends every session that carries an
    older number — for good, so re-activating the account does not bring an old session back."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="security_state",
    )
    session_epoch = models.PositiveIntegerField(_("session generation"), default=0)
    sessions_ended_at = models.DateTimeField(_("sessions last ended"), null=True, blank=True)

    class Meta:
        verbose_name = _("account security state")
        verbose_name_plural = _("account security states")

    def __str__(self):
        return str(self.user)


class FailedLoginQuerySet(models.QuerySet):
    def recent_for(self, address: str, since):
        return self.filter(ip_address=address, attempted_at__gte=since)


class FailedLogin(models.Model):
    """One failed login from one address, whatever the username: the per-address throttle against
    password spraying counts these (SECURITY_ADDRESS_FAILURE_LIMIT within the window). Rows older
    than the window are deleted as new failures arrive; deleting an address's rows unlocks it."""

    ip_address = models.GenericIPAddressField(_("address"))
    attempted_at = models.DateTimeField(_("time"), db_index=True)

    objects = FailedLoginQuerySet.as_manager()

    class Meta:
        verbose_name = _("failed login")
        verbose_name_plural = _("failed logins")
        ordering = ["-attempted_at"]
        default_permissions = ("view", "delete")
        indexes = [models.Index(fields=["ip_address", "attempted_at"], name="failedlogin_address_time")]

    def __str__(self):
        return f"{self.ip_address} {self.attempted_at:%Y-%m-%d %H:%M}"


class TwoFactorAccount(get_user_model()):
    """The accounts as the two-factor admin lists them: whether each has set up an authenticator,
    and the reset that commission administrators and superusers may perform."""

    class Meta:
        proxy = True
        verbose_name = _("two-factor authentication")
        verbose_name_plural = _("two-factor authentication")
        default_permissions = ("view",)
        permissions = [("reset_mfa", _("Can reset another account's two-factor authentication"))]
