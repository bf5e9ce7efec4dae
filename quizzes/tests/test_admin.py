"""The back office of quizzes: writing a quiz and its questions (with the rules in Chinese),
results per unit over the roster and per cadre, the export, and who sees which results."""

import io
import re

import openpyxl
import pytest
from django.urls import reverse

from publications.services import receipt_confirm
from publications.tests.factories import PublicationFactory
from quizzes.models import Attempt, Choice, Question, Quiz
from quizzes.services import attempt_submit
from quizzes.tests.factories import bulletin_for_cadres, make_quiz, right_answers, wrong_answers
from units.models import Membership
from units.tests.factories import UnitFactory, make_member

pytestmark = pytest.mark.django_db


def cells(html: str, heading_row: str) -> list[list[str]]:
    """The rows of the table whose header row contains `heading_row`, as lists of cell texts."""
    table = next(t for t in re.findall(r"<table.*?</table>", html, re.S) if heading_row in t)
    rows = re.findall(r"<tr>(.*?)</tr>", re.sub(r"<thead>.*?</thead>", "", table, flags=re.S), re.S)
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[dh]>(.*?)</t[dh]>", row, re.S)]
        for row in rows
    ]


@pytest.fixture
def bulletin(city):
    return bulletin_for_cadres(city)


@pytest.fixture
def roster(village_a, village_b, cadre_a):
    """向阳村 (东山镇): cadre_a and two more; 河口村 (西河镇): two cadres; one member of staff of
    向阳村 not on the roster."""
    extra_a = [make_member(village_a, Membership.Role.CADRE, username=f"a{n}", first_name=f"甲{n}") for n in (1, 2)]
    cadres_b = [make_member(village_b, Membership.Role.CADRE, username=f"b{n}", first_name=f"乙{n}") for n in (1, 2)]
    off_roster = make_member(village_a, Membership.Role.UNIT_STAFF, username="off_roster")
    off_roster.membership.is_cadre = False
    off_roster.membership.save()
    return {"a": [cadre_a, *extra_a], "b": cadres_b, "off_roster": off_roster}


def take(quiz, user, *, right: bool):
    receipt_confirm(publication=quiz.publication, user=user)
    return attempt_submit(quiz=quiz, user=user, answers=right_answers(quiz) if right else wrong_answers(quiz))


@pytest.fixture
def city_quiz(city, bulletin, roster):
    """Two of 向阳村's three cadres passed (one at the second try), one of 河口村's two failed."""
    quiz = make_quiz(unit=city, publication=bulletin, title="全市测验")
    cadre, first, _second = roster["a"]
    take(quiz, cadre, right=True)
    take(quiz, first, right=False)
    take(quiz, first, right=True)
    take(quiz, roster["b"][0], right=False)
    take(quiz, roster["off_roster"], right=True)  # passes, but is not on a roster
    return quiz


# 1. Completion per unit, over the roster


def test_the_commission_sees_every_unit_of_a_city_quiz(client, commission_admin, city_quiz):
    client.force_login(commission_admin)
    page = client.get(reverse("admin:quizzes_quiz_results", args=[city_quiz.pk])).content.decode()
    rows = cells(page, "名册人数")
    assert ["向阳村", "3", "2", "67%"] in rows
    assert ["河口村", "2", "0", "0%"] in rows
    assert ["云岭市", "1", "0", "0%"] in rows  # the commission's own administrator is a cadre too
    assert "名册上6名干部中，已有2名通过" in page


def test_unit_staff_see_only_their_units_of_a_city_quiz(client, staff_a, cadre_a, city_quiz):
    client.force_login(staff_a)
    page = client.get(reverse("admin:quizzes_quiz_results", args=[city_quiz.pk])).content.decode()
    # Staff are on their unit's roster like any cadre.
    assert cells(page, "名册人数") == [["东山镇", "1", "0", "0%"], ["向阳村", "3", "2", "67%"]]
    people = cells(page, "最好成绩")
    assert [row[1] for row in people] == [staff_a.first_name, "甲1", "甲2", cadre_a.first_name]
    assert "河口村" not in page and "乙1" not in page


