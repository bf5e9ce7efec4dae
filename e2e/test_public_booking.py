"""Journey: a school books a group visit on a phone without an account, gets a reference, the base's
staff confirm it, the reminder is recorded two days before, and the booker finds the booking with the
reference and four digits, prints it and cancels it."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bases.models import VisitBooking
from bases.services import booking_reminders_send
from bases.tests.factories import EducationBaseFactory, VisitSlotFactory
from notifications.models import Notification
from units.models import Membership, Unit
from units.tests.factories import DEFAULT_PASSWORD, UnitFactory, make_member

pytestmark = pytest.mark.django_db(transaction=True)


def test_anonymous_booking_confirm_remind_look_up_and_cancel(live_server, browser):
    city = UnitFactory(name="云岭市", kind=Unit.Kind.CITY, code="CITY")
    township = UnitFactory(name="东山镇", parent=city, code="T01")
    base = EducationBaseFactory(name="东山廉洁教育基地", unit=township, township=township)
    VisitSlotFactory(base=base, capacity=60, date=timezone.localdate() + datetime.timedelta(days=5))
    make_member(township, Membership.Role.UNIT_STAFF, username="staff", first_name="李填报")

    phone = browser.new_context(locale="zh-CN", viewport={"width": 375, "height": 740}, is_mobile=True)
    page = phone.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_server.url + base.get_absolute_url())
    page.get_by_role("link", name="预约").first.click()
    # No login: the public form.
    page.get_by_label("学校、企业、村组或社会组织").check()
    page.get_by_label("单位或团体名称").fill("东山中学")
    page.get_by_label("参观目的").fill("研学实践")
    page.get_by_label("参观人数").fill("45")
    page.get_by_role("textbox", name="联系人").fill("李老师")
    page.get_by_label("手机号码").fill("13912345678")
    page.locator("input[name=consent]").check()
    page.get_by_role("button", name="提交预约").click()
    expect(page.locator(".status")).to_have_text("待确认")
    booking = VisitBooking.objects.get()
    expect(page.locator("main")).to_contain_text(booking.reference)
    expect(page.locator("main")).to_contain_text("139****5678")
    assert Notification.objects.filter(event="booking.received", address="13912345678").exists()

    # The base's staff confirm it.
    staff = browser.new_context(locale="zh-CN")
    staff_page = staff.new_page()
    staff_page.goto(live_server.url + "/admin/login/?next=/admin/")
    staff_page.get_by_label("用户名").fill("staff")
    staff_page.get_by_label("密码").fill(DEFAULT_PASSWORD)
    staff_page.get_by_role("button", name="登录").click()
    staff_page.locator(".work-queue").get_by_role("link", name=re.compile("待确认的预约")).click()
    staff_page.get_by_role("link", name=booking.reference).click()
    expect(staff_page.locator(".field-contact_phone")).to_contain_text("13912345678")
    staff_page.get_by_role("button", name="确认预约").click()
    expect(staff_page.get_by_text("已更新")).to_be_visible()
    staff.close()

    # Two days before the visit, the reminder is recorded (the daily job).
    booking_reminders_send(today=booking.slot.date - datetime.timedelta(days=2))
    reminder = Notification.objects.get(event="booking.reminder")
    assert reminder.address == "13912345678" and booking.reference in reminder.body

    # Later, on another phone (no session): the lookup by reference and the last four digits.
    phone.close()
    other = browser.new_context(locale="zh-CN", viewport={"width": 375, "height": 740}, is_mobile=True)
    page = other.new_page()
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="查询预约").click()
    page.get_by_label("预约号").fill(booking.reference)
    page.get_by_label("手机号码后四位").fill("0000")
    page.get_by_role("button", name="查询").click()
    expect(page.locator(".form-errors")).to_contain_text("没有找到")
    page.get_by_label("手机号码后四位").fill("5678")
    page.get_by_role("button", name="查询").click()
    expect(page.locator(".status")).to_have_text("已确认")
    page.get_by_role("link", name="打印预约单").click()
    expect(page.get_by_role("button", name="打印")).to_be_visible()
    expect(page.locator(".print-sheet")).to_contain_text("东山中学")
    page.go_back()
    page.get_by_role("button", name="取消此预约").click()
    expect(page.locator(".status")).to_have_text("已取消")
    booking.refresh_from_db()
    assert booking.status == "cancelled"
    other.close()
