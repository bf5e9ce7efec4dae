import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Sum, Value
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.fields import RichTextField
from units.models import Unit
from units.review import Reviewed, published_matches_review

THUMBNAIL_SIZE = (480, 320)


class EducationBaseQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class EducationBase(Reviewed):
    """A place where cadres and the public receive clean-governance education: a theme park,
    an education base, a red-culture memorial hall, an exhibition hall, a demonstration village,
    an organ's culture corridor."""

    class Category(models.TextChoices):
        THEME_PARK = "theme_park", _("Clean-culture theme park")
        EDUCATION_BASE = "education_base", _("Clean-governance education base")
        RED_MEMORIAL = "red_memorial", _("Red-culture memorial hall")
        EXHIBITION_HALL = "exhibition_hall", _("Red and clean exhibition hall")
        DEMONSTRATION_VILLAGE = "demonstration_village", _("Clean-culture demonstration village")
        CULTURE_CORRIDOR = "culture_corridor", _("Clean-culture corridor")
        OTHER = "other", _("Other")

    class Feature(models.TextChoices):
        SOUND_LIGHT = "sound_light", _("Sound, light and electric effects")
        SCENE_SIMULATION = "scene_simulation", _("Scene simulation")
        TOUCH_SCREEN = "touch_screen", _("High-definition touch screens")
        SCULPTURE = "sculpture", _("Outdoor theme sculptures")
        VIDEO = "video", _("Video screenings")

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(
        _("web address"),
        max_length=120,
        unique=True,
        blank=True,
        allow_unicode=False,
        help_text=_("Left empty, it is made from the name in pinyin."),
    )
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("managing unit"),
        on_delete=models.PROTECT,
        related_name="education_bases",
        help_text=_("The unit that runs the base and enters its data."),
    )
    township = models.ForeignKey(
        Unit,
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        limit_choices_to={"kind": Unit.Kind.TOWNSHIP},
    )
    co_builders = models.ManyToManyField(
        Unit, verbose_name=_("co-building units"), blank=True, related_name="co_built_bases"
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    summary = models.TextField(_("summary"), max_length=500)
    body = RichTextField(_("introduction"), blank=True)
    cover = models.ImageField(_("cover image"), upload_to="bases/covers/", blank=True)
    cover_thumbnail = models.ImageField(upload_to="bases/thumbnails/", blank=True, editable=False)
    construction_started = models.DateField(
        _("construction started"), null=True, blank=True, help_text=_("Shown as year and month.")
    )
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    floor_area = models.DecimalField(
        _("floor area (m²)"),
        max_digits=9,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    floors = models.PositiveSmallIntegerField(_("floors"), null=True, blank=True)
    is_free = models.BooleanField(_("free admission"), default=True)
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    features = models.JSONField(_("multimedia features"), default=list, blank=True)
    theme_red = models.BooleanField(_("red education"), default=False)
    theme_warning = models.BooleanField(_("warning education"), default=False)
    theme_family = models.BooleanField(_("family-tradition education"), default=False)
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    order = models.PositiveSmallIntegerField(
        _("display order"), default=100, help_text=_("Smaller numbers are shown first (pinned).")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["cover_thumbnail"])

    RENDITIONS = {"cover_thumbnail": ("cover", THUMBNAIL_SIZE)}

    objects = EducationBaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("education base")
        verbose_name_plural = _("education bases")
        ordering = ["order", "-published_at", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(floor_area__isnull=True) | Q(floor_area__gte=0), name="base_floor_area_not_negative"
            ),
            published_matches_review("base_published_when_reviewed"),
        ]

    def __str__(self):
        return self.name

    def review_unit(self):
        """The unit whose reviewers approve this item (units/review.py)."""
        return self.unit

    def get_absolute_url(self):
        return reverse("bases:base-detail", args=[self.slug])

    def clean(self):
        if self.construction_started and self.opened_on and self.opened_on < self.construction_started:
            raise ValidationError({"opened_on": _("The opening date cannot be before construction started.")})
        unknown = set(self.features or []) - set(self.Feature.values)
        if unknown:
            raise ValidationError({"features": _("Unknown feature: %(names)s") % {"names": ", ".join(sorted(unknown))}})

    def feature_labels(self) -> list[str]:
        labels = dict(self.Feature.choices)
        return [labels[value] for value in self.features if value in labels]

    def theme_labels(self) -> list[str]:
        themes = [
            (self.theme_red, "theme_red"),
            (self.theme_warning, "theme_warning"),
            (self.theme_family, "theme_family"),
        ]
        return [self._meta.get_field(name).verbose_name for flag, name in themes if flag]


class ExhibitionSection(models.Model):
    base = models.ForeignKey(
        EducationBase, verbose_name=_("education base"), on_delete=models.CASCADE, related_name="sections"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=100)
    text = models.TextField(_("text"), blank=True)
    image = models.ImageField(_("image"), upload_to="bases/sections/", blank=True)

    class Meta:
        verbose_name = _("exhibition section")
        verbose_name_plural = _("exhibition sections")
        ordering = ["base", "order", "pk"]

    def __str__(self):
        return self.title


class BasePhoto(models.Model):
    base = models.ForeignKey(
        EducationBase, verbose_name=_("education base"), on_delete=models.CASCADE, related_name="photos"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    image = models.ImageField(_("image"), upload_to="bases/photos/")
    thumbnail = models.ImageField(upload_to="bases/thumbnails/", blank=True, editable=False)
    caption = models.CharField(_("caption"), max_length=200, blank=True)

    RENDITIONS = {"thumbnail": ("image", THUMBNAIL_SIZE)}

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["base", "order", "pk"]

    def __str__(self):
        return self.caption or self.image.name


class CultureAsset(models.Model):
    """A piece of clean-culture propaganda in a unit: a wall, a board, a banner, a corridor..."""

    class Kind(models.TextChoices):
        WALL = "wall", _("Culture wall")
        BOARD = "board", _("Propaganda board")
        BANNER = "banner", _("Banner")
        BIN = "bin", _("Slogan litter bin")
        CORRIDOR = "corridor", _("Culture corridor")
        SCREEN = "screen", _("Electronic screen")
        BOOK_CORNER = "book_corner", _("Clean-culture book corner")
        STAGE = "stage", _("Culture stage")
        OTHER = "other", _("Other")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="culture_assets")
    location = models.CharField(_("location"), max_length=200, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), default=1, validators=[MinValueValidator(1)])
    photo = models.ImageField(_("photo"), upload_to="bases/assets/", blank=True)
    thumbnail = models.ImageField(upload_to="bases/thumbnails/", blank=True, editable=False)
    installed_on = models.DateField(_("installed on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords(excluded_fields=["thumbnail"])

    RENDITIONS = {"thumbnail": ("photo", THUMBNAIL_SIZE)}

    class Meta:
        verbose_name = _("culture asset")
        verbose_name_plural = _("culture assets")
        ordering = ["unit__path", "kind"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gte=1), name="asset_quantity_positive")]

    def __str__(self):
        return f"{self.unit} · {self.get_kind_display()}"


