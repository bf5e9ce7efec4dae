from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class LinkCheckRun(models.Model):
    """One pass of the link checker over the whole site (sitecheck.services.link_check_run)."""

    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty for the weekly run."),
    )
    links_checked = models.PositiveIntegerField(_("links checked"), default=0)
    broken_count = models.PositiveIntegerField(_("broken links"), default=0)

    class Meta:
        verbose_name = _("link check")
        verbose_name_plural = _("link checks")
        ordering = ["-started_at", "-pk"]

    def __str__(self):
        return str(_("Link check of %(date)s")) % {"date": self.started_at.strftime("%Y-%m-%d %H:%M")}


class BrokenLink(models.Model):
    """A link that did not answer, where it was found (one row per place: a broken address used in
    two items is two rows, so each can be mended)."""

    class Error(models.TextChoices):
        TIMEOUT = "timeout", _("No answer within the time limit")
        UNREACHABLE = "unreachable", _("Host not found or connection refused")
        PRIVATE = "private", _("Address of a private network, not fetched")
        SCHEME = "scheme", _("Not a web address")
        REDIRECTS = "redirects", _("Too many redirects")
        MISSING_FILE = "missing_file", _("File missing from storage")

    run = models.ForeignKey(LinkCheckRun, verbose_name=_("link check"), on_delete=models.CASCADE, related_name="links")
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("kind of item"), on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(_("item number"))
    source = models.CharField(_("item"), max_length=300)
    field = models.CharField(_("field"), max_length=100)
    url = models.TextField(_("address"))
    status = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=20, choices=Error.choices, blank=True)
    checked_at = models.DateTimeField(_("checked at"))

    class Meta:
        verbose_name = _("broken link")
        verbose_name_plural = _("broken links")
        ordering = ["run", "content_type", "object_id", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__isnull=False) | ~models.Q(error=""),
                name="sitecheck_broken_link_has_a_reason",
            ),
        ]

    def __str__(self):
        return self.url

    @property
    def reason(self) -> str:
        return self.get_error_display() if self.error else f"HTTP {self.status}"
