"""Journey: a cadre signs a pledge with a drawn signature, opens the certificate and verifies it."""

import pytest
from playwright.sync_api import expect

from pledges.tests.factories import PledgeTextFactory
from units.models import Membership, Unit
from units.tests.factories import DEFAULT_PASSWORD, UnitFactory, make_member

pytestmark = pytest.mark.django_db(transaction=True)


def test_sign_with_a_drawn_signature_and_verify(live_server, browser):
    city = UnitFactory(name="云岭市", kind=Unit.Kind.CITY, code="CITY")
    village = UnitFactory(name="向阳村", kind=Unit.Kind.VILLAGE, parent=city, code="V1")
    make_member(village, Membership.Role.CADRE, username="cadre", first_name="张建国")
    PledgeTextFactory(title="廉洁自律承诺书", issuing_unit=city, requires_drawn_signature=True)

    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, has_touch=True)
    page = context.new_page()
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(live_server.url + "/pledges/")
    page.get_by_role("link", name="廉洁自律承诺书").click()
    page.get_by_role("link", name="登录后签署").click()
    page.get_by_label("用户名").fill("cadre")
    page.get_by_label("密码").fill(DEFAULT_PASSWORD)
    page.locator("main button[type=submit]").click()
    # Draw only once the pledge page has loaded and its script listens to the pad (drawing
    # while the page was still arriving made this test flaky).
    page.wait_for_url("**/pledges/*/")
    page.wait_for_load_state("load")

    canvas = page.locator("#signature-pad")
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + 30, box["y"] + 90)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(box["x"] + 30 + step * 25, box["y"] + 90 + (20 if step % 2 else -20))
    page.mouse.up()
    assert page.locator("#drawn-signature").input_value().startswith("data:image/png;base64,")
    page.get_by_role("button", name="签署", exact=True).click()

    expect(page.get_by_role("heading", name="廉洁自律承诺书")).to_be_visible()
    expect(page.locator("#main").get_by_text("张建国")).to_be_visible()
    expect(page.get_by_role("img", name="手写签名")).to_be_visible()
    verify_url = page.locator(".qr a").get_attribute("href")
    page.locator(".qr a").click()
    expect(page.get_by_text("该签署凭证真实有效")).to_be_visible()

    stranger = browser.new_context(locale="zh-CN").new_page()  # anyone holding the paper certificate
    stranger.goto(verify_url)
    expect(stranger.get_by_text("该签署凭证真实有效")).to_be_visible()
    expect(stranger.get_by_text("张**")).to_be_visible()
    assert "张建国" not in stranger.content()
    # Without a QR reader: the code printed on the certificate, typed into the footer's check page.
    from pledges.models import Signature

    code = Signature.objects.get().verification_code
    stranger.goto(live_server.url + "/")
    stranger.get_by_role("link", name="签署凭证验证").click()
    stranger.get_by_label("验证码").fill("NOSUCH0000")
    stranger.get_by_role("button", name="验证").click()
    expect(stranger.locator(".form-errors")).to_contain_text("没有验证码为“NOSUCH0000”的证书")
    stranger.get_by_label("验证码").fill(code.lower())
    stranger.get_by_role("button", name="验证").click()
    expect(stranger.get_by_text("该签署凭证真实有效")).to_be_visible()
    assert errors == []  # no CSP violation from the drawing pad or the QR code
    context.close()
