import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from core import ratelimit
from core.ratelimit import hit, limited


def test_a_limit_lets_the_allowed_number_through_then_refuses():
    assert [hit("booking", "1.2.3.4", limit=3, seconds=3600) for _ in range(5)] == [True, True, True, False, False]
    assert hit("booking", "5.6.7.8", limit=3, seconds=3600)  # another client has its own count
    assert hit("verify", "1.2.3.4", limit=3, seconds=3600)  # and another rule too


def test_the_decorated_view_answers_429_in_chinese(db):
    view = limited("test-view", limit=2, seconds=600)(lambda request: HttpResponse("ok"))

    def request(method):
        made = getattr(RequestFactory(), method)("/", REMOTE_ADDR="9.9.9.9")
        made.user = AnonymousUser()
        return made

    assert [view(request("post")).status_code for _ in range(3)] == [200, 200, 429]
    assert "请求过于频繁" in view(request("post")).content.decode()
    assert view(request("get")).status_code == 200  # reading is not limited


def _redis_available() -> bool:
    try:
        import redis

        return redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=1).ping()
    except Exception:
        return False


@pytest.mark.skipif(not _redis_available(), reason="needs Redis at 127.0.0.1:6379")
def test_two_workers_sharing_redis_count_together(monkeypatch):
    """Two cache clients stand for two worker processes: with Redis, 10 allowed means 10 in all."""
    backend = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/15"}
    with override_settings(CACHES={"default": backend, "other": backend}):
        first, second = caches["default"], caches["other"]
        first.clear()
        allowed = 0
        for number in range(20):
            monkeypatch.setattr(ratelimit, "cache", first if number % 2 else second)
            allowed += hit("submission", "203.0.113.9", limit=10, seconds=3600)
        first.clear()
    assert allowed == 10
