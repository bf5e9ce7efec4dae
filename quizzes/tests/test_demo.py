"""The demo city has a quiz on the newest case bulletin with results to look at, and one on
《廉洁自律承诺书》; loading the demo again adds nothing."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from quizzes.models import Attempt, Quiz


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())


def test_the_demo_has_two_published_quizzes_with_attempts_and_loads_once(demo):
    assert set(Quiz.objects.filter(is_published=True).values_list("title", flat=True)) == {
        "典型案例通报学习测验",
        "《廉洁自律承诺书》学习测验",
    }
    attempts = Attempt.objects.count()
    assert attempts > 0 and Attempt.objects.filter(passed=False).exists()
    call_command("load_demo", stdout=io.StringIO())
    assert (Quiz.objects.count(), Attempt.objects.count()) == (2, attempts)


def test_the_demo_township_staff_see_their_cadres_results(demo, client):
    client.force_login(get_user_model().objects.get(username="xingyuan"))
    quiz = Quiz.objects.get(title="典型案例通报学习测验")
    page = client.get(reverse("admin:quizzes_quiz_results", args=[quiz.pk])).content.decode()
    assert "兴源镇" in page and "已通过" in page
