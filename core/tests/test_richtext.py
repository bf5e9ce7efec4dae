"""Rich text saved through the admin reaches public pages cleaned."""

import pytest
from django.urls import reverse

from core.models import SiteSettings
from core.richtext import clean_html

ATTACKS = [
    '<script>alert("x")</script>',
    '<img src="/media/editor/a.png" onerror="alert(1)">',
    '<a href="javascript:alert(1)">点我</a>',
    '<iframe src="https://evil.example/"></iframe>',
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    '<p style="background:url(javascript:alert(1))" onclick="alert(1)">样式</p>',
    '<img src="https://tracker.example/p.gif">',
]
ALLOWED = (
    "<h2>廉洁文化</h2><p>清风<strong>正气</strong><em>长存</em></p><ul><li>一</li></ul><ol><li>二</li></ol>"
    "<blockquote>以案为鉴</blockquote><table><tbody><tr><td>表格</td></tr></tbody></table>"
    '<p><a href="https://www.12388.gov.cn/">举报网站</a> <a href="mailto:jw@example.cn">来信</a></p>'
    '<p><img src="/media/editor/photo.jpg" alt="基地"></p>'
)


@pytest.fixture
def admin_client_with_settings(admin_client):
    SiteSettings.load()
    return admin_client


def save_about_through_admin(client, about_html):
    site = SiteSettings.load()
    data = {
        field: getattr(site, field) or ""
        for field in [
            "site_name",
            "commission_name",
            "city_name",
            "organiser",
            "intro",
            "address",
            "phone",
            "email",
            "icp_number",
            "icp_link",
            "police_filing_number",
            "police_filing_link",
            "site_code",
            "party_label_code",
            "report_link",
            "privacy_notice",
        ]
    }
    data["about"] = about_html
    response = client.post(reverse("admin:core_sitesettings_change", args=[site.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]


@pytest.mark.parametrize("attack", ATTACKS)
def test_dangerous_markup_never_reaches_the_public_page(admin_client_with_settings, client, attack):
    save_about_through_admin(admin_client_with_settings, f"<p>正文开头</p>{attack}<p>正文结尾</p>")
    stored = SiteSettings.load().about
    page = client.get(reverse("portal:about")).content.decode()
    article = page.split('<div class="rich-text">', 1)[1].split("</div>", 1)[0]
    for html in (stored, article):
        lowered = html.lower()
        assert "<script" not in lowered
        assert "onerror" not in lowered and "onload" not in lowered and "onclick" not in lowered
        assert "javascript:" not in lowered
        assert "<iframe" not in lowered and "<svg" not in lowered
        assert "tracker.example" not in lowered
        assert "style=" not in lowered
    assert "正文开头" in article and "正文结尾" in article


def test_allowed_markup_and_chinese_text_survive(admin_client_with_settings, client):
    save_about_through_admin(admin_client_with_settings, ALLOWED)
    page = client.get(reverse("portal:about")).content.decode()
    for fragment in [
        "<h2>廉洁文化</h2>",
        "<strong>正气</strong>",
        "<em>长存</em>",
        "<li>一</li>",
        "<blockquote>以案为鉴</blockquote>",
        "<td>表格</td>",
        'href="https://www.12388.gov.cn/"',
        'href="mailto:jw@example.cn"',
        'src="/media/editor/photo.jpg"',
    ]:
        assert fragment in page


def test_rendering_cleans_rows_that_bypassed_the_field():
    """Rows written by raw SQL or old imports are still cleaned on the way out."""
    assert clean_html("<p>好</p><script>x</script>") == "<p>好</p>"
    assert clean_html(None) == ""
