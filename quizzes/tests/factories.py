from publications.models import Audience, Publication
from publications.tests.factories import PublicationFactory
from quizzes.models import Choice, Question, Quiz
from quizzes.services import quiz_save

# A quiz of three questions, one of each kind: (kind, text, [(choice, correct), ...]).
STANDARD_QUESTIONS = [
    (
        Question.Kind.SINGLE,
        "违反中央八项规定精神的问题应当如何处理？",
        [("依纪依法严肃处理", True), ("批评教育即可", False)],
    ),
    (
        Question.Kind.MULTIPLE,
        "下列哪些属于违规收送礼品礼金？",
        [("收受购物卡", True), ("接受电子红包", True), ("正常工作餐", False)],
    ),
    (Question.Kind.TRUE_FALSE, "公车私用属于违反中央八项规定精神的问题。", [("正确", True), ("错误", False)]),
]


def bulletin_for_cadres(unit, **fields) -> Publication:
    fields.setdefault("title", "关于3起违反中央八项规定精神典型问题的通报")
    fields.setdefault("audience", Audience.CADRES)
    return PublicationFactory(kind=Publication.Kind.CASE_BULLETIN, issuing_unit=unit, **fields)


def make_quiz(*, unit, questions=STANDARD_QUESTIONS, published=True, actor=None, **fields) -> Quiz:
    """A quiz of `unit` following the item given in `fields` (publication=, pledge= or base=),
    with `questions`, published through quiz_save unless `published` is False."""
    fields.setdefault("title", "典型案例学习测验")
    quiz = quiz_save(quiz=Quiz(unit=unit, is_published=False, **fields), actor=actor)
    for order, (kind, text, choices) in enumerate(questions, start=1):
        question = Question.objects.create(quiz=quiz, order=order, text=text, kind=kind)
        for position, (choice, correct) in enumerate(choices, start=1):
            Choice.objects.create(question=question, order=position, text=choice, is_correct=correct)
    if published:
        quiz.is_published = True
        quiz_save(quiz=quiz, actor=actor)
    return quiz


def right_answers(quiz) -> dict[int, list[int]]:
    return {
        question.pk: [choice.pk for choice in question.choices.all() if choice.is_correct]
        for question in quiz.questions.prefetch_related("choices")
    }


def wrong_answers(quiz) -> dict[int, list[int]]:
    return {
        question.pk: [next(choice.pk for choice in question.choices.all() if not choice.is_correct)]
        for question in quiz.questions.prefetch_related("choices")
    }
