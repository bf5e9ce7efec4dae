"""Restricted items never reach anyone not allowed to read them."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from core.tests.pdfs import sample_pdf
from publications.models import Audience, Publication
from publications.tests.factories import PublicationFactory, attach, pdf_bytes

CADRE_TITLE = "关于3起违反中央八项规定精神典型问题的通报"
STAFF_TITLE = "纪检干部内部工作提示"
PUBLIC_TITLE = "我市召开廉洁文化建设推进会"


@pytest.fixture
def items(township_a):
    public = PublicationFactory(title=PUBLIC_TITLE, issuing_unit=township_a)
    cadre = PublicationFactory(
        title=CADRE_TITLE, kind=Publication.Kind.CASE_BULLETIN, audience=Audience.CADRES, issuing_unit=township_a
    )
    staff = PublicationFactory(
        title=STAFF_TITLE, kind=Publication.Kind.NOTICE, audience=Audience.STAFF, issuing_unit=township_a
    )
    attach(public, "公开附件.pdf", pdf_bytes())
    # Real documents (a cadre gets a stamped copy), the marker after their end: it is in a
    # response only if the original file itself is sent.
    attach(cadre, "通报原文.pdf", sample_pdf(1) + b"\n% SECRET-CADRE-FILE\n")
    attach(staff, "内部提示.pdf", sample_pdf(1) + b"\n% SECRET-STAFF-FILE\n")
    return public, cadre, staff


def all_url_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from all_url_patterns(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def concrete_urls(items):
    """Every URL the project defines without parameters, plus every parameterised public URL
    filled with each item's id."""
    urls = set()
    for route in all_url_patterns():
        if route.startswith(("admin/", "^admin/")):
            continue
        path = "/" + route.lstrip("^").rstrip("$")
        if "<" not in path and "(" not in path:
            urls.add(path)
    for item in items:
        urls |= {item.get_absolute_url(), reverse("publications:receipt-confirm", args=[item.pk])}
        urls |= {attachment.get_absolute_url() for attachment in item.attachments.all()}
    urls |= {"/publications/?kind=case_bulletin", "/publications/?kind=notice", "/news/feed/", "/sitemap.xml"}
    return sorted(urls)


def test_anonymous_walk_of_every_url_reveals_no_restricted_item(client, items):
    seen_public = False
    for url in concrete_urls(items):
        response = client.get(url, follow=True)
        assert response.status_code in (200, 404, 405), url
        content = b"".join(response.streaming_content) if response.streaming else response.content
        text = content.decode("utf-8", errors="ignore")
        for secret in (CADRE_TITLE, STAFF_TITLE, "通报原文", "内部提示"):
            assert secret not in text, f"{secret} leaked at {url}"
        assert b"SECRET-" not in content, f"a restricted file was served at {url}"
        seen_public |= PUBLIC_TITLE in text
    assert seen_public


def test_restricted_item_asks_anonymous_visitors_to_log_in(client, items):
    _public, cadre, _staff = items
    response = client.get(cadre.get_absolute_url())
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_cadre_sees_cadre_items_but_not_staff_items(client, items, cadre_a):
    _public, cadre, staff = items
    client.force_login(cadre_a)
    listing = client.get(reverse("publications:publication-list")).content.decode()
    assert CADRE_TITLE in listing and STAFF_TITLE not in listing
    assert client.get(cadre.get_absolute_url()).status_code == 200
    assert client.get(staff.get_absolute_url()).status_code == 404
    assert client.get(staff.attachments.get().get_absolute_url()).status_code == 404
    download = client.get(cadre.attachments.get().get_absolute_url())
    assert download.status_code == 200 and download["Cache-Control"] == "private, no-store"
    assert b"SECRET-CADRE-FILE" not in download.content  # a stamped copy, not the original


def test_behind_nginx_a_public_download_names_the_file_for_nginx_and_a_restricted_one_does_not(
    client, items, cadre_a, settings
):
    settings.PRIVATE_MEDIA_ACCEL_PREFIX = "/_private/"
    public, cadre, staff = items
    attachment = cadre.attachments.get()
    assert "X-Accel-Redirect" not in client.get(attachment.get_absolute_url())  # anonymous: to the login
    client.force_login(cadre_a)
    assert "X-Accel-Redirect" not in client.get(staff.attachments.get().get_absolute_url())  # 404
    # A restricted file is stamped for its reader by the app: nginx never sends the original.
    assert "X-Accel-Redirect" not in client.get(attachment.get_absolute_url())
    public_file = public.attachments.get()
    download = client.get(public_file.get_absolute_url())
    assert download.status_code == 200 and download.content == b""
    assert download["X-Accel-Redirect"] == "/_private/" + public_file.file.name
    assert download["Content-Type"] == "application/pdf" and "attachment;" in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"
    public_file.file.storage.delete(public_file.file.name)
    assert client.get(public_file.get_absolute_url()).status_code == 404
    attachment.file.storage.delete(attachment.file.name)
    assert client.get(attachment.get_absolute_url()).status_code == 404


def test_staff_see_staff_items(client, items, staff_a):
    client.force_login(staff_a)
    assert STAFF_TITLE in client.get(reverse("publications:publication-list")).content.decode()


def test_unpublished_items_are_hidden_from_everyone_on_the_site(client, township_a, cadre_a):
    draft = PublicationFactory(title="草稿通报", audience=Audience.CADRES, is_published=False, issuing_unit=township_a)
    client.force_login(cadre_a)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert "草稿通报" not in client.get(reverse("publications:bulletin-list")).content.decode()


def test_feed_and_sitemap_list_public_items_only(client, items):
    public, cadre, _staff = items
    feed = client.get("/news/feed/").content.decode()
    index = client.get("/sitemap.xml").content.decode()
    assert "/sitemap-publications.xml" in index
    sitemap = client.get("/sitemap-publications.xml").content.decode()
    assert PUBLIC_TITLE in feed and CADRE_TITLE not in feed
    assert public.get_absolute_url() in sitemap and cadre.get_absolute_url() not in sitemap


def test_home_page_counts_and_blocks_show_no_restricted_item(client, items):
    page = client.get("/").content.decode()
    assert PUBLIC_TITLE in page and CADRE_TITLE not in page and 'href="/bulletins/"' not in page
