import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.fields import RichTextField
from core.models import Topic
from core.storage import private_storage
from units.models import Unit

VERIFICATION_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud or typed from paper


def new_verification_code() -> str:
    return "".join(secrets.choice(VERIFICATION_ALPHABET) for _ in range(10))


class PledgeTextQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def open_now(self):
        today = timezone.localdate()
        return (
            self.published()
            .filter(Q(opens_on__isnull=True) | Q(opens_on__lte=today))
            .filter(Q(closes_on__isnull=True) | Q(closes_on__gte=today))
        )

    def with_counts(self, user):
        """Annotate `signed_count` (valid signatures) and, for a logged-in user, `signed_by_me`.

        Counted per text in a subquery that reads only the index of valid signatures by text
        (signature_valid_pledge), not by joining every signature row to the list."""
        valid = (
            Signature.objects.valid()
            .filter(pledge=models.OuterRef("pk"))
            .order_by()
            .values("pledge")
            .annotate(count=models.Count("*"))
            .values("count")
        )
        queryset = self.annotate(signed_count=Coalesce(models.Subquery(valid), 0))
        if user.is_authenticated:
            mine = Signature.objects.valid().filter(pledge=models.OuterRef("pk"), user=user)
            queryset = queryset.annotate(signed_by_me=models.Exists(mine))
        return queryset


class PledgeText(models.Model):
    """A pledge (承诺书) or initiative letter (倡议书) that cadres sign."""

    class Kind(models.TextChoices):
        PLEDGE = "pledge", _("Pledge")
        INITIATIVE = "initiative", _("Initiative letter")

    class Audience(models.TextChoices):
        ALL_CADRES = "all_cadres", _("All cadres and public servants")
        LEADERS = "leaders", _("Leading cadres")
        COMMISSION = "commission", _("Commission cadres and their families")

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PLEDGE)
    body = RichTextField(_("text"))
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices, default=Audience.ALL_CADRES)
    topics = models.ManyToManyField(
        Topic,
        verbose_name=_("topics"),
        blank=True,
        related_name="pledge_texts",
        help_text=_("The work report counts this text's signatures under these topics."),
    )
    issuing_unit = models.ForeignKey(Unit, verbose_name=_("issuing unit"), on_delete=models.PROTECT, related_name="+")
    opens_on = models.DateField(_("open from"), null=True, blank=True)
    closes_on = models.DateField(_("open until"), null=True, blank=True)
    requires_drawn_signature = models.BooleanField(_("drawn signature required"), default=False)
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    history = HistoricalRecords()

    objects = PledgeTextQuerySet.as_manager()

    class Meta:
        verbose_name = _("pledge text")
        verbose_name_plural = _("pledge texts")
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_on__isnull=True) | Q(closes_on__isnull=True) | Q(closes_on__gte=models.F("opens_on")),
                name="pledge_closes_after_opening",
                violation_error_message=_("The closing date cannot be before the opening date."),
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("pledges:pledge-detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        today = timezone.localdate()
        return (
            self.is_published
            and (self.opens_on is None or self.opens_on <= today)
            and (self.closes_on is None or self.closes_on >= today)
        )


class PledgeVersion(models.Model):
    """The exact wording of a text as it stood when someone signed it. A new version is made
    only when the wording changed since the last signature."""

    pledge = models.ForeignKey(
        PledgeText, verbose_name=_("pledge text"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("text version")
        verbose_name_plural = _("text versions")
        ordering = ["pledge", "-number"]
        constraints = [models.UniqueConstraint(fields=["pledge", "number"], name="pledge_version_unique")]

    def __str__(self):
        return f"{self.title} v{self.number}"


class SignatureQuerySet(models.QuerySet):
    def valid(self):
        return self.filter(is_void=False)


class Signature(models.Model):
    class Method(models.TextChoices):
        ONLINE = "online", _("Online")
        PAPER = "paper", _("Paper")

    pledge = models.ForeignKey(
        PledgeText, verbose_name=_("pledge text"), on_delete=models.PROTECT, related_name="signatures"
    )
    version = models.ForeignKey(
        PledgeVersion, verbose_name=_("text version"), on_delete=models.PROTECT, related_name="signatures"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signer account"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signatures",
    )
    signer_name = models.CharField(_("name"), max_length=50)
    unit = models.ForeignKey(Unit, verbose_name=_("unit at signing"), on_delete=models.PROTECT, related_name="+")
    position = models.CharField(_("position"), max_length=100, blank=True)
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    signed_at = models.DateTimeField(_("signed at"))
    drawn_signature = models.ImageField(
        _("drawn signature"), storage=private_storage, upload_to="signatures/%Y/", blank=True
    )
    verification_code = models.CharField(
        _("verification code"), max_length=12, unique=True, default=new_verification_code, editable=False
    )
    is_void = models.BooleanField(_("void"), default=False)
    void_reason = models.CharField(_("reason for voiding"), max_length=200, blank=True)
    history = HistoricalRecords(excluded_fields=["drawn_signature"])

    objects = SignatureQuerySet.as_manager()

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["-signed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["pledge", "user"],
                condition=Q(user__isnull=False, is_void=False),
                name="one_online_signature_per_signer",
                violation_error_message=_("This cadre has already signed this text."),
            ),
            models.UniqueConstraint(
                fields=["pledge", "unit", "signer_name"],
                condition=Q(method="paper", is_void=False),
                name="one_paper_signature_per_name_and_unit",
                violation_error_message=_("This name has already signed for this unit."),
            ),
        ]
        indexes = [
            # The work report counts valid signatures unit by unit (the chart of a pledge's progress).
            models.Index(fields=["unit", "pledge"], condition=Q(is_void=False), name="signature_valid_unit_pledge"),
            # The admin dashboard counts this year's valid signatures.
            models.Index(fields=["signed_at"], condition=Q(is_void=False), name="signature_valid_signed_at"),
            # The admin list, newest first.
            models.Index(fields=["-signed_at"], name="signature_newest_first"),
            # How many have signed each text (the public list and page).
            models.Index(fields=["pledge"], condition=Q(is_void=False), name="signature_valid_pledge"),
        ]

    def __str__(self):
        return f"{self.signer_name} · {self.pledge}"

    def get_absolute_url(self):
        return reverse("pledges:certificate", args=[self.verification_code])
