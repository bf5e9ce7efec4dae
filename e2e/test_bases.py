"""Journey: a visitor finds the education base, a cadre books a group visit, staff confirm it."""

import pytest
from playwright.sync_api import expect

from bases.models import VisitBooking
from bases.tests.factories import EducationBaseFactory, ExhibitionSectionFactory, VisitSlotFactory
from units.models import Membership, Unit
from units.tests.factories import DEFAULT_PASSWORD, UnitFactory, make_member

pytestmark = pytest.mark.django_db(transaction=True)

SECTIONS = [
    "持之以恒，全面从严治党",
    "锻炼党性，坚定理想信念",
    "不忘初心，深学细照笃行",
    "利剑高悬，勿忘覆车之鉴",
    "见贤思齐，涵养浩然正气",
]


def log_in(page, url, username):
    page.goto(url)
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_browse_book_confirm(live_server, page):
    city = UnitFactory(name="云岭市", kind=Unit.Kind.CITY, code="CITY")
    township = UnitFactory(name="东山镇", parent=city, code="T01")
    village = UnitFactory(name="向阳村", kind=Unit.Kind.VILLAGE, parent=township, code="T01V01")
    EducationBaseFactory(name="清风园", category="theme_park", unit=township, township=township)
    base = EducationBaseFactory(name="东山廉洁教育基地", unit=township, township=township, floor_area=475, floors=2)
    for order, title in enumerate(SECTIONS):
        ExhibitionSectionFactory(base=base, order=order, title=title)
    VisitSlotFactory(base=base, capacity=60)
    make_member(village, Membership.Role.CADRE, username="cadre", first_name="张干部")
    make_member(township, Membership.Role.UNIT_STAFF, username="staff", first_name="李填报")

    # A visitor browses the bases and opens the education base.
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="教育基地").click()
    page.get_by_label("类别").select_option(label="廉洁教育基地")
    page.get_by_role("button", name="筛选").click()
    expect(page.locator(".card")).to_have_count(1)
    page.get_by_role("link", name="东山廉洁教育基地").click()
    expect(page.locator(".section h3")).to_have_count(5)
    titles = page.locator(".section h3").all_inner_texts()
    assert [title.split("　", 1)[-1] for title in titles] == SECTIONS
    expect(page.get_by_text("剩余 60 人")).to_be_visible()

    # A cadre logs in and books a group of 40 for their unit.
    log_in(page, f"{live_server.url}/accounts/login/?next={base.get_absolute_url()}", "cadre")
    page.get_by_role("link", name="预约").first.click()
    expect(page.get_by_label("参观单位")).to_have_value(str(village.pk))
    page.get_by_label("参观人数").fill("40")
    page.get_by_role("textbox", name="联系人").fill("张干部")
    page.get_by_label("联系电话").fill("13800001111")
    page.locator("input[name=consent]").check()
    page.get_by_role("button", name="提交预约").click()
    expect(page.locator(".status")).to_have_text("待确认")
    reference = VisitBooking.objects.get().reference
    booking_url = page.url

    # Staff confirm it in the admin.
    staff = page.context.browser.new_context(locale="zh-CN")
    staff_page = staff.new_page()
    log_in(staff_page, live_server.url + "/admin/login/?next=/admin/bases/visitbooking/", "staff")
    staff_page.get_by_role("link", name=reference).click()
    staff_page.get_by_role("button", name="确认预约").click()
    expect(staff_page.get_by_text("已更新")).to_be_visible()
    staff.close()

    # The cadre sees it confirmed and can print the form.
    page.goto(booking_url)
    expect(page.locator(".status")).to_have_text("已确认")
    page.get_by_role("link", name="打印预约单").click()
    expect(page.get_by_role("heading", name="东山廉洁教育基地团体参观预约单")).to_be_visible()
    assert page.console_errors == []
