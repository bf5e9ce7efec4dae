from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

PATH_SEPARATOR = "/"


class UnitQuerySet(models.QuerySet):
    def subtree(self, unit):
        """The unit and every unit below it."""
        return self.filter(path__startswith=unit.path)

    def active(self):
        return self.filter(is_active=True)


class Unit(models.Model):
    """A node of the organisation tree: the city, its organs, townships and what lies below them.

    `path` is the materialised position in the tree (one segment per ancestor, ordered by
    `order` then `code`), so that "this unit and everything below it" is one indexed prefix
    match. It is kept by `units.services.unit_save`, never by hand.
    """

    class Kind(models.TextChoices):
        CITY = "city", _("City")
        ORGAN = "organ", _("City organ")
        TOWNSHIP = "township", _("Township")
        VILLAGE = "village", _("Village")
        COMMUNITY = "community", _("Community")
        ENTERPRISE = "enterprise", _("Enterprise")
        SCHOOL = "school", _("School")
        STATIONED_AGENCY = "stationed_agency", _("Stationed agency")
        ASSOCIATION = "association", _("Association")

    # Kinds that act for the level above them (the commission and the bureaus act for the city).
    ORGAN_KINDS = (Kind.ORGAN, Kind.STATIONED_AGENCY, Kind.ASSOCIATION)

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    code = models.CharField(
        _("code"),
        max_length=30,
        unique=True,
        validators=[RegexValidator(r"^[A-Za-z0-9_-]+$", _("Use letters, digits, hyphens and underscores only."))],
        help_text=_("A short unique code, e.g. T01 for a township."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0, help_text=_("Smaller numbers come first."))
    is_active = models.BooleanField(_("active"), default=True)
    path = models.CharField(_("tree path"), max_length=400, unique=True, editable=False)
    history = HistoricalRecords()

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(condition=models.Q(path__endswith=PATH_SEPARATOR), name="unit_path_is_set"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.parent_id and self.pk:
            stored_path = Unit.objects.filter(pk=self.pk).values_list("path", flat=True).first() or ""
            if stored_path and self.parent.path.startswith(stored_path):
                raise ValidationError({"parent": _("A unit cannot be placed below itself.")})

    @property
    def depth(self) -> int:
        return self.path.count(PATH_SEPARATOR) - 1

    def path_segment(self) -> str:
        return f"{self.order:04d}-{self.code}{PATH_SEPARATOR}"

    def is_within(self, other: "Unit") -> bool:
        """True if this unit is `other` or lies below it."""
        return self.path.startswith(other.path)


class Membership(models.Model):
    """Who a user is in the organisation: their unit, their back-office role and position.

    Every member may be a cadre (党员干部/公职人员) on their unit's roster, whatever their role:
    unit staff and commission administrators read bulletins and sign pledges like anyone else.
    """

    class Role(models.TextChoices):
        CADRE = "cadre", _("Cadre")
        UNIT_STAFF = "unit_staff", _("Unit staff")
        COMMISSION_ADMIN = "commission_admin", _("Commission administrator")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="membership"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.CADRE)
    position = models.CharField(_("position"), max_length=100, blank=True)
    can_review = models.BooleanField(
        _("reviewer"),
        default=False,
        help_text=_(
            "Unit staff who approve or return the items of their unit and the units below before they "
            "are published (信息发布审核); commission administrators always may."
        ),
    )
    is_cadre = models.BooleanField(
        _("on the cadre roster"),
        default=True,
        help_text=_("Counted on the unit's roster of cadres (pledges, read receipts)."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["unit__path", "user__username"]
        constraints = [models.CheckConstraint(condition=~Q(role="cadre", can_review=True), name="cadre_never_reviews")]

    def __str__(self):
        return f"{self.user} · {self.unit} · {self.get_role_display()}"
