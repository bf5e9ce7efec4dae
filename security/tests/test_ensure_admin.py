"""`ensure_admin` prints the password once, when it creates the account."""

import io
import re

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.test import RequestFactory


def test_the_password_is_printed_only_when_the_account_is_created(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    first = io.StringIO()
    call_command("ensure_admin", stdout=first)
    password = re.search(r"密码 (\S+)（", first.getvalue()).group(1)
    assert authenticate(RequestFactory().post("/"), username="admin", password=password) is not None
    assert list(tmp_path.iterdir()) == []  # kept nowhere: shown once

    again = io.StringIO()
    call_command("ensure_admin", stdout=again)
    assert password not in again.getvalue()
    assert "已存在" in again.getvalue()


def test_a_weak_password_from_the_environment_is_refused(db, settings, tmp_path, monkeypatch):
    settings.VAR_DIR = tmp_path
    monkeypatch.setenv("DJANGO_ADMIN_PASSWORD", "qingfeng2026")
    with pytest.raises(CommandError, match="不符合密码规则"):
        call_command("ensure_admin", stdout=io.StringIO())
    assert not get_user_model().objects.filter(username="admin").exists()
