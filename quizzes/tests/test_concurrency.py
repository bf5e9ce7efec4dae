"""A cadre submitting the same quiz many times at the same moment (a double click, several tabs),
on real PostgreSQL connections: never more attempts than allowed."""

import threading

import pytest
from django.db import connection

from publications.services import receipt_confirm
from quizzes.models import Attempt
from quizzes.services import QuizError, attempt_submit
from quizzes.tests.factories import bulletin_for_cadres, make_quiz, wrong_answers

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locking needs PostgreSQL (set DATABASE_URL)"),
]

THREADS = 8
ALLOWED = 2


def submit_all_at_once(quiz, user, answers):
    barrier = threading.Barrier(THREADS)
    outcomes, errors = [], []

    def worker():
        try:
            barrier.wait(timeout=30)
            attempt_submit(quiz=quiz, user=user, answers=answers)
            outcomes.append("recorded")
        except QuizError as error:
            outcomes.append(error.code)
        except Exception as error:
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes, errors


def test_simultaneous_submissions_never_exceed_the_attempts_allowed(city, cadre_a):
    bulletin = bulletin_for_cadres(city)
    quiz = make_quiz(unit=city, publication=bulletin, max_attempts=ALLOWED)
    receipt_confirm(publication=bulletin, user=cadre_a)
    outcomes, errors = submit_all_at_once(quiz, cadre_a, wrong_answers(quiz))
    assert errors == []
    assert sorted(outcomes) == sorted(["recorded"] * ALLOWED + ["no_attempts_left"] * (THREADS - ALLOWED))
    numbers = sorted(Attempt.objects.filter(quiz=quiz, user=cadre_a).values_list("number", flat=True))
    assert numbers == [1, 2]


def test_without_the_lock_the_race_is_real(city, cadre_a, monkeypatch):
    """The same submissions with the row lock taken out: the attempt count is read by several at
    once, and the database's unique attempt number is all that stops the extra ones — proof that
    the lock is what keeps the rule, not luck."""
    from quizzes import services

    monkeypatch.setattr(services, "lock_for_update", lambda queryset, **lookup: queryset.get(**lookup))
    bulletin = bulletin_for_cadres(city)
    quiz = make_quiz(unit=city, publication=bulletin, max_attempts=ALLOWED)
    receipt_confirm(publication=bulletin, user=cadre_a)
    _outcomes, errors = submit_all_at_once(quiz, cadre_a, wrong_answers(quiz))
    assert errors, "without the lock, some submissions collide on the attempt number"
    assert Attempt.objects.filter(quiz=quiz, user=cadre_a).count() <= ALLOWED
