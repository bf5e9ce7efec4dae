"""`ensure_admin` prints the password once, when it creates the account."""

import io

import pytest
from django.core.management import CommandError, call_command


def test_the_password_is_printed_only_when_the_account_is_created(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    first = io.StringIO()
    call_command("ensure_admin", stdout=first)
    username, password = (tmp_path / "admin-credentials.txt").read_text().split()[:2]
    assert username == "admin" and password in first.getvalue()
    assert (tmp_path / "admin-credentials.txt").stat().st_mode & 0o777 == 0o600

    again = io.StringIO()
    call_command("ensure_admin", stdout=again)
    assert password not in again.getvalue()
    assert "已存在" in again.getvalue()


def test_a_weak_password_from_the_environment_is_refused(db, settings, tmp_path, monkeypatch):
    settings.VAR_DIR = tmp_path
    monkeypatch.setenv("DJANGO_ADMIN_PASSWORD", "qingfeng2026")
    with pytest.raises(CommandError, match="不符合密码规则"):
        call_command("ensure_admin", stdout=io.StringIO())
    assert not (tmp_path / "admin-credentials.txt").exists()
