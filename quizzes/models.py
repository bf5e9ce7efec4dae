from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from bases.models import EducationBase
from pledges.models import PledgeText
from publications.models import Audience, Publication
from units.models import Unit

# The items a quiz may follow, by the name of the quiz's field for each.
ITEM_FIELDS = ("publication", "pledge", "base")


class Quiz(models.Model):
    """A short quiz that cadres take after studying a bulletin, signing a pledge or visiting a base.

    It is addressed to the cadres of its unit and of the units below it, and it opens for each of
    them only after they studied, signed or visited (quizzes.selectors)."""

    title = models.CharField(_("title"), max_length=200)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The cadres of this unit and of the units below it take the quiz; its staff see the results."),
    )
    publication = models.ForeignKey(
        Publication,
        verbose_name=_("case bulletin or warning material"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        limit_choices_to={"kind__in": [Publication.Kind.CASE_BULLETIN, Publication.Kind.WARNING_MATERIAL]},
        help_text=_("Opens to a cadre once they confirmed studying it."),
    )
    pledge = models.ForeignKey(
        PledgeText,
        verbose_name=_("pledge text"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("Opens to a cadre once they signed it (online or on paper)."),
    )
    base = models.ForeignKey(
        EducationBase,
        verbose_name=_("education base (a visit)"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("Opens to a cadre once a confirmed visit of their unit to the base has taken place."),
    )
    intro = models.TextField(_("instructions"), max_length=500, blank=True)
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"),
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("The share of questions answered correctly that passes, in percent."),
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("attempts allowed"), default=3, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    is_published = models.BooleanField(
        _("published"), default=False, help_text=_("Only a published quiz is offered to cadres.")
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(publication__isnull=False, pledge__isnull=True, base__isnull=True)
                    | Q(publication__isnull=True, pledge__isnull=False, base__isnull=True)
                    | Q(publication__isnull=True, pledge__isnull=True, base__isnull=False)
                ),
                name="quiz_follows_exactly_one_item",
                violation_error_message=_(
                    "Attach the quiz to exactly one item: a bulletin, a pledge text or an education base."
                ),
            ),
            models.CheckConstraint(condition=Q(pass_mark__gte=1, pass_mark__lte=100), name="quiz_pass_mark_percent"),
            models.CheckConstraint(condition=Q(max_attempts__gte=1), name="quiz_at_least_one_attempt"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("quizzes:quiz-detail", args=[self.pk])

    def clean(self):
        # Cadres confirm studying only bulletins restricted to them (the read receipt opens the quiz).
        if self.publication_id and (
            self.publication.kind not in (Publication.Kind.CASE_BULLETIN, Publication.Kind.WARNING_MATERIAL)
            or self.publication.audience == Audience.PUBLIC
        ):
            raise ValidationError(
                {"publication": _("Only a case bulletin or warning material for cadres can have a quiz.")},
                code="not_bulletin",
            )

    @property
    def item(self):
        """The bulletin, pledge text or base the quiz follows."""
        return self.publication or self.pledge or self.base


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        TRUE_FALSE = "true_false", _("True or false")

    quiz = models.ForeignKey(Quiz, verbose_name=_("quiz"), on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("question"), max_length=500)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.SINGLE)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["quiz", "order", "pk"]

    def __str__(self):
        return self.text


class Choice(models.Model):
    question = models.ForeignKey(Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="choices")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("choice"), max_length=300)
    is_correct = models.BooleanField(_("correct"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        ordering = ["question", "order", "pk"]

    def __str__(self):
        return self.text


class Attempt(models.Model):
    """One submitted try of a quiz by a cadre, graded when it was submitted (quizzes.services)."""

    quiz = models.ForeignKey(Quiz, verbose_name=_("quiz"), on_delete=models.CASCADE, related_name="attempts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("cadre"), on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    number = models.PositiveSmallIntegerField(_("attempt"))
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    correct = models.PositiveSmallIntegerField(_("correct answers"))
    questions = models.PositiveSmallIntegerField(_("questions"))
    score = models.PositiveSmallIntegerField(_("score (%)"))
    passed = models.BooleanField(_("passed"))
    # {question id: [chosen choice ids]}, as submitted.
    answers = models.JSONField(_("answers"), default=dict)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(fields=["quiz", "user", "number"], name="attempt_number_unique_per_cadre"),
            models.CheckConstraint(condition=Q(number__gte=1), name="attempt_number_positive"),
        ]
        indexes = [models.Index(fields=["quiz", "user"], condition=Q(passed=True), name="attempt_passed_quiz_user")]

    def __str__(self):
        return f"{self.user} · {self.quiz} #{self.number}"

    def get_absolute_url(self):
        return reverse("quizzes:attempt-detail", args=[self.pk])
