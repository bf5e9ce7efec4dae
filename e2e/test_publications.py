"""Journey: staff write a case bulletin for cadres and submit it; the township's reviewer approves
it (信息发布审核); the public cannot find it; a cadre studies it and confirms; staff see their
unit's read rate go up."""

import pytest
from playwright.sync_api import expect

from units.models import Membership, Unit
from units.tests.factories import DEFAULT_PASSWORD, UnitFactory, make_member

pytestmark = pytest.mark.django_db(transaction=True)
TITLE = "关于3起违反中央八项规定精神典型问题的通报"


def log_in(page, url, username):
    page.goto(url)
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEFAULT_PASSWORD)
    page.locator("main button[type=submit], #login-form input[type=submit]").first.click()


def test_publish_hide_study_rate(live_server, browser):
    city = UnitFactory(name="云岭市", kind=Unit.Kind.CITY, code="CITY")
    township = UnitFactory(name="兴源镇", parent=city, code="T01")
    village = UnitFactory(name="向阳村", kind=Unit.Kind.VILLAGE, parent=township, code="T01V01")
    make_member(township, Membership.Role.UNIT_STAFF, username="staff", first_name="李填报")
    reviewer = make_member(township, Membership.Role.UNIT_STAFF, username="reviewer", first_name="周审核")
    reviewer.membership.can_review = True
    reviewer.membership.save()
    make_member(village, Membership.Role.CADRE, username="cadre", first_name="张干部")
    make_member(village, Membership.Role.CADRE, username="cadre2", first_name="王干部")

    staff = browser.new_context(locale="zh-CN").new_page()
    log_in(staff, live_server.url + "/admin/login/?next=/admin/publications/publication/add/", "staff")
    staff.get_by_label("类型:", exact=True).select_option(label="典型案例通报")
    staff.get_by_label("标题:", exact=True).fill(TITLE)
    staff.get_by_label("阅读范围:", exact=True).select_option(label="党员干部")
    staff.get_by_label("系列:", exact=True).fill("典型案例通报")
    staff.get_by_label("年度:", exact=True).fill("2021")
    staff.get_by_label("期号:", exact=True).fill("1")
    expect(staff.get_by_label("已发布", exact=True)).to_have_count(0)  # not theirs to switch
    staff.locator("input[name=_save]").click()
    expect(staff.locator(".messagelist")).to_contain_text("成功")
    # Submitted for review from the list.
    staff.locator("#result_list tr", has_text=TITLE).locator("input.action-select").check()
    staff.locator("select[name=action]").select_option(label="提交所选信息审核")
    staff.locator("button[name=index]").click()
    expect(staff.locator(".messagelist")).to_contain_text("1 项已提交审核")

    # The township's reviewer finds it waiting on the admin home and approves it.
    checker = browser.new_context(locale="zh-CN").new_page()
    log_in(checker, live_server.url + "/admin/login/?next=/admin/", "reviewer")
    checker.locator(".work-queue").get_by_role("link", name="1 待审核的新闻和出版物").click()
    checker.locator("#result_list tr", has_text=TITLE).locator("input.action-select").check()
    checker.locator("select[name=action]").select_option(label="审核通过并发布所选信息")
    checker.locator("button[name=index]").click()
    expect(checker.locator(".messagelist")).to_contain_text("1 项已审核通过并发布")
    checker.goto(live_server.url + "/admin/publications/publication/?review_status__exact=published")
    checker.locator("#result_list").get_by_role("link", name=TITLE).click()
    expect(checker.locator(".field-review_trail")).to_contain_text("李填报")
    expect(checker.locator(".field-review_trail")).to_contain_text("周审核")

    staff.goto(live_server.url + "/admin/publications/publication/")
    staff.locator("#result_list").get_by_role("link", name=TITLE).click()
    staff.get_by_role("link", name="查看各单位学习情况").click()
    expect(staff.get_by_role("row", name="向阳村 2 0 0%")).to_be_visible()
    read_rates_url = staff.url

    anonymous = browser.new_context(locale="zh-CN").new_page()
    for path in ["/", "/publications/", "/news/feed/", "/sitemap.xml"]:
        anonymous.goto(live_server.url + path)
        assert TITLE not in anonymous.content()

    cadre = browser.new_context(locale="zh-CN").new_page()
    log_in(cadre, live_server.url + "/accounts/login/?next=/bulletins/", "cadre")
    expect(cadre.get_by_text("未学习")).to_be_visible()
    cadre.get_by_role("link", name=TITLE).click()
    cadre.get_by_role("button", name="我已学习").click()
    expect(cadre.get_by_text("您已于")).to_be_visible()
    cadre.goto(live_server.url + "/bulletins/")
    expect(cadre.get_by_text("未学习")).to_have_count(0)

    staff.goto(read_rates_url)
    expect(staff.get_by_role("row", name="向阳村 2 1 50%")).to_be_visible()
    expect(staff.get_by_text("王干部")).to_be_visible()
