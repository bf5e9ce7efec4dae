import os
import secrets
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone

from units.tests.factories import DEFAULT_PASSWORD

ROOT = Path(__file__).resolve().parents[2]


def login(client, url, password):
    return client.post(url, {"username": "cadre_a", "password": password, "next": "/"})


@pytest.mark.parametrize("url_name", ["login", "admin:login"])
def test_sixth_attempt_is_refused_even_with_the_right_password(client, cadre_a, url_name):
    url = reverse(url_name)
    for _attempt in range(5):
        assert login(client, url, "wrong-password").status_code in (200, 429)
    response = login(client, url, DEFAULT_PASSWORD)
    assert response.status_code == 429
    assert "账号已被锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lock_expires_after_thirty_minutes(client, cadre_a):
    for _attempt in range(5):
        login(client, reverse("login"), "wrong-password")
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=31))
    response = login(client, reverse("login"), DEFAULT_PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(cadre_a.pk)


def test_four_failures_do_not_lock(client, cadre_a):
    for _attempt in range(4):
        login(client, reverse("login"), "wrong-password")
    assert login(client, reverse("login"), DEFAULT_PASSWORD).status_code == 302


def run_manage(args, env):
    clean_env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    clean_env.pop("DATABASE_URL", None)
    clean_env.update(env)
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean_env, capture_output=True, text=True, timeout=120
    )


def test_production_server_refuses_to_start_without_a_secret_key():
    wsgi = subprocess.run(
        [sys.executable, "-c", "import config.wsgi"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_URL"))},
    )
    assert wsgi.returncode != 0
    assert "DJANGO_SECRET_KEY" in wsgi.stderr and "未设置" in wsgi.stderr
    runserver = run_manage(["runserver", "--noreload", "127.0.0.1:8999"], {"DJANGO_SETTINGS_MODULE": "config.settings"})
    assert runserver.returncode != 0 and "未设置" in runserver.stderr


def test_several_app_servers_refuse_to_start_without_a_shared_cache():
    code = "import config.wsgi; from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_URL"))}
    env.pop("REDIS_URL", None)
    env.update(DJANGO_SECRET_KEY=secrets.token_urlsafe(50), DJANGO_APP_SERVERS="2")
    alone = subprocess.run(  # noqa: S603 - our own settings
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120, env=env
    )
    assert alone.returncode != 0 and "REDIS_URL" in alone.stderr and "共享缓存" in alone.stderr
    env["REDIS_URL"] = "redis://127.0.0.1:6379/14"
    shared = subprocess.run(  # noqa: S603 - our own settings
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120, env=env
    )
    assert shared.returncode == 0 and "RedisCache" in shared.stdout


def test_management_commands_run_without_variables_but_deploy_check_flags_the_key():
    assert run_manage(["check"], {"DJANGO_SETTINGS_MODULE": "config.settings"}).returncode == 0
    deploy = run_manage(["check", "--deploy", "--fail-level", "WARNING"], {"DJANGO_SETTINGS_MODULE": "config.settings"})
    assert deploy.returncode != 0 and "security.W009" in deploy.stderr + deploy.stdout


def test_development_starts_without_a_secret_key():
    result = run_manage(["check"], {"DJANGO_SETTINGS_MODULE": "config.settings", "DJANGO_DEBUG": "1"})
    assert result.returncode == 0, result.stderr


def test_deploy_check_is_clean_with_production_variables(tmp_path):
    result = run_manage(
        ["check", "--deploy", "--fail-level", "WARNING"],
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
            "DJANGO_ALLOWED_HOSTS": "qingfeng.example.cn",
            "DJANGO_HTTPS": "1",
            "DJANGO_VAR_DIR": str(tmp_path),
            "REDIS_URL": "redis://127.0.0.1:6379/0",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_deploy_check_warns_when_limits_would_be_counted_per_process(tmp_path):
    result = run_manage(
        ["check", "--deploy"],
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
            "DJANGO_ALLOWED_HOSTS": "qingfeng.example.cn",
            "DJANGO_HTTPS": "1",
            "DJANGO_VAR_DIR": str(tmp_path),
        },
    )
    assert "core.W001" in result.stdout + result.stderr