class Volunteer(models.Model):
    """A clean-culture propagandist (宣传员) recruited among the villagers. The phone number is
    for staff only and never shown on a public page."""

    name = models.CharField(_("name"), max_length=50)
    unit = models.ForeignKey(Unit, verbose_name=_("village"), on_delete=models.PROTECT, related_name="volunteers")
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    recruited_on = models.DateField(_("recruited on"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("volunteer propagandist")
        verbose_name_plural = _("volunteer propagandists")
        ordering = ["unit__path", "name"]

    def __str__(self):
        return self.name


class VisitSlotQuerySet(models.QuerySet):
    def with_booked(self):
        """Annotate `booked` (people in pending and confirmed bookings) and `seats_left`.

        Summed per slot in a subquery rather than by joining and grouping every booking: a page
        of 50 slots out of tens of thousands then adds up the bookings of those 50 only."""
        held = (
            VisitBooking.objects.filter(slot=models.OuterRef("pk"), status__in=VisitBooking.HOLDING_STATUSES)
            .order_by()
            .values("slot")
            .annotate(people=Sum("group_size"))
            .values("people")
        )
        return self.annotate(booked=Coalesce(models.Subquery(held), 0)).annotate(
            seats_left=Greatest(models.F("capacity") - models.F("booked"), Value(0))
        )

    def upcoming(self):
        return self.filter(date__gte=timezone.localdate(), is_closed=False)


class VisitSlot(models.Model):
    """A time at a base when a group may visit, with room for `capacity` people."""

    base = models.ForeignKey(
        EducationBase, verbose_name=_("education base"), on_delete=models.CASCADE, related_name="slots"
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"))
    end_time = models.TimeField(_("end time"))
    capacity = models.PositiveIntegerField(_("capacity (people)"), validators=[MinValueValidator(1)])
    is_closed = models.BooleanField(_("closed"), default=False, help_text=_("A closed slot takes no bookings."))
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    objects = VisitSlotQuerySet.as_manager()

    class Meta:
        verbose_name = _("visit slot")
        verbose_name_plural = _("visit slots")
        ordering = ["date", "start_time"]
        constraints = [
            models.UniqueConstraint(fields=["base", "date", "start_time"], name="slot_unique_start"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="slot_capacity_positive"),
            models.CheckConstraint(condition=Q(end_time__gt=models.F("start_time")), name="slot_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.base} {self.date:%Y-%m-%d} {self.start_time:%H:%M}-{self.end_time:%H:%M}"

    def clean(self):
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValidationError({"end_time": _("The end time must be after the start time.")})

    @property
    def starts_at(self):
        return timezone.make_aware(datetime.datetime.combine(self.date, self.start_time))

    @property
    def is_bookable(self) -> bool:
        return not self.is_closed and self.starts_at > timezone.now()


class VisitBooking(models.Model):
    """A group visit: booked by a cadre for their unit, or by anyone for a school, an enterprise,
    a village group, an association or a family (no account needed). Pending and confirmed
    bookings hold seats."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        CONFIRMED = "confirmed", _("Confirmed")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")

    class Visitor(models.TextChoices):
        UNIT = "unit", _("A unit of the city (booked by its cadre)")
        ORGANISATION = "organisation", _("School, enterprise, village group or association")
        FAMILY = "family", _("Individual or family")

    PUBLIC_VISITORS = (Visitor.ORGANISATION, Visitor.FAMILY)

    HOLDING_STATUSES = (Status.PENDING, Status.CONFIRMED)

    reference = models.CharField(_("reference code"), max_length=20, unique=True, editable=False)
    slot = models.ForeignKey(VisitSlot, verbose_name=_("visit slot"), on_delete=models.PROTECT, related_name="bookings")
    visitor = models.CharField(_("visitor"), max_length=20, choices=Visitor.choices, default=Visitor.UNIT)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("visiting unit"),
        on_delete=models.PROTECT,
        related_name="visit_bookings",
        null=True,
        blank=True,
    )
    organisation = models.CharField(_("organisation"), max_length=100, blank=True)
    purpose = models.CharField(_("purpose of the visit"), max_length=200, blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("booked by"),
        on_delete=models.PROTECT,
        related_name="visit_bookings",
        null=True,
        blank=True,
        help_text=_("Empty for a booking made on the public site without an account."),
    )
    group_size = models.PositiveIntegerField(_("group size"), validators=[MinValueValidator(1)])
    contact_name = models.CharField(_("contact name"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    cancel_reason = models.CharField(_("reason for cancelling or declining"), max_length=200, blank=True)
    actual_visitors = models.PositiveIntegerField(_("actual visitors"), null=True, blank=True)
    request_token = models.UUIDField(_("request token"), unique=True, editable=False)
    created_at = models.DateTimeField(_("booked at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True, editable=False)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True, editable=False)
    # The booker's answer to the reminder: the group is coming (bases.services.booking_confirm_visit).
    visit_confirmed_at = models.DateTimeField(
        _("visit confirmed by the booker at"), null=True, blank=True, editable=False
    )
    contact_erased_at = models.DateTimeField(_("contact erased at"), null=True, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("visit booking")
        verbose_name_plural = _("visit bookings")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(group_size__gte=1), name="booking_group_size_positive"),
            # A unit's booking names the unit and the cadre who made it; a public one names no unit.
            models.CheckConstraint(
                condition=Q(visitor="unit", unit__isnull=False, booked_by__isnull=False)
                | Q(visitor__in=["organisation", "family"], unit__isnull=True),
                name="booking_visitor_consistent",
            ),
            models.CheckConstraint(
                condition=~Q(visitor="organisation", organisation=""), name="booking_organisation_named"
            ),
        ]
        indexes = [models.Index(fields=["slot", "status", "created_at"], name="booking_slot_status_created")]

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        return reverse("bases:booking-detail", args=[self.reference])

    @property
    def is_public(self) -> bool:
        return self.visitor in self.PUBLIC_VISITORS

    @property
    def visitor_name(self) -> str:
        """Who visits, as the booking pages and the admin list show it."""
        if self.visitor == self.Visitor.UNIT:
            return self.unit.name if self.unit_id else ""
        return self.organisation or self.get_visitor_display()
