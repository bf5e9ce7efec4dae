"""The demo's study quizzes: one on the newest case bulletin and one on 《廉洁自律承诺书》, set by the
city for every cadre, and the attempts of the generated cadres who studied the bulletin, so that
the results pages have figures (about two in three of those readers passed, a few failed once)."""

from core.history import bulk_create_recorded
from pledges.models import PledgeText
from publications.models import Publication, ReadReceipt
from quizzes.models import Attempt, Choice, Question, Quiz
from quizzes.services import grade, quiz_save

BULLETIN_QUESTIONS = [
    (
        Question.Kind.SINGLE,
        "通报中的典型问题，违反的是哪一项规定精神？",
        [("中央八项规定精神", True), ("财务报销制度", False), ("考勤管理制度", False)],
    ),
    (
        Question.Kind.MULTIPLE,
        "下列哪些行为属于违反中央八项规定精神的问题？",
        [("违规收受礼品礼金", True), ("公款吃喝", True), ("公车私用", True), ("按标准用餐", False)],
    ),
    (Question.Kind.TRUE_FALSE, "节假日期间收受管理服务对象的电子红包，不算违纪。", [("正确", False), ("错误", True)]),
]
PLEDGE_QUESTIONS = [
    (
        Question.Kind.SINGLE,
        "签署《廉洁自律承诺书》后，应当如何对待亲属利用本人职务影响谋利？",
        [("严格管教，坚决不允许", True), ("只要不违法就可以", False)],
    ),
    (Question.Kind.TRUE_FALSE, "廉洁自律承诺只约束工作时间的言行。", [("正确", False), ("错误", True)]),
]


def _quiz(title, unit, questions, **item) -> Quiz:
    quiz = Quiz.objects.filter(title=title, unit=unit).first()
    if quiz is not None:
        return quiz
    quiz = quiz_save(quiz=Quiz(title=title, unit=unit, pass_mark=60, max_attempts=3, **item), actor=None)
    for order, (kind, text, choices) in enumerate(questions, start=1):
        question = Question.objects.create(quiz=quiz, order=order, text=text, kind=kind)
        Choice.objects.bulk_create(
            Choice(question=question, order=position, text=choice, is_correct=correct)
            for position, (choice, correct) in enumerate(choices, start=1)
        )
    quiz.is_published = True
    return quiz_save(quiz=quiz, actor=None)


def load_quizzes(units):
    city = units["CITY"]
    bulletin = Publication.objects.filter(kind=Publication.Kind.CASE_BULLETIN).order_by("-issued_on", "-pk").first()
    bulletin_quiz = _quiz("典型案例通报学习测验", city, BULLETIN_QUESTIONS, publication=bulletin)
    _quiz(
        "《廉洁自律承诺书》学习测验",
        city,
        PLEDGE_QUESTIONS,
        pledge=PledgeText.objects.get(title="廉洁自律承诺书"),
    )
    _attempts(bulletin_quiz)


def _attempts(quiz):
    """Of the generated cadres who studied the bulletin: two in three passed at the first try,
    one in six failed once (and may try again)."""
    if quiz.attempts.exists():
        return
    questions = list(quiz.questions.prefetch_related("choices").order_by("order", "pk"))
    right = {q.pk: [c.pk for c in q.choices.all() if c.is_correct] for q in questions}
    wrong = {q.pk: [next(c.pk for c in q.choices.all() if not c.is_correct)] for q in questions}
    readers = (
        ReadReceipt.objects.filter(publication=quiz.publication, user__username__startswith="demo-")
        .select_related("user__membership")
        .order_by("user__username")
    )
    attempts = []
    for index, receipt in enumerate(readers):
        if index % 6 == 5:
            continue  # has not taken it yet
        answers = wrong if index % 6 == 4 else right
        correct = grade(questions, answers)
        score = round(100 * correct / len(questions))
        attempts.append(
            Attempt(
                quiz=quiz,
                user=receipt.user,
                unit=receipt.user.membership.unit,
                number=1,
                correct=correct,
                questions=len(questions),
                score=score,
                passed=score >= quiz.pass_mark,
                answers={str(pk): chosen for pk, chosen in answers.items()},
            )
        )
    bulk_create_recorded(Attempt, attempts, actor=None)
