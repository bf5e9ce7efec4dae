import socket
import threading
import time

import pytest
from django.db import connection, connections
from django.db.utils import OperationalError
from django.urls import reverse

from core.models import SiteSettings


def test_home_page_is_in_chinese_with_site_names(client, db):
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="zh-Hans"' in page
    assert "清风网" in page and "云岭市纪委监委" in page
    assert "首页" in page and "登录" in page and "长者模式" in page


def test_footer_shows_filing_numbers_only_when_configured(client, db):
    page = client.get("/").content.decode()
    assert "网站标识码" not in page and "beian.miit.gov.cn" not in page
    site = SiteSettings.load()
    site.icp_number, site.site_code = "滇ICP备00000001号", "5300000001"
    site.save()
    page = client.get("/").content.decode()
    assert "滇ICP备00000001号" in page and 'href="https://beian.miit.gov.cn/"' in page
    assert "网站标识码：5300000001" in page


def test_grey_mode_switches_the_whole_site_grey(client, db):
    assert "grey-mode" not in client.get("/").content.decode()
    site = SiteSettings.load()
    site.grey_mode = True
    site.save()
    assert '<html lang="zh-Hans" class="grey-mode">' in client.get("/").content.decode()


def test_elder_mode_persists_for_the_visitor(client, db):
    response = client.post(reverse("portal:elder-mode"), {"enable": "1", "next": "/about/"})
    assert response.status_code == 302 and response["Location"] == "/about/"
    page = client.get("/").content.decode()
    assert 'class="elder-mode' in page and "标准版" in page
    client.post(reverse("portal:elder-mode"), {"enable": "0", "next": "/"})
    assert 'class="elder-mode' not in client.get("/").content.decode()


def test_elder_mode_refuses_to_redirect_elsewhere(client, db):
    response = client.post(reverse("portal:elder-mode"), {"enable": "1", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_not_found_page_is_chinese(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_healthz_answers_ok_with_the_database(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_healthz_answers_503_without_the_database(client, db, monkeypatch):
    class UnreachableDatabase:
        vendor = "sqlite"

        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr("portal.views.connection", UnreachableDatabase())
    assert client.get("/healthz").status_code == 503


@pytest.fixture
def hanging_database(monkeypatch, db):
    """New database connections go to a server that accepts them and then never answers."""
    if connection.vendor != "postgresql":
        pytest.skip("the connection timeouts are PostgreSQL's")
    listener = socket.create_server(("127.0.0.1", 0))
    held = []

    def accept_and_hold():
        while True:
            try:
                held.append(listener.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept_and_hold, daemon=True).start()
    monkeypatch.setitem(connections.settings["default"], "HOST", "127.0.0.1")
    monkeypatch.setitem(connections.settings["default"], "PORT", listener.getsockname()[1])
    yield
    listener.close()
    for sock in held:
        sock.close()


def test_healthz_answers_503_at_once_when_the_database_hangs(client, hanging_database):
    """Not after gunicorn's 30 s: the load balancer must take the server out quickly."""
    started = time.monotonic()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("path", ["/", "/about/", "/privacy/", "/accounts/login/", "/admin/login/", "/no-such-page/"])
def test_every_html_response_has_a_strict_content_security_policy(client, db, path):
    response = client.get(path)
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy.split("script-src", 1)[1].split(";", 1)[0]
    assert "unsafe-eval" not in policy


def test_public_pages_have_no_inline_scripts_or_handlers(client, db):
    for path in ["/", "/about/", "/privacy/", "/accounts/login/"]:
        page = client.get(path).content.decode()
        assert "<script>" not in page and " onclick=" not in page and " onload=" not in page


def test_home_page_query_budget(client, db, django_assert_max_num_queries):
    SiteSettings.load()
    # Site settings, then at most two queries per app that adds a column (navigation and block):
    # four such apps today. The budget does not depend on how much each app holds.
    with django_assert_max_num_queries(9):
        client.get("/")


def test_login_page_logs_a_cadre_in_and_out(client, cadre_a):
    from units.tests.factories import DEFAULT_PASSWORD

    response = client.post(reverse("login"), {"username": "cadre_a", "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    page = client.get("/").content.decode()
    assert "退出" in page and "后台" not in page
    client.post(reverse("logout"))
    assert "退出" not in client.get("/").content.decode()


def test_wrong_password_shows_a_chinese_error_and_keeps_the_username(client, cadre_a):
    response = client.post(reverse("login"), {"username": "cadre_a", "password": "wrong"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "请输入一个正确的" in page
    assert 'value="cadre_a"' in page


def test_login_page_keeps_the_site_header(client, db):
    """Django's login view puts its own `site` in the context; the header must not lose its names."""
    page = client.get(reverse("login")).content.decode()
    assert '<span class="wordmark-name">清风网</span>' in page and "云岭市纪委监委" in page


def test_contact_page_lists_the_office_and_the_bases_with_phones(client, township_a):
    from bases.tests.factories import EducationBaseFactory
    from core.models import SiteSettings

    site = SiteSettings.load()
    site.address, site.phone = "云岭市人民大街 88 号", "0453-7210000"
    site.save()
    EducationBaseFactory(name="东山廉洁教育基地", unit=township_a, contact_phone="0453-1234567", address="东山镇1号")
    EducationBaseFactory(name="未发布的基地", unit=township_a, contact_phone="0453-7654321", is_published=False)
    page = client.get("/contact/").content.decode()
    assert "联系我们" in page and "0453-7210000" in page and "云岭市人民大街 88 号" in page
    assert "东山廉洁教育基地" in page and 'href="tel:0453-1234567"' in page
    assert "未发布的基地" not in page
    assert 'href="/contact/"' in client.get("/").content.decode()  # in the footer of every page
