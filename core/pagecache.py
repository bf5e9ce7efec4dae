"""The full-page cache for anonymous visitors.

A public page that an anonymous visitor sees is the same for every anonymous visitor in the same
display mode, so it is rendered once and then served from the shared cache, before sessions,
authentication or any view runs. What may be stored is decided by the response, never by a list of
URLs, so a new page is safe by default:

- only a GET from a visitor with no cookies but the display-mode and CSRF cookies (no session, no
  messages): logged-in users and anyone with a message waiting always get a fresh page;
- only a 200 that sets no cookie, that rendered no CSRF token (a page with a POST form is
  personal: its token belongs to the visitor's cookie), and that does not forbid caching
  (`never_cache`, private pages);
- keyed by the path with its query, the display-mode cookies and the content generation.

The content generation is a token in the same cache. Every save or delete of a content model
(settings.PAGE_CACHE_CONTENT_APPS, connected in core/apps.py) and every bulk insert through
core.history replaces it (at once and again when the transaction commits), so all cached pages go
stale together: an edit appears on the next request, in every worker and on every server sharing the cache. A page whose
content depends on the clock (an open call closing, slots of the coming days) is kept at most
settings.PAGE_CACHE_SECONDS.

The cache is the "pages" alias: Redis when configured (several servers), else files under var/,
which every worker process of one machine shares (a per-process memory cache could not be
invalidated by the worker that saved the edit). Each process also keeps the pages it served in
memory ("pages-local"), under the same keys: only the small generation token is read from the
shared cache on every request."""

import hashlib
import time
import uuid

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import cc_delim_re

CACHE_ALIAS = "pages"
LOCAL_ALIAS = "pages-local"
GENERATION_KEY = "generation"
UNCACHEABLE_DIRECTIVES = {"private", "no-cache", "no-store"}


def page_cache():
    return caches[CACHE_ALIAS]


def _local():
    """This process's copies of pages: a page is read from the shared cache once per process and
    generation, then from memory (the generation, which every process reads from the shared
    cache on each request, keeps them exact)."""
    return caches[LOCAL_ALIAS]


def content_changed(**_signal_arguments) -> None:
    """Make every cached page stale: now, so that the request that saved sees its edit, and again
    when the transaction commits, so that a page another request rendered from the old rows in
    between is not served afterwards.

    Also a signal receiver (post_save, post_delete, m2m_changed of the content models)."""
    _new_generation()
    transaction.on_commit(_new_generation)


# The generation as this process last read it: (token, time.monotonic() of the read).
_last_read = ("", float("-inf"))


def _new_generation() -> None:
    global _last_read
    generation = uuid.uuid4().hex
    page_cache().set(GENERATION_KEY, generation, timeout=None)
    _last_read = (generation, time.monotonic())


def _generation() -> str:
    """The current generation, read from the shared cache at most every
    PAGE_CACHE_GENERATION_SECONDS in each process (0: on every request). With Redis a read is a
    network round trip that costs more than the rest of a cached page; a second's delay before
    other processes see an edit buys it back. The process that saved the edit sees it at once."""
    global _last_read
    generation, read_at = _last_read
    if time.monotonic() - read_at < settings.PAGE_CACHE_GENERATION_SECONDS:
        return generation
    cache = page_cache()
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        # First request, or the token was evicted: start a new generation (never reuse an old one).
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        generation = cache.get(GENERATION_KEY)
    _last_read = (generation, time.monotonic())
    return generation


def remember(name: str, compute):
    """`compute()`, kept in the page cache until content changes (or PAGE_CACHE_SECONDS pass):
    for what every page shows and few requests change, such as the site settings and which
    navigation columns have content. The value must pickle."""
    key = f"{_generation()}:memo:{name}"
    value = page_cache().get(key)
    if value is None:
        value = compute()
        page_cache().set(key, value, settings.PAGE_CACHE_SECONDS)
    return value


