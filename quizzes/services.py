from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from core.history import record_actor
from core.locking import lock_for_update
from quizzes.models import Attempt, Question, Quiz
from quizzes.selectors import QuizStatus, quiz_for_cadre
from units.models import Membership
from units.scoping import user_membership


class QuizError(DomainError):
    error_messages = {
        "one_correct": _("Question %(number)s: a single-choice question needs exactly one correct choice."),
        "some_correct": _("Question %(number)s: a multiple-choice question needs at least one correct choice."),
        "true_false": _("Question %(number)s: a true-or-false question has exactly two choices, one of them correct."),
        "two_choices": _("Question %(number)s: give at least two choices."),
        "no_questions": _("Add at least one question before publishing the quiz."),
        "not_open": _("This quiz is not open to you."),
        "not_ready": _("Study, sign or visit first: the quiz opens after that."),
        "passed": _("You have already passed this quiz."),
        "no_attempts_left": _("You have used all %(count)d attempts of this quiz."),
        "all_used": _("You have used every attempt of this quiz."),
        "unanswered": _("Please answer every question (question %(number)s has no answer)."),
        "bad_answer": _("The answer to question %(number)s is not one of its choices; please choose again."),
        "one_answer": _("Question %(number)s takes one answer only."),
    }


def question_check(*, number: int, kind: str, choices: list[tuple[str, bool]]) -> None:
    """The rule for one question's choices, as (text, correct) pairs: the admin's choice form and
    publishing a quiz both ask it. Raises QuizError."""
    correct = sum(1 for _text, is_correct in choices if is_correct)
    if kind == Question.Kind.TRUE_FALSE:
        if len(choices) != 2 or correct != 1:
            raise QuizError.for_code("true_false", number=number)
        return
    if len(choices) < 2:
        raise QuizError.for_code("two_choices", number=number)
    if kind == Question.Kind.SINGLE and correct != 1:
        raise QuizError.for_code("one_correct", number=number)
    if kind == Question.Kind.MULTIPLE and correct < 1:
        raise QuizError.for_code("some_correct", number=number)


def quiz_check_ready(quiz: Quiz) -> None:
    """A quiz may be published once it has questions and each of them follows question_check."""
    questions = list(quiz.questions.prefetch_related("choices").order_by("order", "pk"))
    if not questions:
        raise QuizError.for_code("no_questions")
    for number, question in enumerate(questions, start=1):
        question_check(
            number=number,
            kind=question.kind,
            choices=[(choice.text, choice.is_correct) for choice in question.choices.all()],
        )


@transaction.atomic
def quiz_save(*, quiz: Quiz, actor) -> Quiz:
    """Validate and save; publishing checks every question, and the publish time is stamped by
    the system the first time."""
    if quiz.is_published:
        if quiz.pk is None:
            raise QuizError.for_code("no_questions")
        quiz_check_ready(quiz)
        if quiz.published_at is None:
            quiz.published_at = timezone.now()
    if quiz.pk is None and actor is not None and actor.is_authenticated:
        quiz.created_by = actor
    quiz.full_clean()
    record_actor(quiz, actor)
    quiz.save()
    return quiz


def grade(questions, answers: dict[int, list[int]]) -> int:
    """How many of `questions` (with their choices) `answers` got right. A question counts only
    when the chosen set is exactly the set of correct choices: a multiple-choice answer that
    misses one or adds one is wrong."""
    right = 0
    for question in questions:
        correct = {choice.pk for choice in question.choices.all() if choice.is_correct}
        if set(answers.get(question.pk, [])) == correct:
            right += 1
    return right


def _checked_answers(questions, answers: dict[int, list[int]]) -> dict[int, list[int]]:
    """`answers` limited to the quiz's questions, every question answered with its own choices."""
    checked = {}
    for number, question in enumerate(questions, start=1):
        chosen = sorted(set(answers.get(question.pk) or []))
        if not chosen:
            raise QuizError.for_code("unanswered", number=number)
        if not set(chosen) <= {choice.pk for choice in question.choices.all()}:
            raise QuizError.for_code("bad_answer", number=number)
        if question.kind != Question.Kind.MULTIPLE and len(chosen) > 1:
            raise QuizError.for_code("one_answer", number=number)
        checked[question.pk] = chosen
    return checked


def attempt_submit(*, quiz: Quiz, user, answers: dict[int, list[int]]) -> Attempt:
    """Grade and record a cadre's answers to `quiz` ({question id: [choice ids]}).

    Locking rule: the cadre's membership row is locked (core.locking.lock_for_update) before
    their attempts are counted and stays locked until the attempt is written, so two submissions
    at the same moment (a double click, two tabs) are counted one after the other and can never
    exceed the attempts allowed; the database also refuses a second attempt with the same number.
    Other cadres are not held up."""
    if user_membership(user) is None:
        raise PermissionDenied
    with transaction.atomic():
        membership = lock_for_update(Membership.objects.select_related("unit"), user=user)
        current = quiz_for_cadre(user, quiz.pk)
        if current is None:
            raise PermissionDenied
        status = current.status
        if status == QuizStatus.LOCKED:
            raise QuizError.for_code("not_ready")
        if status == QuizStatus.PASSED:
            raise QuizError.for_code("passed")
        if status == QuizStatus.NO_ATTEMPTS_LEFT:
            raise QuizError.for_code("no_attempts_left", count=current.max_attempts)
        questions = list(current.questions.prefetch_related("choices").order_by("order", "pk"))
        checked = _checked_answers(questions, answers)
        right = grade(questions, checked)
        score = round(100 * right / len(questions))
        attempt = Attempt(
            quiz=current,
            user=user,
            unit=membership.unit,
            number=current.attempts_used + 1,
            correct=right,
            questions=len(questions),
            score=score,
            passed=score >= current.pass_mark,
            answers={str(pk): chosen for pk, chosen in checked.items()},
        )
        record_actor(attempt, user)
        attempt.save()
        return attempt
