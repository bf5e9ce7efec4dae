"""The rules of quizzes: what a quiz must hold to be published, how answers are graded, how many
attempts a cadre gets, and when a quiz opens (after studying, signing or visiting)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from bases.models import VisitBooking, VisitSlot
from bases.services import booking_confirm
from bases.tests.factories import EducationBaseFactory, VisitSlotFactory, make_booking
from pledges.services import signature_import, signature_sign_online
from pledges.tests.factories import PledgeTextFactory, workbook_bytes
from publications.models import Audience, Publication
from publications.services import receipt_confirm
from publications.tests.factories import PublicationFactory
from quizzes.models import Attempt, Question, Quiz
from quizzes.selectors import QuizStatus, cadre_quizzes, quiz_for_cadre, quizzes_for
from quizzes.services import QuizError, attempt_submit, question_check, quiz_save
from quizzes.tests.factories import bulletin_for_cadres, make_quiz, right_answers, wrong_answers
from units.models import Membership, Unit
from units.tests.factories import UnitFactory, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def bulletin(city):
    return bulletin_for_cadres(city)


@pytest.fixture
def quiz(city, bulletin):
    return make_quiz(unit=city, publication=bulletin, max_attempts=2)


@pytest.fixture
def studied(bulletin, cadre_a):
    return receipt_confirm(publication=bulletin, user=cadre_a)


# 1. What a quiz must hold


@pytest.mark.parametrize(
    ("kind", "choices", "code"),
    [
        (Question.Kind.SINGLE, [("甲", True), ("乙", True)], "one_correct"),
        (Question.Kind.SINGLE, [("甲", False), ("乙", False)], "one_correct"),
        (Question.Kind.SINGLE, [("甲", True)], "two_choices"),
        (Question.Kind.MULTIPLE, [("甲", False), ("乙", False), ("丙", False)], "some_correct"),
        (Question.Kind.TRUE_FALSE, [("正确", True), ("错误", False), ("不确定", False)], "true_false"),
        (Question.Kind.TRUE_FALSE, [("正确", True), ("错误", True)], "true_false"),
    ],
)
def test_a_question_with_the_wrong_correct_choices_is_refused(kind, choices, code):
    with pytest.raises(QuizError) as refused:
        question_check(number=2, kind=kind, choices=choices)
    assert refused.value.code == code
    assert "2" in refused.value.message


@pytest.mark.parametrize(
    ("kind", "choices"),
    [
        (Question.Kind.SINGLE, [("甲", True), ("乙", False)]),
        (Question.Kind.MULTIPLE, [("甲", True), ("乙", True), ("丙", False)]),
        (Question.Kind.MULTIPLE, [("甲", True), ("乙", False)]),
        (Question.Kind.TRUE_FALSE, [("正确", False), ("错误", True)]),
    ],
)
def test_a_well_formed_question_passes(kind, choices):
    question_check(number=1, kind=kind, choices=choices)


def test_a_quiz_without_questions_cannot_be_published(city, bulletin):
    quiz = make_quiz(unit=city, publication=bulletin, questions=[], published=False)
    quiz.is_published = True
    with pytest.raises(QuizError) as refused:
        quiz_save(quiz=quiz, actor=None)
    assert refused.value.code == "no_questions"
    assert not Quiz.objects.get(pk=quiz.pk).is_published


def test_a_quiz_with_a_broken_question_cannot_be_published(city, bulletin):
    broken = [(Question.Kind.SINGLE, "题目", [("甲", True), ("乙", True)])]
    quiz = make_quiz(unit=city, publication=bulletin, questions=broken, published=False)
    quiz.is_published = True
    with pytest.raises(QuizError) as refused:
        quiz_save(quiz=quiz, actor=None)
    assert refused.value.code == "one_correct"


def test_publishing_stamps_the_time_once(quiz):
    stamped = quiz.published_at
    assert stamped is not None
    quiz.title = "改过的标题"
    quiz_save(quiz=quiz, actor=None)
    assert Quiz.objects.get(pk=quiz.pk).published_at == stamped


def test_a_quiz_follows_exactly_one_item(city, bulletin):
    pledge = PledgeTextFactory(issuing_unit=city)
    with pytest.raises(ValidationError):
        quiz_save(quiz=Quiz(title="两项", unit=city, publication=bulletin, pledge=pledge), actor=None)
    with pytest.raises(ValidationError):
        quiz_save(quiz=Quiz(title="无项", unit=city), actor=None)
    assert not Quiz.objects.exists()


def test_a_quiz_follows_only_a_bulletin_for_cadres(city):
    public_bulletin = PublicationFactory(kind=Publication.Kind.CASE_BULLETIN, audience=Audience.PUBLIC)
    news = PublicationFactory(kind=Publication.Kind.NEWS, audience=Audience.CADRES)
    for item in (public_bulletin, news):
        with pytest.raises(ValidationError) as refused:
            quiz_save(quiz=Quiz(title="测验", unit=city, publication=item), actor=None)
        assert "publication" in refused.value.message_dict


# 2. Grading


def test_all_right_scores_100_and_passes(quiz, cadre_a, studied):
    attempt = attempt_submit(quiz=quiz, user=cadre_a, answers=right_answers(quiz))
    assert (attempt.correct, attempt.questions, attempt.score, attempt.passed) == (3, 3, 100, True)
    assert attempt.number == 1
    assert attempt.unit == cadre_a.membership.unit


def test_all_wrong_scores_0_and_fails(quiz, cadre_a, studied):
    attempt = attempt_submit(quiz=quiz, user=cadre_a, answers=wrong_answers(quiz))
    assert (attempt.correct, attempt.score, attempt.passed) == (0, 0, False)


def test_a_multiple_choice_answer_counts_only_when_exactly_right(quiz, cadre_a, studied):
    answers = right_answers(quiz)
    multiple = quiz.questions.get(kind=Question.Kind.MULTIPLE)
    answers[multiple.pk] = answers[multiple.pk][:1]  # one of the two correct choices
    attempt = attempt_submit(quiz=quiz, user=cadre_a, answers=answers)
    assert (attempt.correct, attempt.score, attempt.passed) == (2, 67, True)


def test_the_pass_mark_decides(city, bulletin, cadre_a):
    quiz = make_quiz(unit=city, publication=bulletin, pass_mark=80)
    receipt_confirm(publication=bulletin, user=cadre_a)
    answers = right_answers(quiz)
    true_false = quiz.questions.get(kind=Question.Kind.TRUE_FALSE)
    answers[true_false.pk] = wrong_answers(quiz)[true_false.pk]
    attempt = attempt_submit(quiz=quiz, user=cadre_a, answers=answers)
    assert (attempt.score, attempt.passed) == (67, False)


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ("missing", "unanswered"),
        ("empty", "unanswered"),
        ("other_question", "bad_answer"),
        ("two_for_single", "one_answer"),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_recorded(quiz, cadre_a, studied, change, code):
    answers = right_answers(quiz)
    single = quiz.questions.get(kind=Question.Kind.SINGLE)
    true_false = quiz.questions.get(kind=Question.Kind.TRUE_FALSE)
    if change == "missing":
        del answers[single.pk]
    elif change == "empty":
        answers[single.pk] = []
    elif change == "other_question":
        answers[single.pk] = answers[true_false.pk]
    else:
        answers[single.pk] = [choice.pk for choice in single.choices.all()]
    with pytest.raises(QuizError) as refused:
        attempt_submit(quiz=quiz, user=cadre_a, answers=answers)
    assert refused.value.code == code
    assert not Attempt.objects.exists()


# 3. Attempts


def test_attempts_stop_at_the_number_allowed(quiz, cadre_a, studied):
    for _ in range(2):
        attempt_submit(quiz=quiz, user=cadre_a, answers=wrong_answers(quiz))
    with pytest.raises(QuizError) as refused:
        attempt_submit(quiz=quiz, user=cadre_a, answers=right_answers(quiz))
    assert refused.value.code == "no_attempts_left"
    assert list(Attempt.objects.values_list("number", flat=True).order_by("number")) == [1, 2]
    assert quiz_for_cadre(cadre_a, quiz.pk).status == QuizStatus.NO_ATTEMPTS_LEFT


def test_a_passed_quiz_takes_no_more_attempts(quiz, cadre_a, studied):
    attempt_submit(quiz=quiz, user=cadre_a, answers=right_answers(quiz))
    with pytest.raises(QuizError) as refused:
        attempt_submit(quiz=quiz, user=cadre_a, answers=right_answers(quiz))
    assert refused.value.code == "passed"
    assert Attempt.objects.count() == 1


def test_a_failed_attempt_leaves_the_rest(quiz, cadre_a, studied):
    attempt_submit(quiz=quiz, user=cadre_a, answers=wrong_answers(quiz))
    current = quiz_for_cadre(cadre_a, quiz.pk)
    assert (current.status, current.attempts_left, current.best_score) == (QuizStatus.FAILED, 1, 0)
    second = attempt_submit(quiz=quiz, user=cadre_a, answers=right_answers(quiz))
    assert (second.number, second.passed) == (2, True)


# 4. When a quiz opens


def test_a_bulletin_quiz_opens_after_the_cadre_confirmed_studying(quiz, bulletin, cadre_a):
    assert quiz_for_cadre(cadre_a, quiz.pk).status == QuizStatus.LOCKED
    with pytest.raises(QuizError) as refused:
        attempt_submit(quiz=quiz, user=cadre_a, answers=right_answers(quiz))
    assert refused.value.code == "not_ready"
    receipt_confirm(publication=bulletin, user=cadre_a)
    assert quiz_for_cadre(cadre_a, quiz.pk).status == QuizStatus.NOT_TAKEN


def test_a_pledge_quiz_opens_after_the_cadre_signed(city, cadre_a):
    pledge = PledgeTextFactory(issuing_unit=city)
    quiz = make_quiz(unit=city, pledge=pledge)
    assert quiz_for_cadre(cadre_a, quiz.pk).status == QuizStatus.LOCKED
    signature_sign_online(pledge=pledge, user=cadre_a)
    assert quiz_for_cadre(cadre_a, quiz.pk).status == QuizStatus.NOT_TAKEN


def test_a_pledge_quiz_opens_for_a_paper_signature_under_the_cadres_name(city, village_a, cadre_a):
    pledge = PledgeTextFactory(issuing_unit=city)
    quiz = make_quiz(unit=city, pledge=pledge)
    row = [cadre_a.first_name, village_a.name, "科员", datetime.date(2020, 6, 1)]
    signature_import(pledge=pledge, workbook_file=workbook_bytes([row]), units=Unit.objects.all(), actor=None)
    assert quiz_for_cadre(cadre_a, quiz.pk).status == QuizStatus.NOT_TAKEN
    # The same name in another unit is someone else: their quiz stays locked.
    other_village = UnitFactory(name="别的村", kind=Unit.Kind.VILLAGE, parent=city, code="OTHER-V")
    namesake = make_member(other_village, Membership.Role.CADRE, first_name=cadre_a.first_name)
    assert quiz_for_cadre(namesake, quiz.pk).status == QuizStatus.LOCKED


def test_a_base_quiz_opens_after_a_confirmed_visit_of_the_cadres_unit_took_place(
    city, township_a, village_a, cadre_a, staff_a
):
    base = EducationBaseFactory(unit=township_a)
    quiz = make_quiz(unit=city, base=base)
    colleague = make_member(village_a, Membership.Role.CADRE, username="booker")
    slot = VisitSlotFactory(base=base)
    booking = make_booking(slot, colleague, village_a)
    assert quiz_for_cadre(cadre_a, quiz.pk).status == QuizStatus.LOCKED  # booked, not confirmed
    booking_confirm(booking=booking, actor=staff_a)
    assert quiz_for_cadre(cadre_a, quiz.pk).status == QuizStatus.LOCKED  # the visit is still ahead
    # A test-only shortcut to the day of the visit: the slot's date is otherwise never moved back.
    VisitSlot.objects.filter(pk=slot.pk).update(date=timezone.localdate())
    assert VisitBooking.objects.get(pk=booking.pk).status == VisitBooking.Status.CONFIRMED
    assert quiz_for_cadre(cadre_a, quiz.pk).status == QuizStatus.NOT_TAKEN


def test_a_base_visit_of_another_unit_does_not_open_the_quiz(city, township_b, village_b, cadre_a, staff_a):
    base = EducationBaseFactory(unit=township_b)
    quiz = make_quiz(unit=city, base=base)
    other = make_member(village_b, Membership.Role.CADRE, username="other_booker")
    slot = VisitSlotFactory(base=base, date=timezone.localdate() + datetime.timedelta(days=3))
    booking_confirm(booking=make_booking(slot, other, village_b), actor=None)
    VisitSlot.objects.filter(pk=slot.pk).update(date=timezone.localdate())
    assert quiz_for_cadre(cadre_a, quiz.pk).status == QuizStatus.LOCKED


# 5. Who is offered which quiz


def test_a_cadre_is_offered_the_quizzes_of_their_unit_and_above_only(
    city, township_a, township_b, village_a, cadre_a, bulletin
):
    city_quiz = make_quiz(unit=city, publication=bulletin, title="全市测验")
    own = make_quiz(unit=township_a, publication=bulletin, title="东山镇测验")
    make_quiz(unit=township_b, publication=bulletin, title="西河镇测验")
    make_quiz(unit=city, publication=bulletin, title="未发布测验", published=False)
    assert {quiz.title for quiz in cadre_quizzes(cadre_a)} == {city_quiz.title, own.title}


def test_a_quiz_on_an_item_the_cadre_may_not_read_is_not_offered(city, cadre_a):
    staff_only = bulletin_for_cadres(city, audience=Audience.STAFF)
    make_quiz(unit=city, publication=staff_only)
    withdrawn = bulletin_for_cadres(city, title="撤回的通报")
    make_quiz(unit=city, publication=withdrawn)
    Publication.objects.filter(pk=withdrawn.pk).update(is_published=False, review_status="draft")
    assert not quizzes_for(cadre_a).exists()


def test_someone_without_a_unit_cannot_submit(quiz, django_user_model):
    outsider = django_user_model.objects.create_user("outsider", password="x-Qingfeng-2026")
    with pytest.raises(PermissionDenied):
        attempt_submit(quiz=quiz, user=outsider, answers=right_answers(quiz))


def test_a_cadre_of_another_township_cannot_submit(township_a, bulletin, village_b):
    quiz = make_quiz(unit=township_a, publication=bulletin)
    other = make_member(village_b, Membership.Role.CADRE, username="cadre_b")
    receipt_confirm(publication=bulletin, user=other)
    with pytest.raises(PermissionDenied):
        attempt_submit(quiz=quiz, user=other, answers=right_answers(quiz))
