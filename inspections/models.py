"""Holiday inspections (节点监督): the occasions the commission supervises every year (元旦春节,
清明, 五一端午, 中秋国庆 and any it adds), each occasion's supervision period in a year, and the
inspections units plan and carry out within it. The work report counts inspections from these
rows (reports/figures/section2.py, figure A1)."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from units.models import Unit

# A supervision period is a holiday and the days around it, never a season.
LONGEST_PERIOD = datetime.timedelta(days=92)


class Occasion(models.Model):
    """A recurring occasion for supervision; its dates are set per year (OccasionPeriod)."""

    name = models.CharField(_("name"), max_length=30, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0, help_text=_("Smaller numbers come first."))
    reminder_days = models.PositiveSmallIntegerField(
        _("remind units … days before"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("Unit staff are reminded by email this many days before the period starts."),
    )
    history = HistoricalRecords()

    # The occasions every year has (name, order); created by migration 0002.
    DEFAULTS = [("元旦春节", 1), ("清明", 2), ("五一端午", 3), ("中秋国庆", 4)]

    class Meta:
        verbose_name = _("occasion")
        verbose_name_plural = _("occasions")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.name


class OccasionPeriod(models.Model):
    """The days of one year over which an occasion is supervised (e.g. 清明 2021: 3月29日至4月6日)."""

    occasion = models.ForeignKey(Occasion, verbose_name=_("occasion"), on_delete=models.PROTECT, related_name="periods")
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)], help_text=_("The year it counts in.")
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("supervision period")
        verbose_name_plural = _("supervision periods")
        ordering = ["starts_on", "occasion__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["occasion", "year"],
                name="one_period_per_occasion_and_year",
                violation_error_message=_("This occasion already has a period in that year."),
            ),
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="period_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.year}年{self.occasion.name}"

    def clean(self):
        errors = {}
        if self.starts_on and self.ends_on:
            if self.ends_on < self.starts_on:
                errors["ends_on"] = _("The period cannot end before it starts.")
            elif self.ends_on - self.starts_on > LONGEST_PERIOD:
                errors["ends_on"] = _("A supervision period lasts at most three months.")
            if self.year and self.year not in (self.starts_on.year, self.ends_on.year):
                errors["year"] = _("The year must be the year the period starts or ends in.")
        if errors:
            raise ValidationError(errors)

    def state(self, today: datetime.date) -> str:
        if today < self.starts_on:
            return "upcoming"
        return "current" if today <= self.ends_on else "past"

    def contains(self, day: datetime.date) -> bool:
        return self.starts_on <= day <= self.ends_on


class InspectionQuerySet(models.QuerySet):
    def done(self):
        return self.filter(done_on__isnull=False)


class Inspection(models.Model):
    """A special inspection a unit plans for an occasion's period and, once carried out, records
    with what it checked and found."""

    period = models.ForeignKey(
        OccasionPeriod, verbose_name=_("occasion"), on_delete=models.PROTECT, related_name="inspections"
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("inspecting unit"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    title = models.CharField(_("title"), max_length=200, help_text=_("e.g. 清明节期间作风建设专项检查"))
    planned_on = models.DateField(_("planned for"))
    done_on = models.DateField(
        _("carried out on"),
        null=True,
        blank=True,
        help_text=_("Leave empty until the inspection has been carried out."),
    )
    inspectors = models.CharField(
        _("inspectors"), max_length=200, blank=True, help_text=_("Names of the inspection team, separated by 、")
    )
    places_checked = models.PositiveIntegerField(_("places checked"), default=0)
    places = models.TextField(_("places and units checked"), blank=True)
    problems_found = models.PositiveIntegerField(_("problems found"), default=0)
    cases_handed_over = models.PositiveIntegerField(
        _("leads handed over"), default=0, help_text=_("Problem leads handed over for investigation.")
    )
    bulletins_issued = models.PositiveIntegerField(
        _("bulletins issued"), default=0, help_text=_("Cases made public in a bulletin (通报曝光).")
    )
    summary = models.TextField(_("summary"), blank=True)
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
    history = HistoricalRecords()

    objects = InspectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("special inspection")
        verbose_name_plural = _("special inspections")
        ordering = ["-planned_on", "-pk"]
        indexes = [models.Index(fields=["done_on"], name="inspection_done_on")]
        constraints = [
            models.CheckConstraint(
                condition=Q(cases_handed_over__lte=F("problems_found")), name="inspection_leads_within_problems"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_on is not None

    def status_label(self, today: datetime.date | None = None) -> str:
        today = today or timezone.localdate()
        if self.done_on:
            return str(_("carried out"))
        if self.period_id and self.period.ends_on < today:
            return str(_("not carried out"))
        return str(_("planned"))

    RESULT_FIELDS = ("places_checked", "problems_found", "cases_handed_over", "bulletins_issued")

    def clean(self):
        errors = {}
        period = self.period if self.period_id else None
        if period is not None:
            window = _("%(start)s to %(end)s") % {"start": period.starts_on, "end": period.ends_on}
            if self.planned_on and not period.contains(self.planned_on):
                errors["planned_on"] = _("The date must lie within the occasion's period (%(window)s).") % {
                    "window": window
                }
            if self.done_on and not period.contains(self.done_on):
                errors["done_on"] = _("The date must lie within the occasion's period (%(window)s).") % {
                    "window": window
                }
        if self.done_on and self.done_on > timezone.localdate():
            errors["done_on"] = _("An inspection cannot be recorded as carried out in the future.")
        if not self.done_on:
            if any(getattr(self, name) for name in self.RESULT_FIELDS):
                errors["done_on"] = _("Give the date it was carried out before recording what it found.")
        elif (self.cases_handed_over or 0) > (self.problems_found or 0):
            errors["cases_handed_over"] = _("More leads handed over than problems found.")
        if errors:
            raise ValidationError(errors)
