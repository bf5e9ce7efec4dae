"""The cadre's pages: 我的测验, taking a quiz, the result. Who may open them, what they show, what
the page source never holds (which choice is correct), and what bad input gets."""

import re

import pytest
from django.urls import reverse

from publications.services import receipt_confirm
from quizzes.models import Attempt, Choice, Question
from quizzes.tests.factories import bulletin_for_cadres, make_quiz, right_answers, wrong_answers
from units.models import Membership
from units.tests.factories import make_member

pytestmark = pytest.mark.django_db

# How the result page marks a correct choice once the answers are shown.
ANSWER_MARK = "（正确答案）"
# The budget of every public and cadre page (tests/test_query_budgets.py).
BUDGET = 8


@pytest.fixture
def bulletin(city):
    return bulletin_for_cadres(city)


@pytest.fixture
def quiz(city, bulletin):
    return make_quiz(unit=city, publication=bulletin, max_attempts=2)


@pytest.fixture
def studying_cadre(client, bulletin, cadre_a):
    receipt_confirm(publication=bulletin, user=cadre_a)
    client.force_login(cadre_a)
    return cadre_a


def form_data(quiz, answers):
    data = {}
    for question in quiz.questions.all():
        data[f"question_{question.pk}"] = [str(pk) for pk in answers.get(question.pk, [])]
    return data


# 1. Access


