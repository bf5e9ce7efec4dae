"""The anonymous page cache: served again without work, stale the moment content changes, and
never shared between an anonymous visitor and a logged-in user."""

import pytest
from django.urls import reverse
from django.utils import timezone

from bases.services import base_save
from bases.tests.factories import EducationBaseFactory
from core.models import SiteSettings
from core.pagecache import GENERATION_KEY, page_cache
from publications.models import Audience
from publications.services import publication_save
from publications.tests.factories import PublicationFactory

pytestmark = pytest.mark.django_db(transaction=False)


def cache_state(response) -> str | None:
    return response.headers.get("X-Page-Cache")


def test_an_anonymous_page_is_served_again_from_the_cache_without_queries(client, village_a, django_assert_num_queries):
    EducationBaseFactory(name="东山廉洁教育馆", unit=village_a)
    first = client.get("/bases/")
    assert cache_state(first) == "miss"
    with django_assert_num_queries(0):
        second = client.get("/bases/")
    assert cache_state(second) == "hit"
    assert second.content == first.content
    assert "东山廉洁教育馆" in second.content.decode()


def test_an_edit_appears_at_once(client, village_a, django_capture_on_commit_callbacks):
    base = EducationBaseFactory(name="东山廉洁教育馆", unit=village_a)
    client.get("/bases/")
    client.get(base.get_absolute_url())
    base.name = "东山清风馆"
    with django_capture_on_commit_callbacks(execute=True):
        base_save(base=base, actor=None)
    for url in ("/bases/", base.get_absolute_url()):
        response = client.get(url)
        assert cache_state(response) == "miss"
        assert "东山清风馆" in response.content.decode()


