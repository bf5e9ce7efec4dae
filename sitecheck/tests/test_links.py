import socket

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from publications.models import Publication
from publications.tests.factories import PublicationFactory, attach, pdf_bytes
from sitecheck.links import ExternalChecker, addresses_in, check_addresses
from sitecheck.models import BrokenLink, LinkCheckRun
from sitecheck.services import link_check_run

pytestmark = pytest.mark.django_db


def _body(*urls):
    return "".join(f'<p><a href="{url}">链接{number}</a></p>' for number, url in enumerate(urls))


def _broken(run):
    return {row.url: (row.status, row.error) for row in run.links.all()}


def test_external_links_are_judged_by_their_answer(local_site):
    site = local_site.url
    PublicationFactory(
        title="外部链接",
        body=_body(
            f"{site}/ok",
            f"{site}/missing",
            f"{site}/error",
            f"{site}/hang",
            f"{site}/moved-to-missing",
            f"{site}/no-head",
            f"{site}/loop",
        ),
    )
    run = link_check_run(actor=None)
    assert _broken(run) == {
        f"{site}/missing": (404, ""),
        f"{site}/error": (500, ""),
        f"{site}/hang": (None, BrokenLink.Error.TIMEOUT),
        f"{site}/moved-to-missing": (404, ""),
        f"{site}/loop": (None, BrokenLink.Error.REDIRECTS),
    }
    assert run.links_checked == 7 and run.broken_count == 5
    row = run.links.get(url=f"{site}/missing")
    assert row.source == "外部链接" and row.content_type == ContentType.objects.get_for_model(Publication)
    # HEAD refused with 405 is asked again with GET, which answers 200.
    asked = [(method, path) for method, path, _agent in local_site.requests]
    assert ("HEAD", "/no-head") in asked and ("GET", "/no-head") in asked


def test_each_address_is_fetched_once_with_a_polite_user_agent(local_site):
    site = local_site.url
    PublicationFactory(title="甲", body=_body(f"{site}/missing", f"{site}/ok"))
    PublicationFactory(title="乙", body=_body(f"{site}/missing"))
    run = link_check_run(actor=None)
    assert [request[:2] for request in local_site.requests].count(("HEAD", "/missing")) == 1
    # A broken address is reported at each place it is used, so that each can be mended.
    assert sorted(run.links.values_list("source", flat=True)) == ["乙", "甲"]
    agents = {agent for _method, _path, agent in local_site.requests}
    assert agents == {"QingfengLinkChecker/1.0 (+http://127.0.0.1:8000/contact/)"}


def test_at_most_the_per_host_limit_is_fetched_at_once(local_site, settings):
    settings.SITECHECK_CONCURRENCY = 8
    settings.SITECHECK_PER_HOST = 2
    PublicationFactory(body=_body(*[f"{local_site.url}/ok-slowly/{number}" for number in range(8)]))
    link_check_run(actor=None)
    assert len(local_site.requests) == 8
    assert local_site.most_active == 2


def test_at_most_the_overall_limit_is_fetched_at_once(local_site, settings):
    settings.SITECHECK_CONCURRENCY = 1
    settings.SITECHECK_PER_HOST = 4
    PublicationFactory(body=_body(*[f"{local_site.url}/ok-slowly/{number}" for number in range(4)]))
    link_check_run(actor=None)
    assert len(local_site.requests) == 4
    assert local_site.most_active == 1


def test_addresses_on_this_machine_or_a_private_network_are_never_fetched(local_site, settings):
    settings.SITECHECK_ALLOW_PRIVATE_ADDRESSES = False
    PublicationFactory(body=_body(f"{local_site.url}/ok", "http://10.1.2.3/admin", "http://[::1]:9/"))
    run = link_check_run(actor=None)
    assert local_site.requests == []
    assert set(run.links.values_list("error", flat=True)) == {BrokenLink.Error.PRIVATE}
    assert run.broken_count == 3


def test_a_redirect_into_a_private_network_is_not_followed(local_site, monkeypatch):
    """The local server stands for a public site here; its redirect leads to another host on this
    machine, which is refused before any request reaches it."""

    def refused(host, port):
        return BrokenLink.Error.PRIVATE if host == "localhost" else ""

    monkeypatch.setattr(ExternalChecker, "_refused", staticmethod(refused))
    PublicationFactory(body=_body(f"{local_site.url}/to-localhost"))
    run = link_check_run(actor=None)
    assert _broken(run) == {f"{local_site.url}/to-localhost": (None, BrokenLink.Error.PRIVATE)}
    assert [path for _method, path, _agent in local_site.requests] == ["/to-localhost"]