@pytest.mark.parametrize("name", ["quizzes:quiz-list", "quizzes:quiz-detail", "quizzes:attempt-detail"])
def test_anonymous_visitors_are_asked_to_log_in(client, quiz, name):
    url = reverse(name) if name == "quizzes:quiz-list" else reverse(name, args=[quiz.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_account_without_a_unit_is_told_why(client, quiz, django_user_model):
    client.force_login(django_user_model.objects.create_user("outsider", password="x-Qingfeng-2026"))
    for url in [reverse("quizzes:quiz-list"), quiz.get_absolute_url()]:
        response = client.get(url)
        assert response.status_code == 403
        assert "没有登记" in response.content.decode() or "未登记" in response.content.decode()


def test_a_cadre_of_another_township_cannot_open_the_quiz(client, township_a, bulletin, village_b):
    quiz = make_quiz(unit=township_a, publication=bulletin, title="东山镇测验")
    other = make_member(village_b, Membership.Role.CADRE, username="cadre_b")
    client.force_login(other)
    assert client.get(quiz.get_absolute_url()).status_code == 404
    assert client.post(quiz.get_absolute_url(), form_data(quiz, right_answers(quiz))).status_code == 404
    assert "东山镇测验" not in client.get(reverse("quizzes:quiz-list")).content.decode()
    assert not Attempt.objects.exists()


def test_a_cadre_cannot_open_someone_elses_attempt(client, quiz, studying_cadre, village_a, bulletin):
    client.post(quiz.get_absolute_url(), form_data(quiz, right_answers(quiz)))
    attempt = Attempt.objects.get()
    colleague = make_member(village_a, Membership.Role.CADRE, username="colleague")
    client.force_login(colleague)
    assert client.get(attempt.get_absolute_url()).status_code == 404


# 2. 我的测验


def test_my_quizzes_show_where_each_stands(client, city, cadre_a, bulletin):
    locked = make_quiz(unit=city, publication=bulletin, title="尚未学习的测验")
    other_bulletin = bulletin_for_cadres(city, title="警示教育材料")
    open_quiz = make_quiz(unit=city, publication=other_bulletin, title="可以参加的测验")
    receipt_confirm(publication=other_bulletin, user=cadre_a)
    client.force_login(cadre_a)
    page = client.get(reverse("quizzes:quiz-list")).content.decode()
    assert locked.title in page and open_quiz.title in page
    assert "待学习" in page and "未参加" in page


def test_my_quizzes_is_in_the_navigation_of_a_cadre_with_a_quiz(client, quiz, cadre_a, staff_a):
    client.force_login(cadre_a)
    assert reverse("quizzes:quiz-list") in client.get(reverse("publications:bulletin-list")).content.decode()


def test_my_quizzes_page_stays_within_its_query_budget(client, city, studying_cadre, django_assert_max_num_queries):
    for number in range(8):
        bulletin = bulletin_for_cadres(city, title=f"通报{number}")
        make_quiz(unit=city, publication=bulletin, title=f"测验{number}")
        receipt_confirm(publication=bulletin, user=studying_cadre)
    client.get("/about/")  # what every page shares is remembered once per content change
    with django_assert_max_num_queries(BUDGET):
        response = client.get(reverse("quizzes:quiz-list"))
    assert response.content.decode().count("未参加") == 8


# 3. Taking a quiz


def test_the_page_source_never_tells_which_choice_is_correct(client, quiz, studying_cadre):
    page = client.get(quiz.get_absolute_url()).content.decode()
    assert "correct" not in page.lower()
    assert ANSWER_MARK not in page
    for question in quiz.questions.all():
        inputs = re.findall(rf'<input[^>]*name="question_{question.pk}"[^>]*>', page)
        assert len(inputs) == question.choices.count()
        # Apart from the choice's own id and value, the right and the wrong choices look the same.
        shapes = {re.sub(r'(id|value)="[^"]*"', "", tag) for tag in inputs}
        assert len(shapes) == 1, shapes


def test_the_page_source_holds_no_answer_while_attempts_are_left(client, quiz, studying_cadre):
    client.post(quiz.get_absolute_url(), form_data(quiz, wrong_answers(quiz)))
    attempt = Attempt.objects.get()
    page = client.get(attempt.get_absolute_url()).content.decode()
    assert "0%" in page and "未通过" in page
    assert ANSWER_MARK not in page
    assert "再试一次" in page


def test_right_answers_pass_and_show_the_review(client, quiz, studying_cadre):
    response = client.post(quiz.get_absolute_url(), form_data(quiz, right_answers(quiz)), follow=True)
    page = response.content.decode()
    assert "100%" in page and "已通过" in page
    assert page.count(ANSWER_MARK) == 4  # the single, both of the multiple, and the true-or-false
    attempt = Attempt.objects.get()
    assert attempt.passed and attempt.user == studying_cadre
    assert "已通过" in client.get(reverse("quizzes:quiz-list")).content.decode()


def test_after_the_last_attempt_the_right_answers_are_shown(client, quiz, studying_cadre):
    for _ in range(2):
        client.post(quiz.get_absolute_url(), form_data(quiz, wrong_answers(quiz)))
    page = client.get(Attempt.objects.get(number=2).get_absolute_url()).content.decode()
    assert ANSWER_MARK in page
    detail = client.get(quiz.get_absolute_url()).content.decode()
    assert '<form method="post" class="stack-form quiz-form"' not in detail
    response = client.post(quiz.get_absolute_url(), form_data(quiz, right_answers(quiz)))
    assert response.status_code == 200
    assert "答题机会已全部用完" in response.content.decode()
    assert Attempt.objects.count() == 2


def test_a_locked_quiz_shows_no_questions_and_points_to_the_bulletin(client, quiz, bulletin, cadre_a):
    client.force_login(cadre_a)
    page = client.get(quiz.get_absolute_url()).content.decode()
    assert bulletin.get_absolute_url() in page
    assert "question_" not in page
    response = client.post(quiz.get_absolute_url(), form_data(quiz, right_answers(quiz)))
    assert response.status_code == 200
    assert "请先学习、签署或参观" in response.content.decode()
    assert not Attempt.objects.exists()


@pytest.mark.parametrize("bad", ["missing", "not_a_number", "other_question", "unknown_id"])
def test_bad_answers_get_a_clear_error_and_record_nothing(client, quiz, studying_cadre, bad):
    data = form_data(quiz, right_answers(quiz))
    single = quiz.questions.get(kind=Question.Kind.SINGLE)
    key = f"question_{single.pk}"
    if bad == "missing":
        del data[key]
    elif bad == "not_a_number":
        data[key] = ["abc"]
    elif bad == "other_question":
        data[key] = [str(Choice.objects.exclude(question=single).first().pk)]
    else:
        data[key] = ["999999999999999999999"]
    response = client.post(quiz.get_absolute_url(), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "请回答此题" in page or "不是本题的选项" in page
    assert not Attempt.objects.exists()


def test_two_answers_posted_to_a_single_choice_question_record_one(client, quiz, studying_cadre):
    data = form_data(quiz, right_answers(quiz))
    single = quiz.questions.get(kind=Question.Kind.SINGLE)
    data[f"question_{single.pk}"] = [str(choice.pk) for choice in single.choices.all()]
    client.post(quiz.get_absolute_url(), data)
    assert len(Attempt.objects.get().answers[str(single.pk)]) == 1


def test_taking_a_quiz_stays_within_its_query_budget(client, quiz, studying_cadre, django_assert_max_num_queries):
    client.get("/about/")  # what every page shares is remembered once per content change
    with django_assert_max_num_queries(BUDGET):
        page = client.get(quiz.get_absolute_url()).content.decode()
    assert page.count('type="radio"') == 4
    data = form_data(quiz, right_answers(quiz))
    # The session and the user; the quiz (with the cadre's attempts) and its questions for the
    # form; again under the lock (with its time limit on PostgreSQL) for grading; the attempt and
    # its history row.
    with django_assert_max_num_queries(15):
        response = client.post(quiz.get_absolute_url(), data)
    assert response.status_code == 302
    client.get("/about/")  # the navigation again, after the change
    with django_assert_max_num_queries(BUDGET):
        assert client.get(response["Location"]).status_code == 200


def test_the_bulletin_offers_its_quiz_once_the_cadre_confirmed_studying_it(client, quiz, bulletin, cadre_a):
    client.force_login(cadre_a)
    before = client.get(bulletin.get_absolute_url()).content.decode()
    assert f"测验“{quiz.title}”将在确认学习后开放" in before
    assert quiz.get_absolute_url() not in before
    receipt_confirm(publication=bulletin, user=cadre_a)
    after = client.get(bulletin.get_absolute_url()).content.decode()
    assert f'href="{quiz.get_absolute_url()}"' in after and f"参加测验“{quiz.title}”" in after
    assert "未参加" in after