def test_unpublishing_and_deleting_take_the_item_off_at_once(client, city, django_capture_on_commit_callbacks):
    notice = PublicationFactory(title="关于春节期间纠治四风的通知", issuing_unit=city)
    assert "纠治四风" in client.get("/publications/").content.decode()
    notice.is_published = False
    with django_capture_on_commit_callbacks(execute=True):
        publication_save(publication=notice, actor=None)
    assert "纠治四风" not in client.get("/publications/").content.decode()
    assert client.get(notice.get_absolute_url()).status_code == 404

    other = PublicationFactory(title="清风廉韵书画展开幕", issuing_unit=city)
    assert "书画展" in client.get("/publications/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        other.delete()
    assert "书画展" not in client.get("/publications/").content.decode()


def test_site_settings_change_every_page_at_once(client, db, django_capture_on_commit_callbacks):
    client.get("/")
    settings_row = SiteSettings.load()
    settings_row.grey_mode = True
    with django_capture_on_commit_callbacks(execute=True):
        settings_row.save()
    response = client.get("/")
    assert cache_state(response) == "miss"
    assert 'class="grey-mode"' in response.content.decode()


def test_the_generation_changes_again_when_the_edit_commits(village_a, django_capture_on_commit_callbacks):
    """A page rendered from the old rows while the edit's transaction was open is stale once the
    edit commits."""
    base = EducationBaseFactory(name="东山廉洁教育馆", unit=village_a)
    base.name = "东山清风馆"
    with django_capture_on_commit_callbacks() as callbacks:
        base_save(base=base, actor=None)
    during = page_cache().get(GENERATION_KEY)
    for callback in callbacks:
        callback()
    assert page_cache().get(GENERATION_KEY) != during


def test_elder_mode_has_its_own_copy(client, db):
    client.get("/")
    client.cookies["elder_mode"] = "1"
    elder = client.get("/")
    assert cache_state(elder) == "miss"
    assert "elder-mode" in elder.content.decode()
    del client.cookies["elder_mode"]
    standard = client.get("/")
    assert cache_state(standard) == "hit"
    assert "elder-mode" not in standard.content.decode().split("<body", 1)[1].split(">", 1)[0]


def test_a_logged_in_cadre_never_gets_the_anonymous_copy(client, city, cadre_a):
    PublicationFactory(title="内部通报甲", issuing_unit=city, audience=Audience.CADRES)
    PublicationFactory(title="公开的工作动态", issuing_unit=city)
    anonymous = client.get("/publications/")
    assert cache_state(client.get("/publications/")) == "hit"
    assert "内部通报甲" not in anonymous.content.decode()

    client.force_login(cadre_a)
    cadre = client.get("/publications/")
    assert cache_state(cadre) != "hit"
    page = cadre.content.decode()
    assert "内部通报甲" in page
    assert cadre_a.get_full_name() in page


def test_an_anonymous_visitor_never_gets_a_cadres_page(client, city, cadre_a):
    PublicationFactory(title="内部通报甲", issuing_unit=city, audience=Audience.CADRES)
    client.force_login(cadre_a)
    assert "内部通报甲" in client.get("/publications/").content.decode()
    client.logout()
    client.cookies.clear()
    anonymous = client.get("/publications/")
    assert "内部通报甲" not in anonymous.content.decode()
    assert cadre_a.get_full_name() not in anonymous.content.decode()


def test_a_visitor_with_a_message_waiting_gets_a_fresh_page(client, db):
    client.get("/")
    client.cookies["messages"] = "anything"
    assert cache_state(client.get("/")) is None


def test_a_page_with_a_form_is_never_shared_and_its_form_works(client, cadre_a):
    """The login page carries a CSRF token bound to the visitor's cookie: every visitor gets
    their own page, and the token works."""
    csrf_client = type(client)(enforce_csrf_checks=True)
    first = csrf_client.get(reverse("login"))
    second = csrf_client.get(reverse("login"))
    assert cache_state(first) is None and cache_state(second) is None
    token = csrf_client.cookies["csrftoken"].value
    response = csrf_client.post(
        reverse("login"),
        {"username": "cadre_a", "password": "wrong-password-here", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 200  # the form answered (wrong password), not a CSRF 403


def test_never_cache_pages_and_errors_are_not_stored(client, db):
    client.get("/healthz")
    assert cache_state(client.get("/healthz")) is None
    client.get("/publications/999999/")
    assert cache_state(client.get("/publications/999999/")) is None


def test_the_elder_mode_switch_works_without_a_token_and_pages_stay_cacheable(client, db):
    csrf_client = type(client)(enforce_csrf_checks=True)
    response = csrf_client.post(reverse("portal:elder-mode"), {"enable": "1", "next": "/bases/"})
    assert response.status_code == 302
    assert csrf_client.cookies["elder_mode"].value == "1"
    csrf_client.get("/bases/")
    assert cache_state(csrf_client.get("/bases/")) == "hit"


def test_a_bulk_insert_makes_pages_stale(client, village_a, staff_a, django_capture_on_commit_callbacks):
    from core.history import bulk_create_recorded
    from pledges.models import Signature
    from pledges.services import pledge_current_version
    from pledges.tests.factories import PledgeTextFactory

    pledge = PledgeTextFactory(issuing_unit=village_a)
    client.get(pledge.get_absolute_url())
    signature = Signature(
        pledge=pledge,
        version=pledge_current_version(pledge),
        signer_name="张三",
        unit=village_a,
        method="paper",
        signed_at=timezone.now(),
        verification_code="PC000001",
    )
    with django_capture_on_commit_callbacks(execute=True):
        bulk_create_recorded(Signature, [signature], actor=staff_a)
    assert cache_state(client.get(pledge.get_absolute_url())) == "miss"


# The personal copies of logged-in users' pages -----------------------------------------------------


def logged_in(user):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    browser.get("/about/")  # the first page sets the CSRF cookie
    return browser


def test_a_cadres_page_is_kept_for_their_session_alone(city, cadre_a, village_a):
    from units.tests.factories import make_member

    PublicationFactory(title="内部通报甲", issuing_unit=city, audience=Audience.CADRES)
    cadre_b = make_member(village_a, username="cadre_b", first_name="李", last_name="四")
    first = logged_in(cadre_a)
    first.get("/bulletins/")
    again = first.get("/bulletins/")
    assert cache_state(again) == "hit"
    assert cadre_a.get_full_name() in again.content.decode()

    second = logged_in(cadre_b)
    theirs = second.get("/bulletins/")
    assert cache_state(theirs) == "miss"
    assert cadre_b.get_full_name() in theirs.content.decode()
    assert cadre_a.get_full_name() not in theirs.content.decode()


def test_confirming_studied_shows_at_once_with_its_message_once(city, cadre_a, django_capture_on_commit_callbacks):
    bulletin = PublicationFactory(title="内部通报甲", issuing_unit=city, audience=Audience.CADRES)
    browser = logged_in(cadre_a)
    browser.get(bulletin.get_absolute_url())
    page = browser.get(bulletin.get_absolute_url())
    assert cache_state(page) == "hit"
    token = browser.cookies["csrftoken"].value
    with django_capture_on_commit_callbacks(execute=True):
        browser.post(reverse("publications:receipt-confirm", args=[bulletin.pk]), {"csrfmiddlewaretoken": token})
    with_message = browser.get(bulletin.get_absolute_url())
    assert cache_state(with_message) != "hit"
    assert "已学习" in with_message.content.decode() or "已记录" in with_message.content.decode()
    message = "Recorded: you have studied this item."
    later = browser.get(bulletin.get_absolute_url()).content.decode()
    assert message not in later and "已记录" not in later.split("<main", 1)[1].split("</main>")[0][:400]


def test_the_forms_on_a_kept_page_work(cadre_a):
    """The log-out form of a page served from the copy carries a token valid for this browser."""
    browser = logged_in(cadre_a)
    browser.get("/pledges/")
    page = browser.get("/pledges/")
    assert cache_state(page) == "hit"
    token = page.content.decode().split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    response = browser.post(reverse("logout"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert "_auth_user_id" not in browser.session


def test_the_back_office_is_never_kept(staff_a):
    browser = logged_in(staff_a)
    browser.get("/admin/")
    assert cache_state(browser.get("/admin/")) is None


def test_an_edit_saved_by_another_worker_makes_this_workers_copies_stale(client, db):
    """Each worker keeps the pages it served in its own memory; the generation token in the
    shared cache, which another worker replaces when it saves an edit, decides what is current."""
    client.get("/bases/")
    assert cache_state(client.get("/bases/")) == "hit"
    page_cache().set(GENERATION_KEY, "set-by-another-worker", timeout=None)
    assert cache_state(client.get("/bases/")) == "miss"


def test_a_page_from_the_cache_keeps_the_security_headers(client, db):
    first = client.get("/bases/")
    second = client.get("/bases/")
    assert cache_state(second) == "hit"
    for header in ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options"):
        assert second.headers[header] == first.headers[header]


def test_a_host_not_allowed_is_refused_even_for_a_cached_page(client, db):
    from django.test import Client

    client.get("/bases/")
    response = Client(raise_request_exception=False).get("/bases/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "Content-Security-Policy" in response.headers


def test_with_a_generation_window_other_workers_edits_show_within_it(client, db, settings, monkeypatch):
    """With Redis, a process reads the generation at most once a second: another worker's edit
    shows here within that second, and this process's own edits at once."""
    import core.pagecache

    settings.PAGE_CACHE_GENERATION_SECONDS = 1
    clock = [1000.0]
    monkeypatch.setattr(core.pagecache.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(core.pagecache, "_last_read", ("", float("-inf")))
    client.get("/bases/")
    page_cache().set(GENERATION_KEY, "set-by-another-worker", timeout=None)
    assert cache_state(client.get("/bases/")) == "hit"
    clock[0] += 1.5
    assert cache_state(client.get("/bases/")) == "miss"
    core.pagecache.content_changed()
    assert cache_state(client.get("/bases/")) == "miss"
