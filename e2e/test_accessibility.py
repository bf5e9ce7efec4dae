"""Automated accessibility check (axe-core, WCAG 2.1 A and AA rules) of the public pages, in the
standard and the elder-friendly version."""

import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = [
    "/",
    "/bases/",
    "/bases/xing-yuan-lian-jie-jiao-yu-ji-di/",
    "/bases/shi-fan-cun-t01/",
    "/campaigns/",
    "/campaigns/sectors/schools/",
    "/publications/",
    "/pledges/",
    "/stats/",
    "/about/",
    "/contact/",
    "/bases/xing-yuan-lian-jie-jiao-yu-ji-di/directions/",
    "/bases/bookings/find/",
    "/pledges/verify/",
    "/pledges/verify/?code=NOSUCH0000",
    "/search/?q=廉洁+教育",
    "/search/?q=飞机",
    "/search/?q=" + "廉" * 60,
    "/accounts/login/",
    "/no-such-page/",
]
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def violations(page, axe):
    results = axe.run(page, options=WCAG)
    return [
        (rule["id"], rule["help"], [node["target"] for node in rule["nodes"]][:3])
        for rule in results.response["violations"]
    ]


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("elder_mode", [False, True])
def test_public_pages_pass_axe(live_server, browser, elder_mode, width):
    from bases.models import VisitSlot

    call_command("load_demo", stdout=io.StringIO())
    slot = VisitSlot.objects.filter(base__slug="xing-yuan-lian-jie-jiao-yu-ji-di").order_by("date").first()
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
    if elder_mode:
        context.add_cookies([{"name": "elder_mode", "value": "1", "url": live_server.url}])
    page = context.new_page()
    axe = Axe()
    found = {}
    for path in [*PAGES, f"/bases/xing-yuan-lian-jie-jiao-yu-ji-di/book/{slot.pk}/"]:
        page.goto(live_server.url + path)
        problems = violations(page, axe)
        if problems:
            found[path] = problems
    context.close()
    assert found == {}


def test_cadre_pages_and_forms_pass_axe(live_server, browser):
    from campaigns.models import OpenCall
    from pledges.models import PledgeText
    from publications.models import Publication

    call_command("load_demo", stdout=io.StringIO())
    page = browser.new_context(locale="zh-CN").new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("用户名").fill("ganbu")
    page.get_by_label("密码").fill("Qingfeng-demo-2026")
    page.locator("main button[type=submit]").click()
    bulletin = Publication.objects.filter(kind="case_bulletin").first()
    pledge = PledgeText.objects.get(title="廉洁自律承诺书")
    call = OpenCall.objects.first()
    slot_link = "/bases/xing-yuan-lian-jie-jiao-yu-ji-di/"
    axe = Axe()
    found = {}
    for path in [
        "/bulletins/",
        bulletin.get_absolute_url(),
        pledge.get_absolute_url(),
        call.get_absolute_url(),
        "/bases/my-bookings/",
        "/accounts/password/",
        "/campaigns/submissions/status/",
        "/search/?q=通报&section=bulletins",
    ]:
        page.goto(live_server.url + path)
        problems = violations(page, axe)
        if problems:
            found[path] = problems
    page.goto(live_server.url + slot_link)
    page.locator(".slot-list a").first.click()
    problems = violations(page, axe)
    if problems:
        found["booking form"] = problems
    assert found == {}