def test_unit_staff_cannot_open_the_results_of_another_townships_quiz(client, township_b, bulletin, staff_a):
    quiz = make_quiz(unit=township_b, publication=bulletin, title="西河镇测验")
    client.force_login(staff_a)
    assert client.get(reverse("admin:quizzes_quiz_results", args=[quiz.pk])).status_code == 404
    assert client.get(reverse("admin:quizzes_quiz_results", args=[quiz.pk]) + "?format=xlsx").status_code == 404
    assert "西河镇测验" not in client.get(reverse("admin:quizzes_quiz_result_list")).content.decode()
    assert client.get(reverse("admin:quizzes_quiz_change", args=[quiz.pk])).status_code == 302  # not found


def test_the_result_list_counts_each_quiz_over_the_staff_members_cadres(client, staff_a, city_quiz):
    client.force_login(staff_a)
    page = client.get(reverse("admin:quizzes_quiz_result_list")).content.decode()
    assert cells(page, "完成率")[0][:1] == ["全市测验"]
    assert cells(page, "完成率")[0][3:6] == ["2", "4", "50%"]


def test_the_export_holds_completion_and_every_cadre(client, staff_a, city_quiz):
    client.force_login(staff_a)
    response = client.get(reverse("admin:quizzes_quiz_results", args=[city_quiz.pk]), {"format": "xlsx"})
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    completion = list(workbook["完成情况"].iter_rows(values_only=True))
    assert completion == [("单位", "名册人数", "已通过", "完成率"), ("东山镇", 1, 0, "0%"), ("向阳村", 3, 2, "67%")]
    people = list(workbook["个人成绩"].iter_rows(values_only=True))
    assert people[0] == ("单位", "姓名", "职务", "尝试次数", "最好成绩（%）", "结果")
    by_name = {row[1]: row for row in people[1:]}
    assert by_name["甲1"][3:] == (2, 100, "已通过")
    assert by_name["甲2"][3:] == (0, None, "未参加")
    assert len(people) == 5  # the heading, staff_a and the three cadres of 向阳村


def test_the_results_page_stays_within_its_query_budget(
    client, commission_admin, city_quiz, django_assert_max_num_queries
):
    client.force_login(commission_admin)
    url = reverse("admin:quizzes_quiz_results", args=[city_quiz.pk])
    client.get(url)
    with django_assert_max_num_queries(14):
        client.get(url)


# 2. Attempts per cadre, scoped


def test_staff_see_the_attempts_of_their_units_only(client, staff_a, city_quiz):
    client.force_login(staff_a)
    page = client.get(reverse("admin:quizzes_attempt_changelist")).content.decode()
    assert "甲1" in page and "乙1" not in page


# 3. Writing a quiz


def quiz_form(unit, bulletin, **extra):
    data = {
        "title": "新测验",
        "unit": unit.pk,
        "intro": "",
        "publication": bulletin.pk,
        "pledge": "",
        "base": "",
        "pass_mark": 60,
        "max_attempts": 3,
        "questions-TOTAL_FORMS": 1,
        "questions-INITIAL_FORMS": 0,
        "questions-MIN_NUM_FORMS": 0,
        "questions-MAX_NUM_FORMS": 1000,
        "questions-0-order": 1,
        "questions-0-text": "违规吃喝属于哪类问题？",
        "questions-0-kind": "single",
    }
    data.update(extra)
    return data


def test_staff_write_a_quiz_for_a_city_bulletin(client, staff_a, township_a, bulletin):
    news = PublicationFactory(title="一条工作动态", issuing_unit=township_a)
    client.force_login(staff_a)
    form = client.get(reverse("admin:quizzes_quiz_add")).content.decode()
    assert bulletin.title in form  # a city bulletin may be chosen
    assert news.title not in form  # news has no quiz
    response = client.post(reverse("admin:quizzes_quiz_add"), quiz_form(township_a, bulletin))
    assert response.status_code == 302, response.content.decode()[:2000]
    quiz = Quiz.objects.get()
    assert (quiz.unit, quiz.publication, quiz.created_by, quiz.is_published) == (township_a, bulletin, staff_a, False)
    assert quiz.questions.get().text == "违规吃喝属于哪类问题？"


