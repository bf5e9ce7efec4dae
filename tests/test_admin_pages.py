"""Every admin page of every model, for every back-office role, on the demo data: the change,
delete and history pages answer, and saving a change form untouched changes nothing — neither
the row nor the work report's figures."""

import datetime
import io
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse

from reports.figures import FigureSet
from units.models import Unit

ROLES = ["jiwei", "xingyuan", "xiaoxue"]  # commission administrator, township staff, school staff
START, END = datetime.date(2020, 1, 1), datetime.date(2022, 9, 6)


class FormFields(HTMLParser):
    """The values a browser would submit for the admin change form, untouched."""

    def __init__(self):
        super().__init__()
        self.data: list[tuple[str, str]] = []
        self._in_form = False
        self._select: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id", "").endswith("_form"):
            self._in_form = True
        if not self._in_form or ("name" not in attrs and tag != "option"):
            return
        name = attrs.get("name")
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "file", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self.data.append((name, attrs.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.data.append((self._select, attrs.get("value", "")))
        elif tag == "textarea":
            self._textarea, self._text = name, []

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.data.append((self._textarea, "".join(self._text).removeprefix("\n")))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)


def post_data(html: str) -> dict:
    parser = FormFields()
    parser.feed(html)
    data: dict[str, list[str]] = {}
    for name, value in parser.data:
        data.setdefault(name, []).append(value)
    data["_save"] = ["保存"]
    return data


def snapshot(obj) -> dict:
    obj = type(obj)._default_manager.get(pk=obj.pk)
    values = model_to_dict(obj)
    return {key: sorted(value, key=str) if isinstance(value, list) else value for key, value in values.items()}


def url(model, name, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{name}", args=args)


def figures():
    city = Unit.objects.get(code="CITY")
    return {figure.id: figure.value for figure in FigureSet(start=START, end=END, unit=city).all()}


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())


def logged_in(username) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def rows_for(client, model_admin, username, count=3):
    request = client.get(url(model_admin.model, "changelist")).wsgi_request
    return list(model_admin.get_queryset(request).order_by("pk")[:count])


@pytest.mark.parametrize("username", ROLES)
def test_saving_every_change_form_untouched_changes_nothing(demo, username):
    client = logged_in(username)
    before_figures = figures()
    checked = 0
    for model, model_admin in admin.site._registry.items():
        if not model_admin.has_change_permission(client.get("/admin/").wsgi_request):
            continue
        for obj in rows_for(client, model_admin, username):
            page = client.get(url(model, "change", obj.pk))
            assert page.status_code == 200, (model, obj.pk, page.status_code)
            if 'id="' + model._meta.model_name + '_form"' not in page.content.decode():
                continue  # a view-only page
            before = snapshot(obj)
            response = client.post(url(model, "change", obj.pk), post_data(page.content.decode()))
            errors = response.context["adminform"].form.errors if response.status_code == 200 else None
            assert response.status_code == 302, (model._meta.label, obj.pk, errors)
            assert snapshot(obj) == before, (model._meta.label, obj.pk)
            checked += 1
    assert checked > 5
    assert figures() == before_figures


def test_every_admin_page_of_every_model_answers(demo):
    """Change, delete and history of one row of every registered model, as an administrator."""
    client = logged_in("jiwei")
    for model, model_admin in admin.site._registry.items():
        rows = rows_for(client, model_admin, "jiwei", count=1)
        if not rows:
            continue
        for name in ["change", "history", "delete"]:
            response = client.get(url(model, name, rows[0].pk))
            assert response.status_code in (200, 403), (model._meta.label, name, response.status_code)
