from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.errors import DomainError
from quizzes.forms import AnswerForm
from quizzes.models import Attempt
from quizzes.selectors import QuizStatus, cadre_quizzes, quiz_for_cadre
from quizzes.services import QuizError, attempt_submit
from units.scoping import user_membership

OPEN_STATUSES = (QuizStatus.NOT_TAKEN, QuizStatus.FAILED)
# Why a quiz that is not open takes no answers (a form sent from an old tab, say).
CLOSED_CODES = {QuizStatus.LOCKED: "not_ready", QuizStatus.PASSED: "passed", QuizStatus.NO_ATTEMPTS_LEFT: "all_used"}


def _not_registered(request):
    return render(request, "quizzes/not_registered.html", status=403)


@login_required
def quiz_list(request):
    """我的测验: the quizzes addressed to the cadre, with where each stands."""
    if user_membership(request.user) is None:
        return _not_registered(request)
    return render(
        request,
        "quizzes/quiz_list.html",
        {"quizzes": cadre_quizzes(request.user), "crumbs": [(_("My quizzes"), "")]},
    )


@login_required
def quiz_detail(request, pk):
    """The quiz's questions, once it has opened for the cadre; a submission is graded at once."""
    if user_membership(request.user) is None:
        return _not_registered(request)
    quiz = quiz_for_cadre(request.user, pk)
    if quiz is None:
        raise Http404
    questions = list(quiz.questions.prefetch_related("choices").order_by("order", "pk"))
    form = None
    error = None
    if quiz.status in OPEN_STATUSES:
        form = AnswerForm(request.POST if request.method == "POST" else None, questions=questions)
        if request.method == "POST" and form.is_valid():
            try:
                attempt = attempt_submit(quiz=quiz, user=request.user, answers=form.answers())
            except DomainError as problem:
                error = problem.message
            else:
                if attempt.passed:
                    messages.success(request, _("Passed. Well done."))
                return redirect(attempt.get_absolute_url())
    elif request.method == "POST":
        error = QuizError.for_code(CLOSED_CODES[quiz.status]).message
    attempts = list(Attempt.objects.filter(quiz=quiz, user=request.user).order_by("number"))
    return render(
        request,
        "quizzes/quiz_detail.html",
        {
            "quiz": quiz,
            "form": form,
            "error": error,
            "attempts": attempts,
            "question_count": len(questions),
            "crumbs": [(_("My quizzes"), reverse("quizzes:quiz-list")), (quiz.title, "")],
        },
    )


@login_required
def attempt_detail(request, pk):
    """A cadre's own attempt: the score and whether it passed; the right answers once the cadre
    has passed or has no attempt left (before that they would give the next attempt away)."""
    attempt = get_object_or_404(Attempt.objects.select_related("quiz"), pk=pk, user=request.user)
    quiz = quiz_for_cadre(request.user, attempt.quiz_id)
    finished = quiz is None or quiz.status in (QuizStatus.PASSED, QuizStatus.NO_ATTEMPTS_LEFT)
    review = []
    if finished:
        for question in attempt.quiz.questions.prefetch_related("choices").order_by("order", "pk"):
            chosen = set(attempt.answers.get(str(question.pk), []))
            choices = list(question.choices.all())
            review.append(
                {
                    "question": question,
                    "choices": [(choice, choice.pk in chosen) for choice in choices],
                    "right": chosen == {choice.pk for choice in choices if choice.is_correct},
                }
            )
    return render(
        request,
        "quizzes/attempt_detail.html",
        {
            "attempt": attempt,
            "quiz": quiz,
            "review": review,
            "crumbs": [
                (_("My quizzes"), reverse("quizzes:quiz-list")),
                (attempt.quiz.title, reverse("quizzes:quiz-detail", args=[attempt.quiz_id])),
                (_("Result"), ""),
            ],
        },
    )
