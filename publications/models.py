from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.fields import RichTextField
from core.models import Topic
from core.richtext import plain_text
from core.storage import private_storage
from units.models import Unit
from units.review import Reviewed, published_matches_review
from units.scoping import user_membership, user_scope


class Audience(models.TextChoices):
    PUBLIC = "public", _("Public")
    CADRES = "cadres", _("Cadres")
    STAFF = "staff", _("Unit staff")


class PublicationQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def visible_to(self, user):
        """Published items the user may read: the public sees public items; registered cadres
        also cadre items; back-office staff also staff items."""
        return self.published().filter(audience__in=audiences_for(user))

    def bulletins(self):
        return self.filter(kind__in=[Publication.Kind.CASE_BULLETIN, Publication.Kind.WARNING_MATERIAL])


def audiences_for(user) -> list[str]:
    audiences = [Audience.PUBLIC]
    if user.is_authenticated and (user.is_superuser or user_membership(user) is not None):
        audiences.append(Audience.CADRES)
    if user.is_authenticated and user_scope(user) is not None:
        audiences.append(Audience.STAFF)
    return audiences


class Publication(Reviewed):
    class Kind(models.TextChoices):
        NEWS = "news", _("Work news")
        NOTICE = "notice", _("Notice")
        STUDY_MATERIAL = "study_material", _("Study material")
        RULES_COMPILATION = "rules_compilation", _("Rules compilation")
        WORK_POINTS = "work_points", _("Work points")
        CASE_BULLETIN = "case_bulletin", _("Case bulletin")
        WARNING_MATERIAL = "warning_material", _("Warning-education material")
        ANNOUNCEMENT = "announcement", _("Announcement")
        INITIATIVE = "initiative", _("Initiative letter")
        PLAN = "plan", _("Work plan or opinion")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    series = models.CharField(
        _("series"), max_length=100, blank=True, help_text=_("Issues are numbered within a series and a year.")
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    issue_number = models.PositiveSmallIntegerField(_("issue number"), null=True, blank=True)
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices, default=Audience.PUBLIC)
    topics = models.ManyToManyField(
        Topic,
        verbose_name=_("topics"),
        blank=True,
        related_name="publications",
        help_text=_("The work report counts this item under these topics."),
    )
    issuing_unit = models.ForeignKey(
        Unit, verbose_name=_("issuing unit"), on_delete=models.PROTECT, related_name="publications"
    )
    summary = models.TextField(_("summary"), max_length=500, blank=True)
    body = RichTextField(_("body"), blank=True)
    copies_printed = models.PositiveIntegerField(_("copies printed"), default=0)
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    issued_on = models.DateField(
        _("issued on"),
        null=True,
        blank=True,
        help_text=_("The date on the document itself (for items issued on paper before they were entered)."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    objects = PublicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "year", "issue_number"],
                condition=Q(issue_number__isnull=False),
                name="publication_issue_unique_in_series_year",
                violation_error_message=_("This issue number is already used in this series and year."),
            ),
            models.CheckConstraint(
                condition=Q(issue_number__isnull=True) | Q(year__isnull=False),
                name="publication_issue_has_year",
                violation_error_message=_("Give the year of a numbered issue."),
            ),
            published_matches_review("publication_published_when_reviewed"),
        ]

    def __str__(self):
        return self.title

    def review_unit(self):
        """The unit whose reviewers approve this item (units/review.py)."""
        return self.issuing_unit

    def get_absolute_url(self):
        return reverse("publications:publication-detail", args=[self.pk])

    @property
    def issue_label(self) -> str:
        if self.issue_number is None:
            return ""
        return _("%(year)s, issue %(number)s") % {"year": self.year, "number": self.issue_number}

    @property
    def title_with_issue(self) -> str:
        """The title as lists show it: with its issue（2021年第4期）unless the title names it already."""
        label = self.issue_label
        if not label or label in self.title:
            return self.title
        return f"{self.title}（{label}）"

    @property
    def shows_summary(self) -> bool:
        """Whether the page shows the summary above the body: not when the body opens with it."""
        summary = " ".join(self.summary.split())
        return bool(summary) and not plain_text(self.body).startswith(summary.rstrip("。"))

    @property
    def is_restricted(self) -> bool:
        return self.audience != Audience.PUBLIC


class Attachment(models.Model):
    publication = models.ForeignKey(
        Publication, verbose_name=_("publication"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), storage=private_storage, upload_to="attachments/%Y/")
    original_name = models.CharField(_("file name"), max_length=200, editable=False)
    content_type = models.CharField(_("content type"), max_length=100, editable=False)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0, editable=False)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["publication", "pk"]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("publications:attachment-download", args=[self.pk])


