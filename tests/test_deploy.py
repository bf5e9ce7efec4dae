"""The deployment files in deploy/ that code can check: gunicorn's configuration."""

import runpy
from pathlib import Path
from types import SimpleNamespace

import pytest

GUNICORN_CONF = Path(__file__).resolve().parent.parent / "deploy" / "gunicorn.conf.py"


def gunicorn_settings(monkeypatch, **env):
    for name in ("REDIS_URL", "CACHE_URL", "GUNICORN_WORKERS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(GUNICORN_CONF))


def starting(conf, workers):
    conf["on_starting"](SimpleNamespace(cfg=SimpleNamespace(workers=workers)))


def test_several_workers_without_a_shared_cache_refuse_to_start(monkeypatch):
    conf = gunicorn_settings(monkeypatch)
    with pytest.raises(SystemExit, match="REDIS_URL"):
        starting(conf, workers=conf["workers"])


def test_several_workers_start_with_redis_and_one_starts_without(monkeypatch):
    starting(gunicorn_settings(monkeypatch, REDIS_URL="redis://127.0.0.1:6379/0"), workers=5)
    starting(gunicorn_settings(monkeypatch, GUNICORN_WORKERS="1"), workers=1)


def test_workers_and_timeouts_come_from_the_environment(monkeypatch):
    conf = gunicorn_settings(monkeypatch, GUNICORN_WORKERS="3")
    assert conf["workers"] == 3
    assert conf["timeout"] > 20  # above the web server's statement timeout (DJANGO_DB_STATEMENT_TIMEOUT)
    assert conf["control_socket_disable"] is True