def _request_is_anonymous_and_plain(request) -> bool:
    if request.method != "GET" or "HTTP_AUTHORIZATION" in request.META:
        return False
    if request.path.startswith(settings.STATIC_URL):
        return False  # WhiteNoise's
    if settings.SECURE_SSL_REDIRECT and not request.is_secure():
        return False  # SecurityMiddleware redirects it
    neutral = {settings.CSRF_COOKIE_NAME, *settings.PAGE_CACHE_VARY_ON_COOKIES}
    return all(name in neutral for name in request.COOKIES)


def _key(request, generation: str, *, owner: str = "") -> str:
    """Raises DisallowedHost for a Host not in ALLOWED_HOSTS."""
    modes = "|".join(request.COOKIES.get(name, "") for name in settings.PAGE_CACHE_VARY_ON_COOKIES)
    address = f"{request.get_host()}{request.get_full_path()}|{modes}|{owner}"
    return f"{generation}:{hashlib.sha256(address.encode()).hexdigest()}"


def _may_be_stored(response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    directives = {
        part.split("=")[0].strip().lower() for part in cc_delim_re.split(response.get("Cache-Control", "")) if part
    }
    return not directives & UNCACHEABLE_DIRECTIVES


def _serve(key):
    stored = _local().get(key)
    if stored is None:
        stored = page_cache().get(key)
        if stored is None:
            return None
        _local().set(key, stored, settings.PAGE_CACHE_SECONDS)
    content, headers = stored
    response = HttpResponse(content, headers=headers)
    response["X-Page-Cache"] = "hit"
    return response


def _store(key, response) -> None:
    stored = (response.content, dict(response.items()))
    page_cache().set(key, stored, settings.PAGE_CACHE_SECONDS)
    _local().set(key, stored, settings.PAGE_CACHE_SECONDS)
    response["X-Page-Cache"] = "miss"


class AnonymousPageCacheMiddleware:
    """Serve anonymous GETs from the page cache, and store the responses that may be shared.

    First in MIDDLEWARE: a hit costs the generation read and a memory lookup, and no middleware,
    session or query. A stored page keeps the headers every middleware gave it when it was
    rendered (the frame and content policies, HSTS), which are the same for every visitor. What the
    middlewares below refuse never reaches the cache: only 200s are stored, and a request for a
    Host not allowed, over plain HTTP when HTTPS is required, or for a static file passes through.
    A page that rendered a CSRF token is not shared."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _request_is_anonymous_and_plain(request):
            return self.get_response(request)
        try:
            key = _key(request, _generation())
        except DisallowedHost:
            return self.get_response(request)  # the answer is SecurityMiddleware's 400
        response = _serve(key)
        if response is not None:
            return response
        response = self.get_response(request)
        if _may_be_stored(response) and not request.META.get("CSRF_COOKIE_USED"):
            _store(key, response)
        return response


class PersonalPageCacheMiddleware:
    """Serve a logged-in user's GETs from a copy kept for their session alone.

    Sits after authentication and the account-security checks (session limits, two-factor gate),
    which run on every request; only the view and its template are skipped. The copy is keyed by
    the session and the CSRF cookie, so the forms on it (log out, confirm studied) carry a token
    that is valid for this browser, and it goes stale with every content change, like the shared
    pages (a cadre's own signatures, bookings and read confirmations are content rows). A page
    showing a message is never kept."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self._applies(request):
            return self.get_response(request)
        owner = f"{request.session.session_key}|{request.COOKIES.get(settings.CSRF_COOKIE_NAME, '')}"
        key = _key(request, _generation(), owner=owner)
        response = _serve(key)
        if response is not None:
            return response
        response = self.get_response(request)
        if _may_be_stored(response) and request.user.is_authenticated and not request.session.get("_messages"):
            _store(key, response)
        return response

    @staticmethod
    def _applies(request) -> bool:
        return (
            request.method == "GET"
            and request.user.is_authenticated
            and request.session.session_key is not None
            and settings.CSRF_COOKIE_NAME in request.COOKIES
            and "messages" not in request.COOKIES
            and not request.session.get("_messages")
            and not request.path.startswith(settings.PAGE_CACHE_PERSONAL_EXCLUDED)
        )
