"""Journey: a cadre finds a quiz under 我的测验, is sent to study the bulletin first, confirms
studying it, takes the quiz (one question wrong, then right) and sees that they passed; their
township's staff see the unit's completion go up. The cadre's quiz pages pass axe-core in the
standard and the elder-friendly version, on a desktop and a phone."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from e2e.test_accessibility import violations
from e2e.test_publications import log_in
from publications.services import receipt_confirm
from quizzes.models import Attempt, Question
from quizzes.tests.factories import bulletin_for_cadres, make_quiz
from units.models import Membership, Unit
from units.tests.factories import UnitFactory, make_member

pytestmark = pytest.mark.django_db(transaction=True)
TITLE = "典型案例学习测验"


@pytest.fixture
def story():
    city = UnitFactory(name="云岭市", kind=Unit.Kind.CITY, code="CITY")
    township = UnitFactory(name="兴源镇", parent=city, code="T01")
    village = UnitFactory(name="向阳村", kind=Unit.Kind.VILLAGE, parent=township, code="T01V01")
    make_member(township, Membership.Role.UNIT_STAFF, username="staff", first_name="李填报")
    make_member(village, Membership.Role.CADRE, username="cadre", first_name="张干部")
    bulletin = bulletin_for_cadres(city)
    quiz = make_quiz(unit=city, publication=bulletin, title=TITLE, max_attempts=2)
    return {"bulletin": bulletin, "quiz": quiz}


def answer(page, quiz, *, wrong_true_false: bool):
    for question in quiz.questions.prefetch_related("choices").order_by("order"):
        group = page.get_by_role("group", name=question.text)
        for choice in question.choices.all():
            right = choice.is_correct
            if question.kind == Question.Kind.TRUE_FALSE and wrong_true_false:
                right = not right
            if right:
                group.get_by_label(choice.text, exact=True).check()
    page.get_by_role("button", name="提交答案").click()


def test_a_cadre_studies_the_bulletin_and_passes_the_quiz(live_server, browser, story):
    quiz = story["quiz"]
    cadre = browser.new_context(locale="zh-CN").new_page()
    log_in(cadre, live_server.url + "/accounts/login/?next=/", "cadre")
    cadre.get_by_role("navigation", name="主导航").get_by_role("link", name="我的测验").click()
    row = cadre.locator(".quiz-list li", has_text=TITLE)
    expect(row).to_contain_text("待学习")
    row.get_by_role("link", name=TITLE).click()
    expect(cadre.get_by_role("radio")).to_have_count(0)  # no questions before studying
    cadre.get_by_role("link", name="去学习通报").click()
    cadre.get_by_role("button", name="我已学习").click()
    expect(cadre.get_by_text("您已于")).to_be_visible()

    cadre.goto(live_server.url + quiz.get_absolute_url())
    expect(cadre.locator(".article-meta")).to_contain_text("未参加")
    answer(cadre, quiz, wrong_true_false=True)
    expect(cadre.locator(".quiz-score")).to_contain_text("67%")  # 2 of 3: passes at 60%
    expect(cadre.locator(".quiz-score")).to_contain_text("已通过")
    expect(cadre.get_by_role("heading", name="正确答案")).to_be_visible()
    cadre.get_by_role("link", name="返回我的测验").click()
    expect(cadre.locator(".quiz-list li", has_text=TITLE)).to_contain_text("已通过")
    assert Attempt.objects.filter(user__username="cadre", passed=True).count() == 1

    staff = browser.new_context(locale="zh-CN").new_page()
    log_in(staff, live_server.url + "/admin/login/?next=/admin/quizzes/quiz/results/", "staff")
    staff.get_by_role("link", name="各单位完成情况").click()
    expect(staff.get_by_role("row", name="向阳村 1 1 100%")).to_be_visible()
    staff.screenshot(path="/tmp/quizzes-admin-results.png", full_page=True)  # noqa: S108 - to look at


def test_a_failed_attempt_offers_another_without_giving_the_answers(live_server, browser, story):
    quiz = story["quiz"]
    receipt_confirm(publication=story["bulletin"], user=get_user_model().objects.get(username="cadre"))
    cadre = browser.new_context(locale="zh-CN").new_page()
    log_in(cadre, live_server.url + "/accounts/login/?next=" + quiz.get_absolute_url(), "cadre")
    for question in quiz.questions.prefetch_related("choices"):
        wrong = next(choice for choice in question.choices.all() if not choice.is_correct)
        cadre.get_by_role("group", name=question.text).get_by_label(wrong.text, exact=True).check()
    cadre.get_by_role("button", name="提交答案").click()
    expect(cadre.locator(".quiz-score")).to_contain_text("未通过")
    expect(cadre.get_by_role("heading", name="正确答案")).to_have_count(0)
    cadre.get_by_role("link", name="再试一次").click()
    expect(cadre.get_by_role("radio").first).to_be_visible()


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("elder_mode", [False, True])
def test_quiz_pages_pass_axe(live_server, browser, story, elder_mode, width):
    quiz = story["quiz"]
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
    if elder_mode:
        context.add_cookies([{"name": "elder_mode", "value": "1", "url": live_server.url}])
    page = context.new_page()
    log_in(page, live_server.url + "/accounts/login/?next=/quizzes/", "cadre")
    axe = Axe()
    found = {}
    shots = f"/tmp/quizzes-{width}{'-elder' if elder_mode else ''}"  # noqa: S108 - screenshots to look at

    def check(name):
        problems = violations(page, axe)
        if problems:
            found[name] = problems
        page.screenshot(path=f"{shots}-{name}.png", full_page=True)

    page.goto(live_server.url + "/quizzes/")
    check("list")
    page.goto(live_server.url + quiz.get_absolute_url())
    check("locked")
    page.goto(live_server.url + story["bulletin"].get_absolute_url())
    page.get_by_role("button", name="我已学习").click()
    page.goto(live_server.url + quiz.get_absolute_url())
    page.get_by_role("button", name="提交答案").click()  # nothing chosen: the errors are shown
    expect(page.locator(".error-text").first).to_be_visible()
    check("errors")
    answer(page, quiz, wrong_true_false=False)
    expect(page.locator(".quiz-score")).to_contain_text("100%")
    check("result")
    context.close()
    assert found == {}
