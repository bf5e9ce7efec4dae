"""Rate limits kept in the shared cache, so that every worker and every app server counts
together (Redis when CACHE_URL/REDIS_URL is set; a system check warns when production runs on the
per-process local-memory cache).

A limit counts requests per (scope, key) in fixed windows: `key` is the client address, an
account or a phone number, whatever the rule is about. Behind a proxy the client address comes
from X-Forwarded-For only when the request arrives from a trusted proxy (core.network)."""

import functools
import hashlib
import time

from django.core.cache import cache
from django.shortcuts import render

from core.network import client_ip


def hit(scope: str, key: str, *, limit: int, seconds: int) -> bool:
    """Count one request; True while the (scope, key) pair stays within `limit` per `seconds`."""
    window = int(time.time() // seconds)
    digest = hashlib.sha256(f"{scope}\0{key}".encode()).hexdigest()[:32]
    cache_key = f"ratelimit:{scope}:{digest}:{window}"
    if cache.add(cache_key, 1, timeout=seconds + 5):
        return limit >= 1
    try:
        return cache.incr(cache_key) <= limit
    except ValueError:  # the window expired between add and incr
        cache.add(cache_key, 1, timeout=seconds + 5)
        return True


def account(request) -> str:
    """Key for rules about a logged-in account (one cadre filling every slot)."""
    user = getattr(request, "user", None)
    return f"user:{user.pk}" if user is not None and user.is_authenticated else ""


def limited(scope: str, *, limit: int, seconds: int, methods=("POST",), keys=(client_ip,)):
    """View decorator: over the limit for any of `keys` (functions of the request returning a
    key, or "" to skip), the view answers 429 with the Chinese "too many requests" page."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method in methods:
                for key_of in keys:
                    key = key_of(request)
                    if key and not hit(f"{scope}:{key_of.__name__}", key, limit=limit, seconds=seconds):
                        return render(request, "429.html", {"minutes": max(seconds // 60, 1)}, status=429)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