def test_internal_links_are_resolved_in_the_app(db):
    existing = PublicationFactory(title="现有文章")
    deleted = PublicationFactory(title="已删除文章")
    deleted_url = deleted.get_absolute_url()
    deleted.delete()
    default_storage.save("uploads/present.jpg", ContentFile(b"x"))
    PublicationFactory(
        title="站内链接",
        body=_body(
            existing.get_absolute_url(),
            f"http://127.0.0.1:8000{existing.get_absolute_url()}",
            deleted_url,
            "/no-such-page/",
            "/media/uploads/present.jpg",
            "/media/uploads/absent.jpg",
            "mailto:someone@example.org",
            "#top",
        ),
    )
    run = link_check_run(actor=None)
    assert _broken(run) == {
        deleted_url: (404, ""),
        "/no-such-page/": (404, ""),
        "/media/uploads/absent.jpg": (None, BrokenLink.Error.MISSING_FILE),
    }


def test_an_attachment_whose_file_is_gone_is_reported(db):
    item = PublicationFactory(title="附件通知")
    kept = attach(item, "保留.pdf", pdf_bytes("a"))
    lost = attach(item, "丢失.pdf", pdf_bytes("b"))
    lost.file.storage.delete(lost.file.name)
    run = link_check_run(actor=None)
    assert _broken(run) == {lost.get_absolute_url(): (None, BrokenLink.Error.MISSING_FILE)}
    assert run.links.get().source == "附件通知 · 丢失.pdf"
    assert kept.file.storage.exists(kept.file.name)


def test_drafts_are_not_checked(local_site):
    PublicationFactory(is_published=False, body=_body(f"{local_site.url}/missing"))
    run = link_check_run(actor=None)
    assert run.links_checked == 0 and local_site.requests == []


def test_addresses_in_skips_what_is_not_a_web_address():
    html = (
        '<a href="mailto:a@b.cn">a</a><a href="tel:123">b</a><a href="#x">c</a><a href=" /x ">d</a><img src="/i.png">'
    )
    assert addresses_in(html) == ["/x", "/i.png"]
    assert addresses_in("") == []


def test_the_command_records_a_run(local_site, capsys):
    PublicationFactory(body=_body(f"{local_site.url}/missing"))
    call_command("check_links")
    assert LinkCheckRun.objects.get().broken_count == 1
    assert "1" in capsys.readouterr().out


def test_malformed_addresses_are_reported_without_stopping_the_run(local_site):
    # The editor's cleaning drops most of these before they are stored; older rows may hold them.
    port = local_site.server_address[1]
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{unused.getsockname()[1]}/"
    outcomes = check_addresses({"http://[::1", "ftp://example.org/file", closed, f"//127.0.0.1:{port}/ok"})
    assert {url: (outcome.status, outcome.error) for url, outcome in outcomes.items()} == {
        "http://[::1": (None, BrokenLink.Error.SCHEME),
        "ftp://example.org/file": (None, BrokenLink.Error.SCHEME),
        closed: (None, BrokenLink.Error.UNREACHABLE),
        # Without a scheme: the site's own (PORTAL_SITE_URL), as a browser on its pages takes it.
        f"//127.0.0.1:{port}/ok": (200, ""),
    }


def test_an_internal_page_that_fails_is_reported_as_a_server_error(db, monkeypatch):
    def failing(*args, **kwargs):
        raise RuntimeError("boom")

    PublicationFactory(body=_body("/about/"))
    monkeypatch.setattr("portal.views.render", failing)
    run = link_check_run(actor=None)
    assert _broken(run) == {"/about/": (500, "")}


def test_the_weekly_job_is_scheduled_and_records_a_run(local_site, settings):
    from config.celery import app

    PublicationFactory(body=_body(f"{local_site.url}/missing"))
    task = settings.CELERY_BEAT_SCHEDULE["check-links"]["task"]
    app.loader.import_default_modules()
    app.tasks[task].delay()
    run = LinkCheckRun.objects.get()
    assert run.requested_by is None and run.broken_count == 1