class Distribution(models.Model):
    """Copies of a printed item handed to a unit on a date."""

    publication = models.ForeignKey(
        Publication, verbose_name=_("publication"), on_delete=models.CASCADE, related_name="distributions"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("receiving unit"), on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"))
    copies = models.PositiveIntegerField(_("copies"), validators=[MinValueValidator(1)])
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("distribution")
        verbose_name_plural = _("distributions")
        ordering = ["publication", "date"]
        constraints = [models.CheckConstraint(condition=Q(copies__gte=1), name="distribution_copies_positive")]

    def __str__(self):
        return f"{self.publication} → {self.unit}: {self.copies}"


class Placement(models.Model):
    """Where and when an item was published or reported: intranet, province site, WeChat, TV..."""

    class Channel(models.TextChoices):
        INTRANET = "intranet", _("Intranet")
        EXTRANET = "extranet", _("Extranet")
        CITY_SPECIAL_ISSUE = "city_special_issue", _("City commission special issue")
        PROVINCE_INTRANET = "province_intranet", _("Province commission intranet")
        PROVINCE_SITE = "province_site", _("Province commission website")
        CITY_SITE = "city_site", _("City commission website")
        WECHAT = "wechat", _("City commission WeChat account")
        PORTAL = "portal", _("Portal website")
        TV = "tv", _("Television")
        OTHER = "other", _("Other")

    publication = models.ForeignKey(
        Publication, verbose_name=_("publication"), on_delete=models.CASCADE, related_name="placements"
    )
    channel = models.CharField(_("channel"), max_length=30, choices=Channel.choices)
    date = models.DateField(_("date"))
    url = models.URLField(_("link"), blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["publication", "date"]

    def __str__(self):
        return f"{self.publication} · {self.get_channel_display()}"


class BulletinCase(models.Model):
    """One case of a 典型案例通报, in the national format: unit, position, name, problem, facts,
    disposition. Stored as rows so that cases can be counted by problem type."""

    class ProblemType(models.TextChoices):
        GIFTS = "gifts", _("Accepting or giving gifts and money")
        BANQUETS = "banquets", _("Improper banquets")
        ALLOWANCES = "allowances", _("Improper allowances")
        OFFICIAL_CARS = "official_cars", _("Private use of official cars")
        FAMILY_EVENTS = "family_events", _("Lavish weddings, funerals or celebrations")
        FORMALISM = "formalism", _("Formalism and bureaucratism")
        PUBLIC_FUNDS = "public_funds", _("Misuse of public funds")
        OTHER = "other", _("Other")

    publication = models.ForeignKey(
        Publication, verbose_name=_("publication"), on_delete=models.CASCADE, related_name="cases"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    unit_name = models.CharField(_("unit"), max_length=100)
    position = models.CharField(_("position"), max_length=100)
    person_name = models.CharField(_("name"), max_length=50)
    problem_type = models.CharField(_("problem type"), max_length=30, choices=ProblemType.choices)
    facts = models.TextField(_("facts"))
    disposition = models.TextField(_("disposition"))

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["publication", "order", "pk"]

    def __str__(self):
        return f"{self.unit_name}{self.position}{self.person_name}"


class ReadReceipt(models.Model):
    """A cadre confirmed studying a restricted item (我已学习). One per cadre per item."""

    publication = models.ForeignKey(
        Publication, verbose_name=_("publication"), on_delete=models.CASCADE, related_name="read_receipts"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("cadre"), on_delete=models.CASCADE, related_name="read_receipts"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    read_at = models.DateTimeField(_("confirmed at"), auto_now_add=True)
    # receipt_confirm names its actor; the admin's history page of a receipt reads these rows.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("read receipt")
        verbose_name_plural = _("read receipts")
        ordering = ["-read_at"]
        constraints = [models.UniqueConstraint(fields=["publication", "user"], name="one_receipt_per_cadre")]
        # The admin list, newest first.
        indexes = [models.Index(fields=["-read_at"], name="readreceipt_newest_first")]

    def __str__(self):
        return f"{self.user} · {self.publication}"


class AttachmentDelivery(models.Model):
    """One watermarked copy of a restricted attachment handed to a reader: who, what, when, and
    the trace code printed on every page, so that a leaked copy leads back to its reader. The
    names printed on the copy are kept as text, so that the row still says who and what after
    the account or the attachment is deleted."""

    attachment = models.ForeignKey(
        Attachment,
        verbose_name=_("attachment"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="deliveries",
    )
    file_name = models.CharField(_("file name"), max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reader"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reader_name = models.CharField(_("reader's name"), max_length=150)
    # The reader's unit at the time (it is printed on the copy): unit staff see the deliveries to
    # their units. None for a superuser without a unit.
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    trace_code = models.CharField(_("trace code"), max_length=12, unique=True)
    delivered_at = models.DateTimeField(_("delivered at"))
    client_address = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    # Written once and never changed; the history would still show a row deleted outside the
    # admin (which allows no deletion), and the admin's history pages expect it.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("watermarked download")
        verbose_name_plural = _("watermarked downloads")
        ordering = ["-delivered_at", "-pk"]
        indexes = [models.Index(fields=["-delivered_at"], name="delivery_newest_first")]

    def __str__(self):
        return self.trace_code
