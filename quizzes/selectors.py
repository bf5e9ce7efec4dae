"""Who takes which quiz, when it opens, and how far each unit has got.

A quiz is addressed to the cadres of its unit and of the units below it, and only while the
item it follows is published and readable by them. It opens for a cadre after the item:
- a case bulletin or warning material: once they confirmed studying it (the read receipt);
- a pledge text: once they signed it, online or on paper under their name in their unit;
- an education base: once a confirmed visit of their unit to the base has taken place.
Completion per unit counts, over the unit's roster of cadres, those who passed."""

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    TextChoices,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bases.models import VisitBooking
from pledges.models import Signature
from pledges.services import signer_name_of
from publications.models import ReadReceipt, audiences_for
from quizzes.models import Attempt, Quiz
from units.models import Membership, Unit
from units.scoping import ALL_UNITS, ancestor_paths, user_membership, user_scope
from units.selectors import roster_counts


class QuizStatus(TextChoices):
    LOCKED = "locked", _("Study first")
    NOT_TAKEN = "not_taken", _("Not taken")
    FAILED = "failed", _("Not passed")
    NO_ATTEMPTS_LEFT = "no_attempts_left", _("Not passed, no attempts left")
    PASSED = "passed", _("Passed")


def quizzes_for(user):
    """The published quizzes addressed to `user` as a cadre (whether open yet or not)."""
    membership = user_membership(user)
    if membership is None:
        return Quiz.objects.none()
    unit = membership.unit
    readable_item = (
        Q(publication__is_published=True, publication__audience__in=audiences_for(user))
        | Q(pledge__is_published=True)
        | Q(base__is_published=True)
    )
    return Quiz.objects.filter(readable_item, is_published=True, unit__path__in=[unit.path, *ancestor_paths(unit)])


def _with_progress(quizzes, user):
    """Annotate `ready` (the quiz has opened for `user`), `attempts_used`, `best_score`, `passed`."""
    membership = user_membership(user)
    studied = Exists(ReadReceipt.objects.filter(publication=OuterRef("publication"), user=user))
    signed_valid = Signature.objects.valid().filter(pledge=OuterRef("pledge"))
    signed = Exists(signed_valid.filter(user=user)) | Exists(
        signed_valid.filter(
            method=Signature.Method.PAPER, user__isnull=True, signer_name=signer_name_of(user), unit=membership.unit
        )
    )
    visited = Exists(
        VisitBooking.objects.filter(
            slot__base=OuterRef("base"),
            unit=membership.unit,
            status=VisitBooking.Status.CONFIRMED,
            slot__date__lte=timezone.localdate(),
        )
    )
    mine = Attempt.objects.filter(quiz=OuterRef("pk"), user=user).order_by().values("quiz")
    return quizzes.annotate(
        ready=ExpressionWrapper(studied | signed | visited, output_field=BooleanField()),
        attempts_used=Coalesce(Subquery(mine.annotate(n=Count("pk")).values("n")), Value(0)),
        best_score=Subquery(mine.annotate(best=Max("score")).values("best"), output_field=IntegerField()),
        passed=Exists(Attempt.objects.filter(quiz=OuterRef("pk"), user=user, passed=True)),
    )


def _status(quiz) -> str:
    if quiz.passed:
        return QuizStatus.PASSED
    if quiz.attempts_used >= quiz.max_attempts:
        return QuizStatus.NO_ATTEMPTS_LEFT
    if not quiz.ready:
        return QuizStatus.LOCKED
    return QuizStatus.FAILED if quiz.attempts_used else QuizStatus.NOT_TAKEN


def cadre_quizzes(user) -> list[Quiz]:
    """The quizzes addressed to `user`, each with `status` and `attempts_left` (one query)."""
    quizzes = list(
        _with_progress(quizzes_for(user), user)
        .select_related("publication", "pledge", "base")
        .order_by("-published_at", "-pk")
    )
    for quiz in quizzes:
        _set_status(quiz)
    return quizzes


def cadre_quizzes_on(user, **item) -> list[Quiz]:
    """The quizzes addressed to `user` on one item (publication=…), with their status (one query)."""
    quizzes = list(_with_progress(quizzes_for(user).filter(**item), user).order_by("pk"))
    for quiz in quizzes:
        _set_status(quiz)
    return quizzes


