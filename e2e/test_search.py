"""The site search as a visitor on a phone uses it: the box in the header, the results, one opened."""

import io

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db(transaction=True)


def test_search_from_the_header_on_a_phone(live_server, browser):
    call_command("load_demo", stdout=io.StringIO())
    context = browser.new_context(locale="zh-CN", viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    page.goto(live_server.url + "/bases/")
    page.get_by_role("button", name="菜单").click()  # the phone header folds the box behind 菜单
    box = page.get_by_role("search").get_by_label("站内搜索")
    assert box.is_visible()
    box.fill("清风园")
    box.press("Enter")
    page.wait_for_url("**/search/?q=*")
    assert page.get_by_role("heading", name="站内搜索").is_visible()
    first = page.locator(".result-title").first
    assert first.inner_text() == "清风园"  # the base named as asked, before the news about it
    assert "".join(first.locator("mark").all_inner_texts()) == "清风园"  # its words marked
    # Nothing wider than the screen: the results read without sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    first.click()
    page.wait_for_url("**/bases/**")
    assert page.get_by_role("heading", level=1).inner_text() == "清风园"
    # The 栏目 tabs narrow the results and the URL can be shared.
    page.goto(live_server.url + "/search/?q=廉洁&section=bases")
    assert page.locator(".tabs a[aria-current=page]").inner_text().startswith("教育基地")
    assert page.locator(".result .kind-tag").all_inner_texts() == ["教育基地"] * page.locator(".result").count()
    context.close()
