import datetime
import posixpath
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.fields import RichTextField
from core.models import Topic
from core.storage import private_storage
from units.models import Unit
from units.review import Reviewed, published_matches_review
from units.scoping import ALL_UNITS, ancestor_paths, user_scope

THUMBNAIL_SIZE = (480, 320)


class Sector(models.Model):
    """The five fields clean culture is taken into (进机关、进社区、进企业、进学校、进农村).
    Rows are created by a migration; a unit belongs to the sector of its kind."""

    code = models.SlugField(_("code"), unique=True)
    name = models.CharField(_("name"), max_length=20)
    title = models.CharField(_("page title"), max_length=40)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    # The five sectors (code, name, page title, order); created by migration 0002, and again by
    # campaigns.services.sectors_ensure when a database was emptied.
    DEFAULTS = [
        ("organs", "机关", "廉洁文化进机关", 1),
        ("communities", "社区", "廉洁文化进社区", 2),
        ("enterprises", "企业", "廉洁文化进企业", 3),
        ("schools", "学校", "廉洁文化进学校", 4),
        ("villages", "农村", "廉洁文化进农村", 5),
    ]
    UNIT_KINDS = {
        "organs": [Unit.Kind.ORGAN, Unit.Kind.STATIONED_AGENCY, Unit.Kind.ASSOCIATION, Unit.Kind.CITY],
        "communities": [Unit.Kind.COMMUNITY],
        "enterprises": [Unit.Kind.ENTERPRISE],
        "schools": [Unit.Kind.SCHOOL],
        "villages": [Unit.Kind.VILLAGE, Unit.Kind.TOWNSHIP],
    }

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["order"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("campaigns:sector-detail", args=[self.code])

    @property
    def unit_kinds(self):
        return self.UNIT_KINDS.get(self.code, [])


class ActivityKind(models.TextChoices):
    THEME_EDUCATION = "theme_education", _("Theme education")
    STUDY = "study", _("Rules study and seminars")
    CONTEST = "contest", _("Contest or call for works")
    PERFORMANCE = "performance", _("Performance or screening")
    VISIT = "visit", _("Study visit")
    INSPECTION = "inspection", _("Special inspection")
    GOVERNANCE = "governance", _("Special governance")
    LECTURE = "lecture", _("Training or lecture")
    SUPERVISION = "supervision", _("Supervision check")
    OTHER = "other", _("Other")


def campaign_document_path(instance, filename: str) -> str:
    """A random name for a campaign's document, keeping only the extension of the uploaded name:
    the original name of a draft's document must not be guessable."""
    extension = posixpath.splitext(filename)[1].lower()[:8]
    return f"campaigns/documents/{secrets.token_hex(16)}{extension}"


class CampaignQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def choosable_by(self, user):
        """The campaigns a user may link an activity record to (the form and the import alike).

        Administrators: every campaign. Unit staff: the campaigns organised within their subtree
        (drafts included: they are theirs), and the published campaigns organised by a unit above
        theirs or by an organ of one (the commission, a city bureau) — a city campaign reaches every
        unit below the city — that are open to a sector
        their subtree has (a campaign without sectors is open to all)."""
        scope = user_scope(user)
        if scope == ALL_UNITS:
            return self.all()
        if scope is None:
            return self.none()
        organisers = Campaign.organisers.through.objects.filter(campaign_id=models.OuterRef("pk"))
        kinds = set(Unit.objects.subtree(scope).values_list("kind", flat=True))
        sectors = [code for code, sector_kinds in Sector.UNIT_KINDS.items() if kinds & set(sector_kinds)]
        campaign_sectors = Campaign.sectors.through.objects.filter(campaign_id=models.OuterRef("pk"))
        open_to_scope = ~models.Exists(campaign_sectors) | models.Exists(
            campaign_sectors.filter(sector__code__in=sectors)
        )
        own = models.Exists(organisers.filter(unit__path__startswith=scope.path))
        above = ancestor_paths(scope)
        # A unit above theirs, or an organ of one (the commission and the city's bureaus organise
        # city campaigns; they sit beside the townships, below the city).
        from_above = models.Exists(
            organisers.filter(
                Q(unit__path__in=above) | Q(unit__parent__path__in=above, unit__kind__in=Unit.ORGAN_KINDS)
            )
        )
        return self.filter(own | (from_above & Q(is_published=True) & open_to_scope))


class Campaign(Reviewed):
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=ActivityKind.choices)
    sectors = models.ManyToManyField(Sector, verbose_name=_("sectors"), blank=True, related_name="campaigns")
    organisers = models.ManyToManyField(Unit, verbose_name=_("organising units"), related_name="campaigns")
    topics = models.ManyToManyField(
        Topic,
        verbose_name=_("topics"),
        blank=True,
        related_name="campaigns",
        help_text=_("The work report counts this campaign's activities under these topics."),
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    summary = models.TextField(_("summary"), max_length=500)
    body = RichTextField(_("text"), blank=True)
    cover = models.ImageField(_("cover image"), upload_to="campaigns/covers/", blank=True)
    cover_thumbnail = models.ImageField(upload_to="campaigns/thumbnails/", blank=True, editable=False)
    document_title = models.CharField(_("governing document"), max_length=200, blank=True)
    # In private storage, served by campaigns:campaign-document after a permission check: the
    # document of a campaign still in draft is for its organisers only.
    document = models.FileField(
        _("document file"), storage=private_storage, upload_to=campaign_document_path, blank=True
    )
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["cover_thumbnail"])

    RENDITIONS = {"cover_thumbnail": ("cover", THUMBNAIL_SIZE)}

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="campaign_ends_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            published_matches_review("campaign_published_when_reviewed"),
        ]

    def __str__(self):
        return self.title

    def review_unit(self):
        """The unit whose reviewers approve this campaign (units/review.py): its highest organiser."""
        return self.organisers.order_by("path").first()

    def get_absolute_url(self):
        return reverse("campaigns:campaign-detail", args=[self.pk])