def test_staff_cannot_give_a_quiz_to_another_township(client, staff_a, township_b, bulletin):
    client.force_login(staff_a)
    response = client.post(reverse("admin:quizzes_quiz_add"), quiz_form(township_b, bulletin))
    assert response.status_code == 200
    assert not Quiz.objects.exists()


def test_publishing_a_quiz_without_questions_is_refused_in_chinese(client, staff_a, township_a, bulletin):
    quiz = make_quiz(unit=township_a, publication=bulletin, questions=[], published=False)
    client.force_login(staff_a)
    data = quiz_form(township_a, bulletin, is_published="on", **{"questions-TOTAL_FORMS": 0})
    response = client.post(reverse("admin:quizzes_quiz_change", args=[quiz.pk]), data)
    assert response.status_code == 200
    assert "请先添加至少一道题目" in response.content.decode()
    assert not Quiz.objects.get(pk=quiz.pk).is_published


def test_choices_that_break_the_rule_are_refused_in_chinese(client, staff_a, township_a, bulletin):
    quiz = make_quiz(unit=township_a, publication=bulletin, questions=[], published=False)
    question = Question.objects.create(quiz=quiz, order=1, text="单选题目", kind=Question.Kind.SINGLE)
    client.force_login(staff_a)
    data = {
        "quiz": quiz.pk,
        "order": 1,
        "text": "单选题目",
        "kind": "single",
        "choices-TOTAL_FORMS": 2,
        "choices-INITIAL_FORMS": 0,
        "choices-MIN_NUM_FORMS": 0,
        "choices-MAX_NUM_FORMS": 1000,
        "choices-0-order": 1,
        "choices-0-text": "甲",
        "choices-0-is_correct": "on",
        "choices-1-order": 2,
        "choices-1-text": "乙",
        "choices-1-is_correct": "on",
    }
    response = client.post(reverse("admin:quizzes_question_change", args=[question.pk]), data)
    assert response.status_code == 200
    assert "单选题必须有且只有一个正确选项" in response.content.decode()
    assert not Choice.objects.exists()
    del data["choices-1-is_correct"]
    response = client.post(reverse("admin:quizzes_question_change", args=[question.pk]), data)
    assert response.status_code == 302
    assert Choice.objects.filter(question=question).count() == 2


def test_the_questions_of_an_answered_quiz_are_not_edited(client, staff_a, township_a, bulletin, cadre_a):
    quiz = make_quiz(unit=township_a, publication=bulletin)
    take(quiz, cadre_a, right=True)
    question = quiz.questions.first()
    client.force_login(staff_a)
    choice = question.choices.first()
    page = client.get(reverse("admin:quizzes_question_change", args=[question.pk])).content.decode()
    assert 'name="text"' not in page and 'name="choices-0-text"' not in page
    client.post(
        reverse("admin:quizzes_question_change", args=[question.pk]),
        {
            "quiz": quiz.pk,
            "order": 1,
            "text": "改过的题目",
            "kind": "multiple",
            "choices-TOTAL_FORMS": 1,
            "choices-INITIAL_FORMS": 1,
            "choices-0-id": choice.pk,
            "choices-0-question": question.pk,
            "choices-0-text": "改过的选项",
        },
    )
    assert Question.objects.get(pk=question.pk).text != "改过的题目"
    assert Choice.objects.get(pk=choice.pk).text != "改过的选项"
    delete = client.post(reverse("admin:quizzes_question_delete", args=[question.pk]), {"post": "yes"})
    assert delete.status_code == 403


def test_staff_of_another_township_do_not_see_the_quiz_or_its_questions(client, township_b, bulletin):
    quiz = make_quiz(unit=township_b, publication=bulletin, title="西河镇测验")
    other_staff = make_member(UnitFactory(name="北岭镇", code="T-N"), Membership.Role.UNIT_STAFF, username="staff_n")
    client.force_login(other_staff)
    assert "西河镇测验" not in client.get(reverse("admin:quizzes_quiz_changelist")).content.decode()
    question = quiz.questions.first()
    assert client.get(reverse("admin:quizzes_question_change", args=[question.pk])).status_code == 302
    assert Attempt.objects.count() == 0
