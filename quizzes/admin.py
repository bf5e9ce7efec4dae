from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bases.models import EducationBase
from core.spreadsheets import workbook_response
from pledges.models import PledgeText
from publications.models import Audience, Publication
from quizzes.models import Attempt, Choice, Question, Quiz
from quizzes.selectors import cadre_results, completion_by_unit, completion_overview, result_quizzes, result_units
from quizzes.services import QuizError, question_check, quiz_check_ready, quiz_save
from units.scoping import ScopedAdmin, UnitSubtreeFilter, current_values

RESULT_ROWS_PER_PAGE = 100
RESULT_QUIZZES_PER_PAGE = 50


def _has_attempts(quiz) -> bool:
    return quiz is not None and quiz.pk is not None and quiz.attempts.exists()


class QuizForm(forms.ModelForm):
    class Meta:
        model = Quiz
        fields = [
            "title",
            "unit",
            "intro",
            "publication",
            "pledge",
            "base",
            "pass_mark",
            "max_attempts",
            "is_published",
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("is_published"):
            if self.instance.pk is None:
                raise ValidationError(QuizError.for_code("no_questions").message)
            try:
                quiz_check_ready(self.instance)
            except QuizError as error:
                raise ValidationError(error.message) from error
        return cleaned


class QuestionInline(admin.TabularInline):
    """Question texts on the quiz's page; each question's choices on its own page (the link)."""

    model = Question
    extra = 1
    fields = ["order", "text", "kind", "choices_summary"]
    readonly_fields = ["choices_summary"]
    show_change_link = True

    @admin.display(description=_("choices"))
    def choices_summary(self, obj):
        if obj.pk is None:
            return _("Save, then add the choices")
        return gettext("%(count)d choices") % {"count": len(obj.choices.all())}

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("choices")

    # Questions of a quiz that cadres have answered stay as they were answered.
    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not _has_attempts(obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not _has_attempts(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not _has_attempts(obj)


@admin.register(Quiz)
class QuizAdmin(ScopedAdmin):
    form = QuizForm
    inlines = [QuestionInline]
    list_display = ["title", "item_display", "unit", "pass_mark", "max_attempts", "is_published", "published_at"]
    list_filter = ["is_published", "unit"]
    search_fields = ["title"]
    list_select_related = ["unit", "publication", "pledge", "base"]
    autocomplete_fields = ["unit"]
    readonly_fields = ["published_at", "created_by", "results_link"]
    change_list_template = "admin/quizzes/quiz/change_list_tools.html"
    fieldsets = [
        (None, {"fields": ["title", "unit", "intro"]}),
        (_("After which item"), {"fields": ["publication", "pledge", "base"]}),
        (_("Rules"), {"fields": ["pass_mark", "max_attempts"]}),
        (_("Publishing"), {"fields": ["is_published", "published_at", "created_by", "results_link"]}),
    ]

    @admin.display(description=_("after"))
    def item_display(self, obj):
        return obj.item

    @admin.display(description=_("results"))
    def results_link(self, obj):
        if obj.pk is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:quizzes_quiz_results", args=[obj.pk]), _("Results per unit")
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # The items a quiz may follow are shared references: any published item the city's cadres
        # study, sign or visit, whoever issued it, plus what the quiz already follows.
        offered = {
            "publication": Publication.objects.published()
            .bulletins()
            .exclude(audience=Audience.PUBLIC)
            .order_by("-published_at"),
            "pledge": PledgeText.objects.published(),
            "base": EducationBase.objects.published(),
        }
        if db_field.name in offered:
            held = current_values(getattr(request, "scoped_instance", None), db_field)
            kwargs["queryset"] = db_field.related_model._default_manager.filter(
                Q(pk__in=offered[db_field.name].values("pk")) | Q(pk__in=held)
            )
            # Past ScopedAdmin's own choice, which would offer only the user's units' items.
            return super(ScopedAdmin, self).formfield_for_foreignkey(db_field, request, **kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        self.check_unit_in_scope(request, obj)
        quiz_save(quiz=obj, actor=request.user)

    def get_urls(self):
        return [
            path("results/", self.admin_site.admin_view(self.result_list_view), name="quizzes_quiz_result_list"),
            path("<int:pk>/results/", self.admin_site.admin_view(self.results_view), name="quizzes_quiz_results"),
            *super().get_urls(),
        ]

    def result_list_view(self, request):
        """The quizzes whose results the user may see (their units' and those set for them from
        above), with how many of their cadres passed each."""
        quizzes = result_quizzes(request.user).select_related("unit").order_by("-published_at", "-pk")
        page = Paginator(quizzes, RESULT_QUIZZES_PER_PAGE).get_page(request.GET.get("page"))
        overview = completion_overview(quizzes=list(page), user=request.user)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Quiz results"),
            "opts": self.model._meta,
            "page": page,
            "rows": [(quiz, *overview.get(quiz.pk, (0, 0))) for quiz in page],
        }
        return TemplateResponse(request, "admin/quizzes/quiz/result_list.html", context)

    def results_view(self, request, pk):
        """Completion per unit over the roster, and each cadre's result, for the user's own units
        that the quiz is addressed to; as a page or an .xlsx file."""
        quiz = get_object_or_404(result_quizzes(request.user).select_related("unit"), pk=pk)
        units = result_units(quiz=quiz, user=request.user)
        rows = completion_by_unit(quiz=quiz, units=units)
        cadres = cadre_results(quiz=quiz, units=units)
        if request.GET.get("format") == "xlsx":
            return workbook_response(f"quiz-results-{quiz.pk}.xlsx", _result_sheets(rows, cadres))
        editable = self.get_queryset(request).filter(pk=quiz.pk).exists()
        context = {
            **self.admin_site.each_context(request),
            "title": _("Results: %(title)s") % {"title": quiz.title},
            "opts": self.model._meta,
            "quiz": quiz,
            "rows": rows,
            "roster": sum(row["roster"] for row in rows),
            "passed": sum(row["passed"] for row in rows),
            "cadres": Paginator(cadres, RESULT_ROWS_PER_PAGE).get_page(request.GET.get("page")),
            "editable": editable,
        }
        return TemplateResponse(request, "admin/quizzes/quiz/results.html", context)


def _result_sheets(rows, cadres) -> list[tuple[str, list[list]]]:
    completion = [[gettext("unit"), gettext("Cadres on the roster"), gettext("Passed"), gettext("Completion rate")]]
    completion += [[row["unit"].name, row["roster"], row["passed"], f"{row['rate']:.0%}"] for row in rows]
    heading = [gettext("unit"), gettext("full name"), gettext("position"), gettext("attempts")]
    people = [[*heading, gettext("best score (%)"), gettext("result")]]
    for membership in cadres:
        people.append(
            [
                membership.unit.name,
                membership.user.get_full_name() or membership.user.username,
                membership.position,
                membership.attempts,
                membership.best_score if membership.best_score is not None else "",
                _cadre_result(membership),
            ]
        )
    return [(gettext("Completion"), completion), (gettext("Results per cadre"), people)]


def _cadre_result(membership) -> str:
    if membership.passed:
        return gettext("Passed")
    return gettext("Not passed") if membership.attempts else gettext("Not taken")


class ChoiceFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        choices = [
            (form.cleaned_data["text"], form.cleaned_data.get("is_correct", False))
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE") and form.cleaned_data.get("text")
        ]
        number = self.instance.order or 1
        try:
            question_check(number=number, kind=self.instance.kind, choices=choices)
        except QuizError as error:
            raise ValidationError(error.message) from error


class ChoiceInline(admin.TabularInline):
    model = Choice
    formset = ChoiceFormSet
    extra = 2
    fields = ["order", "text", "is_correct"]

    # The choices of an answered question stay as the cadres saw them (`obj` is the question).
    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not (obj is not None and _has_attempts(obj.quiz))

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj is not None and _has_attempts(obj.quiz))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj is not None and _has_attempts(obj.quiz))


@admin.register(Question)
class QuestionAdmin(ScopedAdmin):
    """A question and its choices (reached from its quiz's page; not listed on the admin home)."""

    unit_field = "quiz__unit"
    inlines = [ChoiceInline]
    fields = ["quiz", "order", "text", "kind"]
    list_display = ["text", "quiz", "kind", "order"]
    list_select_related = ["quiz"]
    search_fields = ["text", "quiz__title"]

    def get_model_perms(self, request):
        return {}

    # A question that cadres have answered stays as they answered it: read-only, choices included.
    def get_readonly_fields(self, request, obj=None):
        if obj is not None and _has_attempts(obj.quiz):
            return self.fields
        return super().get_readonly_fields(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj is not None and _has_attempts(obj.quiz))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "quiz":
            # Questions go to quizzes nobody has answered yet, within the user's units.
            held = current_values(getattr(request, "scoped_instance", None), db_field)
            open_quizzes = (
                self.admin_site._registry[Quiz]
                .get_queryset(request)
                .exclude(Exists(Attempt.objects.filter(quiz=OuterRef("pk"))))
            )
            kwargs["queryset"] = Quiz.objects.filter(Q(pk__in=open_quizzes.values("pk")) | Q(pk__in=held))
            # Past ScopedAdmin's own choice, which would offer every quiz of the user's units.
            return super(ScopedAdmin, self).formfield_for_foreignkey(db_field, request, **kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def response_post_save_change(self, request, obj):
        return self._back_to_quiz(obj) or super().response_post_save_change(request, obj)

    def response_post_save_add(self, request, obj):
        return self._back_to_quiz(obj) or super().response_post_save_add(request, obj)

    def _back_to_quiz(self, obj):
        return HttpResponseRedirect(reverse("admin:quizzes_quiz_change", args=[obj.quiz_id]))


@admin.register(Attempt)
class AttemptAdmin(ScopedAdmin):
    """Every submitted attempt: the results per cadre, filtered by unit subtree."""

    list_display = ["cadre_name", "unit", "quiz", "number", "score", "passed", "submitted_at"]
    list_filter = ["passed", "quiz", UnitSubtreeFilter]
    search_fields = ["user__username", "user__first_name", "quiz__title", "unit__name"]
    list_select_related = ["user", "unit", "quiz"]
    exclude = ["answers"]

    @admin.display(description=_("cadre"), ordering="user__first_name")
    def cadre_name(self, obj):
        return obj.user.get_full_name() or obj.user.username

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