class ActivityRecord(Reviewed):
    """What a unit did on a day: sessions held, person-times, and what came out of it."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="activity_records")
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=30, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=200)
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, null=True, blank=True, related_name="records"
    )
    topics = models.ManyToManyField(
        Topic,
        verbose_name=_("topics"),
        blank=True,
        related_name="activity_records",
        help_text=_("Topics of this activity itself; it also counts under its campaign's topics."),
    )
    sessions = models.PositiveIntegerField(
        _("sessions held"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("How many times the activity was held (at least once)."),
    )
    participants = models.PositiveIntegerField(_("participants (person-times)"), null=True, blank=True)
    issues_found = models.PositiveIntegerField(_("issues found"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    import_key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    is_published = models.BooleanField(
        _("shown on the site"),
        default=False,
        help_text=_("Shown on its campaign's page and found by the site search once a reviewer approved it."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("activity record")
        verbose_name_plural = _("activity records")
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["date", "kind"]),
            # The admin dashboard lists what was entered last.
            models.Index(fields=["created_at"], name="activityrecord_created_at"),
        ]
        constraints = [published_matches_review("record_published_when_reviewed")]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.title}"

    def review_unit(self):
        """The unit whose reviewers approve this record for the site (units/review.py)."""
        return self.unit

    def get_absolute_url(self):
        return reverse("campaigns:record-detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.date and self.date > timezone.localdate():
            errors["date"] = _("The date cannot be in the future.")
        if self.date and self.date < datetime.date(2000, 1, 1):
            errors["date"] = _("The date is too far in the past.")
        if self.sessions is not None and self.participants is not None and self.participants < self.sessions:
            errors["participants"] = _("Person-times cannot be fewer than the sessions held.")
        if errors:
            raise ValidationError(errors)


class ActivityOutput(models.Model):
    """Something an activity produced, counted in its own measure (篇, 册, 幅 ...)."""

    class Measure(models.TextChoices):
        ESSAYS = "essays", _("essays (篇)")
        BOOKS = "books", _("books or materials (册)")
        WORKS = "works", _("works (幅)")
        SHOWS = "shows", _("shows (场)")
        ISSUES = "issues", _("issues (期)")
        COPIES = "copies", _("copies (份)")
        ITEMS = "items", _("items (条)")

    record = models.ForeignKey(
        ActivityRecord, verbose_name=_("activity record"), on_delete=models.CASCADE, related_name="outputs"
    )
    measure = models.CharField(_("measure"), max_length=20, choices=Measure.choices)
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("output")
        verbose_name_plural = _("outputs")
        constraints = [
            models.UniqueConstraint(
                fields=["record", "measure"],
                name="one_output_per_measure",
                violation_error_message=_("Each measure once per record."),
            ),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="output_quantity_positive"),
        ]

    def __str__(self):
        return f"{self.quantity} {self.get_measure_display()}"


class ActivityPhoto(models.Model):
    record = models.ForeignKey(
        ActivityRecord, verbose_name=_("activity record"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(_("image"), upload_to="campaigns/photos/")
    thumbnail = models.ImageField(upload_to="campaigns/thumbnails/", blank=True, editable=False)
    caption = models.CharField(_("caption"), max_length=200, blank=True)

    RENDITIONS = {"thumbnail": ("image", THUMBNAIL_SIZE)}

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["record", "pk"]

    def __str__(self):
        return self.caption or self.image.name


class OpenCallQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class OpenCall(models.Model):
    """A call for works (e.g. youth calligraphy and paintings) that the public answers online."""

    class Category(models.TextChoices):
        CALLIGRAPHY = "calligraphy", _("Calligraphy")
        PAINTING = "painting", _("Painting")
        PHOTOGRAPHY = "photography", _("Photography")

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, null=True, blank=True, related_name="open_calls"
    )
    organisers = models.ManyToManyField(Unit, verbose_name=_("organising units"), related_name="open_calls")
    title = models.CharField(_("title"), max_length=200)
    rules = RichTextField(_("rules"))
    audience = models.CharField(_("who may take part"), max_length=200)
    categories = models.JSONField(_("categories"), default=list)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    max_per_author = models.PositiveSmallIntegerField(_("works per author"), default=3)
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    history = HistoricalRecords()

    objects = OpenCallQuerySet.as_manager()

    class Meta:
        verbose_name = _("open call")
        verbose_name_plural = _("open calls")
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="call_closes_after_opening",
                violation_error_message=_("The call must close after it opens."),
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("campaigns:call-detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.is_published and self.opens_at <= timezone.now() < self.closes_at

    def category_choices(self):
        labels = dict(self.Category.choices)
        return [(value, labels[value]) for value in self.categories if value in labels]


def new_receipt_code() -> str:
    return "ZG" + "".join(secrets.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(8))


class SubmissionQuerySet(models.QuerySet):
    def in_gallery(self):
        return self.filter(status__in=[Submission.Status.ACCEPTED, Submission.Status.AWARDED])


class Submission(models.Model):
    """A work sent to an open call. The image lives in private storage and is shown only once
    the work is accepted; guardian details are for staff only."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Selected")
        REJECTED = "rejected", _("Not selected")
        AWARDED = "awarded", _("Awarded")

    call = models.ForeignKey(
        OpenCall, verbose_name=_("open call"), on_delete=models.PROTECT, related_name="submissions"
    )
    title = models.CharField(_("title of the work"), max_length=100)
    category = models.CharField(_("category"), max_length=20, choices=OpenCall.Category.choices)
    author_name = models.CharField(_("author"), max_length=50)
    age_or_grade = models.CharField(_("age or grade"), max_length=30)
    school = models.ForeignKey(
        Unit,
        verbose_name=_("school"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        limit_choices_to={"kind": Unit.Kind.SCHOOL},
        related_name="submissions",
    )
    school_name = models.CharField(_("school (if not listed)"), max_length=100, blank=True)
    guardian_name = models.CharField(_("guardian"), max_length=50)
    guardian_phone = models.CharField(_("guardian phone"), max_length=30)
    consent = models.BooleanField(_("consent"), default=False)
    statement = models.TextField(_("about the work"), max_length=500, blank=True)
    image = models.ImageField(_("image"), storage=private_storage, upload_to="submissions/%Y/")
    thumbnail = models.ImageField(
        storage=private_storage, upload_to="submissions/thumbnails/", blank=True, editable=False
    )
    image_digest = models.CharField(max_length=64, editable=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    award_level = models.CharField(_("award"), max_length=50, blank=True)
    reviewer_note = models.CharField(_("reviewer's note"), max_length=300, blank=True)
    receipt_code = models.CharField(
        _("receipt code"), max_length=12, unique=True, default=new_receipt_code, editable=False
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["image", "thumbnail"])

    RENDITIONS = {"thumbnail": ("image", THUMBNAIL_SIZE)}

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "image_digest"],
                name="same_image_once_per_call",
                violation_error_message=_("This image has already been submitted to this call."),
            ),
        ]

    def __str__(self):
        return f"{self.title}（{self.author_name}）"

    @property
    def school_label(self):
        return self.school.name if self.school_id else self.school_name
