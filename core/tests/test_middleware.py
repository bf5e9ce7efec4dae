"""The request guard (control characters → 400), error pages without request.user, a bad Host
header, login usernames of any length and the admin's "view on site" shortcut."""

from urllib.parse import quote

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.template.loader import render_to_string
from django.test import Client

from core.models import Topic

CONTROL_MESSAGE = "控制字符"


def assert_security_headers(response):
    assert response["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_a_host_not_allowed_gets_400_with_the_security_headers():
    response = Client().get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "请求有误" in response.content.decode()
    assert_security_headers(response)


@pytest.mark.parametrize("template", ["400.html", "403.html", "500.html"])
def test_error_pages_render_without_a_user(rf, template, db):
    """A 400 or 403 can be answered before AuthenticationMiddleware has run."""
    request = rf.get("/")
    assert not hasattr(request, "user")
    html = render_to_string(template, request=request)
    assert "<h1>" in html


@pytest.mark.parametrize(
    "url",
    [
        "/news/%00/",
        "/campaigns/submissions/ZG%1B123/",
        "/?q=%00",
        "/bases/?township=%1b[31m",
        "/?q=a%0Ab",  # a line break has no place in a query string
        "/?%00=1",
        "/campaigns/?sector=%7F",
        "/campaigns/?sector=%C2%9B",  # C1 control CSI
    ],
)
@pytest.mark.django_db
def test_control_characters_in_the_path_or_query_get_400(url):
    response = Client().get(url)
    assert response.status_code == 400
    assert CONTROL_MESSAGE in response.content.decode()
    assert_security_headers(response)


@pytest.mark.django_db
def test_control_characters_in_form_fields_get_400_and_nothing_is_recorded():
    response = Client().post("/accounts/login/", {"username": "admin\x00", "password": "x"})
    assert response.status_code == 400
    assert CONTROL_MESSAGE in response.content.decode()
    assert not AccessAttempt.objects.exists()


@pytest.mark.django_db
def test_an_escape_in_an_admin_form_gets_400_and_changes_nothing(client, commission_admin):
    client.force_login(commission_admin)
    before = Topic.objects.count()
    response = client.post("/admin/core/topic/add/", {"name": "廉洁\x1b[2J文化", "order": "1"})
    assert response.status_code == 400
    assert Topic.objects.count() == before


@pytest.mark.django_db
def test_tabs_and_line_breaks_in_form_fields_pass():
    response = Client().post("/accounts/login/", {"username": "a\tb", "password": "第一行\r\n第二行"})
    assert response.status_code == 200  # the login form, with "wrong username or password"


@pytest.mark.django_db
def test_nul_in_admin_autocomplete_gets_400_not_500(client, commission_admin):
    client.force_login(commission_admin)
    response = client.get(
        "/admin/autocomplete/",
        {"term": "\x00", "app_label": "campaigns", "model_name": "campaign", "field_name": "organisers"},
    )
    assert response.status_code == 400


@pytest.mark.django_db
def test_a_very_long_login_username_is_a_failed_login_not_a_server_error():
    """django-axes stores the typed username in 255 characters, which PostgreSQL enforces."""
    response = Client().post("/accounts/login/", {"username": "张" * 300, "password": "x" * 300})
    assert response.status_code == 200
    assert response.context["form"].errors
    attempt = AccessAttempt.objects.get()
    assert attempt.username == "张" * 150


@pytest.fixture
def permission_with_url(monkeypatch):
    """auth.Permission is in no admin: give it a page to be redirected to."""
    monkeypatch.setattr(Permission, "get_absolute_url", lambda self: f"/secret/{self.pk}/", raising=False)
    return Permission.objects.first()


def shortcut_url(obj):
    return f"/admin/r/{ContentType.objects.get_for_model(obj).pk}/{obj.pk}/"


def test_view_on_site_follows_an_ordinary_url(client, commission_admin, permission_with_url):
    client.force_login(commission_admin)
    response = client.get(shortcut_url(permission_with_url))
    assert response.status_code == 302
    assert response["Location"].endswith(f"/secret/{permission_with_url.pk}/")


def test_view_on_site_refuses_a_model_with_secret_urls(client, commission_admin, permission_with_url, monkeypatch):
    monkeypatch.setattr(Permission, "SECRET_URL", True, raising=False)
    client.force_login(commission_admin)
    assert client.get(shortcut_url(permission_with_url)).status_code == 404


def test_view_on_site_for_an_admin_model_needs_the_row_in_the_users_admin(client, staff_a, monkeypatch):
    """Unit staff have no permission on topics in the admin: no redirect to a topic's page."""
    topic = Topic.objects.create(name="廉洁家风", order=99)
    monkeypatch.setattr(Topic, "get_absolute_url", lambda self: "/topic/", raising=False)
    client.force_login(staff_a)
    assert client.get(shortcut_url(topic)).status_code == 404


# Admin parameters the admin itself does not check.


@pytest.mark.parametrize("object_id", ["²", "①", "' OR 1=1--", "x" * 300, "😀"])
def test_a_history_page_with_an_id_that_is_no_number_is_404(client, commission_admin, object_id):
    client.force_login(commission_admin)
    topic = Topic.objects.order_by("pk").first()
    assert client.get(f"/admin/core/topic/{quote(object_id)}/history/").status_code == 404
    assert client.get(f"/admin/core/topic/{quote(object_id)}/history/1/").status_code == 404
    assert client.get(f"/admin/core/topic/{topic.pk}/history/{quote(object_id)}/").status_code == 404


def test_an_empty_to_field_is_400(client, commission_admin):
    client.force_login(commission_admin)
    topic = Topic.objects.order_by("pk").first()
    assert client.get(f"/admin/core/topic/{topic.pk}/delete/", {"_to_field": ""}).status_code == 400
    assert client.get(f"/admin/core/topic/{topic.pk}/change/", {"_to_field": ""}).status_code == 400


def test_a_date_hierarchy_value_out_of_range_is_400(client, commission_admin):
    client.force_login(commission_admin)
    response = client.get("/admin/axes/accessattempt/", {"attempt_time__year": "2024", "attempt_time__day": "9" * 25})
    assert response.status_code == 400
    assert client.get("/admin/axes/accessattempt/", {"attempt_time__year": "2024"}).status_code == 200


def test_view_on_site_with_a_content_type_that_is_no_number_is_404(client, commission_admin):
    client.force_login(commission_admin)
    assert client.get(f"/admin/r/{quote('²')}/1/").status_code == 404