def quiz_for_cadre(user, pk: int) -> Quiz | None:
    """One quiz addressed to `user`, with `status` and `attempts_left`, or None."""
    quiz = _with_progress(quizzes_for(user), user).select_related("publication", "pledge", "base").filter(pk=pk).first()
    if quiz is not None:
        _set_status(quiz)
    return quiz


def _set_status(quiz) -> None:
    quiz.status = _status(quiz)
    quiz.status_label = QuizStatus(quiz.status).label
    quiz.attempts_left = max(quiz.max_attempts - quiz.attempts_used, 0)


# The back office --------------------------------------------------------------------------------


def result_quizzes(user):
    """The quizzes whose results `user` may see: administrators every quiz; unit staff the quizzes
    of their subtree and those addressed to it from above (a commission quiz counts their cadres)."""
    scope = user_scope(user)
    if scope == ALL_UNITS:
        return Quiz.objects.all()
    if scope is None:
        return Quiz.objects.none()
    return Quiz.objects.filter(Q(unit__path__startswith=scope.path) | Q(unit__path__in=ancestor_paths(scope)))


def result_units(*, quiz: Quiz, user):
    """The units whose cadres count in `user`'s view of the quiz's results: their own units that
    the quiz is addressed to."""
    scope = user_scope(user)
    units = Unit.objects.filter(path__startswith=quiz.unit.path)
    if scope == ALL_UNITS:
        return units
    if scope is None:
        return units.none()
    return units.filter(path__startswith=scope.path)


def _passed_by_unit(*, quizzes, units) -> dict[tuple[int, int], int]:
    """{(quiz id, unit id): cadres on the unit's roster who passed the quiz} (one query)."""
    rows = (
        Attempt.objects.filter(
            quiz__in=quizzes, passed=True, user__membership__unit__in=units, user__membership__is_cadre=True
        )
        .values("quiz", "user__membership__unit")
        .annotate(n=Count("user", distinct=True))
        .values_list("quiz", "user__membership__unit", "n")
    )
    return {(quiz, unit): n for quiz, unit, n in rows}


def completion_by_unit(*, quiz: Quiz, units):
    """For each unit of `units` with cadres on its roster: roster size, how many passed the quiz,
    and the rate. Three queries whatever the number of units. A cadre counts under the unit they
    are in today, as the roster lists them."""
    roster = roster_counts(units)
    passed = _passed_by_unit(quizzes=[quiz.pk], units=units)
    rows = []
    for unit in Unit.objects.filter(pk__in=roster).order_by("path"):
        total, done = roster[unit.pk], passed.get((quiz.pk, unit.pk), 0)
        rows.append({"unit": unit, "roster": total, "passed": done, "rate": done / total if total else 0})
    return rows


def completion_overview(*, quizzes: list[Quiz], user) -> dict[int, tuple[int, int]]:
    """{quiz id: (cadres who passed, cadres on the roster)} over the units of `user` that each quiz
    is addressed to. Three queries whatever the number of quizzes."""
    scope = user_scope(user)
    if scope is None:
        return {}
    units = Unit.objects.all() if scope == ALL_UNITS else Unit.objects.filter(path__startswith=scope.path)
    roster = roster_counts(units)
    paths = dict(Unit.objects.filter(pk__in=roster).values_list("pk", "path"))
    passed = _passed_by_unit(quizzes=[quiz.pk for quiz in quizzes], units=units)
    overview = {}
    for quiz in quizzes:
        within = [pk for pk, path in paths.items() if path.startswith(quiz.unit.path)]
        overview[quiz.pk] = (sum(passed.get((quiz.pk, pk), 0) for pk in within), sum(roster[pk] for pk in within))
    return overview


def cadre_results(*, quiz: Quiz, units):
    """Every cadre on the rosters of `units` with their attempts at `quiz`, best score and whether
    they passed, in tree order."""
    theirs = Attempt.objects.filter(quiz=quiz, user=OuterRef("user")).order_by().values("user")
    return (
        Membership.objects.filter(unit__in=units, is_cadre=True)
        .annotate(
            attempts=Coalesce(Subquery(theirs.annotate(n=Count("pk")).values("n")), Value(0)),
            best_score=Subquery(theirs.annotate(best=Max("score")).values("best"), output_field=IntegerField()),
            passed=Exists(Attempt.objects.filter(quiz=quiz, user=OuterRef("user"), passed=True)),
        )
        .select_related("user", "unit")
        .order_by("unit__path", "user__username")
    )
