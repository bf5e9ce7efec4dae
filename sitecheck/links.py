"""The link checker: every link in the rich texts the site shows and every attachment it offers,
each address checked once.

- Addresses of this site (relative, or on PORTAL_SITE_URL's host) are resolved in the app: a media
  file must be in storage, any other path is requested from the app itself as an anonymous visitor
  (a 404 or 500 is broken; a login redirect to a restricted item is not).
- Other addresses are fetched over HTTP: HEAD, then GET when HEAD is refused (405, 501); redirects
  followed hop by hop (each hop checked again), with a timeout, at most SITECHECK_CONCURRENCY at
  once and SITECHECK_PER_HOST per host, and a User-Agent naming the site and its contact page. The
  server fetches addresses staff typed: one on a private network or on this machine is never
  fetched (SSRF) unless SITECHECK_ALLOW_PRIVATE_ADDRESSES (the tests' local server)."""

import ipaddress
import socket
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import unquote, urljoin, urlsplit

from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from simple_history.models import HistoricalChanges

from core.fields import RichTextField
from publications.models import Attachment
from sitecheck.models import BrokenLink

MAX_REDIRECTS = 5
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
SKIPPED_SCHEMES = {"mailto", "tel", "javascript", "data", "sms"}


@dataclass(frozen=True)
class Link:
    """Where an address was found: an item (its model and key, its name) and the field."""

    model: type
    object_id: int
    source: str
    field: str
    url: str


@dataclass(frozen=True)
class Outcome:
    status: int | None = None
    error: str = ""

    @property
    def broken(self) -> bool:
        return bool(self.error) or self.status is None or self.status >= 400


class _Addresses(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        wanted = {"a": "href", "img": "src", "source": "src", "iframe": "src"}.get(tag)
        for name, value in attrs:
            if name == wanted and value and value.strip():
                self.found.append(value.strip())


def addresses_in(html: str) -> list[str]:
    """The link and image addresses of a rich text, in order, without the ones that are not web
    addresses (mailto:, tel:) or only an anchor on the page."""
    parser = _Addresses()
    parser.feed(html or "")
    return [
        url for url in parser.found if not url.startswith("#") and urlsplit(url).scheme.lower() not in SKIPPED_SCHEMES
    ]


def site_links() -> Iterator[Link]:
    """Every link of every rich-text field (of published rows where the model publishes), then every
    attachment of a published publication (its own download address)."""
    for model in apps.get_models():
        fields = [field for field in model._meta.concrete_fields if isinstance(field, RichTextField)]
        if not fields or issubclass(model, HistoricalChanges):  # the history's copies are not shown
            continue
        rows = model._default_manager.order_by("pk")
        if any(field.name == "is_published" for field in model._meta.concrete_fields):
            rows = rows.filter(is_published=True)
        for row in rows.iterator(chunk_size=500):
            for field in fields:
                for url in addresses_in(getattr(row, field.name)):
                    yield Link(model, row.pk, str(row)[:300], str(field.verbose_name), url)
    attachments = Attachment.objects.filter(publication__is_published=True).select_related("publication")
    for attachment in attachments.order_by("pk").iterator(chunk_size=500):
        yield Link(
            Attachment,
            attachment.pk,
            f"{attachment.publication.title[:200]} · {attachment.original_name}"[:300],
            str(Attachment._meta.get_field("file").verbose_name),
            attachment.get_absolute_url(),
        )


def is_internal(url: str) -> bool:
    """Relative, or on the site's own host and port (PORTAL_SITE_URL)."""
    parts = urlsplit(url)
    return not parts.netloc or parts.netloc.lower() == urlsplit(settings.PORTAL_SITE_URL).netloc.lower()


class InternalChecker:
    """Asks the app itself, as an anonymous visitor on the site's own host."""

    def __init__(self):
        site = urlsplit(settings.PORTAL_SITE_URL)
        # A view that fails answers 500 here, as it would to a visitor, instead of stopping the run.
        self.client = Client(HTTP_HOST=site.netloc or "localhost", raise_request_exception=False)
        self.secure = site.scheme == "https"

    def check(self, url: str) -> Outcome:
        parts = urlsplit(urljoin("/", url))
        path = parts.path
        if path.startswith(settings.MEDIA_URL):
            name = unquote(path.removeprefix(settings.MEDIA_URL))
            return Outcome(status=200) if default_storage.exists(name) else Outcome(error=BrokenLink.Error.MISSING_FILE)
        attachment = self._attachment(path)
        if attachment is not None:
            # A private file: its download view answers a visitor only after checking them, but the
            # file itself must be in storage.
            if attachment.file.storage.exists(attachment.file.name):
                return Outcome(status=200)
            return Outcome(error=BrokenLink.Error.MISSING_FILE)
        target = path + (f"?{parts.query}" if parts.query else "")
        response = self.client.get(target, secure=self.secure)
        return Outcome(status=response.status_code)

    @staticmethod
    def _attachment(path: str) -> Attachment | None:
        try:
            match = resolve(path)
        except Resolver404:
            return None
        if match.view_name != "publications:attachment-download":
            return None
        return Attachment.objects.filter(pk=match.kwargs["pk"]).first()


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # followed by hand, so that every hop is checked


class ExternalChecker:
    def __init__(self):
        self.opener = urllib.request.build_opener(_NoRedirects)
        contact = settings.PORTAL_SITE_URL + reverse("portal:contact")
        self.user_agent = f"QingfengLinkChecker/1.0 (+{contact})"
        self._per_host: dict[str, threading.Semaphore] = {}
        self._lock = threading.Lock()

    def _host_slot(self, host: str) -> threading.Semaphore:
        with self._lock:
            return self._per_host.setdefault(host, threading.Semaphore(settings.SITECHECK_PER_HOST))

    def check(self, url: str) -> Outcome:
        try:
            return self._follow(url)
        except ValueError:  # a malformed address, or a redirect to one
            return Outcome(error=BrokenLink.Error.SCHEME)

    def _follow(self, url: str) -> Outcome:
        if url.startswith("//"):
            # Without a scheme: the site's own, as a browser on the site's pages takes it.
            url = f"{urlsplit(settings.PORTAL_SITE_URL).scheme or 'https'}:{url}"
        for _hop in range(MAX_REDIRECTS + 1):
            parts = urlsplit(url)
            if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
                return Outcome(error=BrokenLink.Error.SCHEME)
            refused = self._refused(parts.hostname, parts.port)
            if refused:
                return Outcome(error=refused)
            with self._host_slot(parts.hostname.lower()):
                outcome, location = self._request(url, "HEAD")
                if outcome.status in {405, 501}:
                    outcome, location = self._request(url, "GET")
            if outcome.status in REDIRECT_STATUSES and location:
                url = urljoin(url, location)
                continue
            return outcome
        return Outcome(error=BrokenLink.Error.REDIRECTS)

    @staticmethod
    def _refused(host: str, port: int | None) -> str:
        """An error code when the host does not resolve or (unless allowed) lies on a private
        network, this machine, or a reserved range."""
        try:
            addresses = {info[4][0] for info in socket.getaddrinfo(host, port or 80, proto=socket.IPPROTO_TCP)}
        except (OSError, UnicodeError):
            return BrokenLink.Error.UNREACHABLE
        if settings.SITECHECK_ALLOW_PRIVATE_ADDRESSES:
            return ""
        for address in addresses:
            ip = ipaddress.ip_address(address.split("%")[0])
            if not ip.is_global or ip.is_multicast:
                return BrokenLink.Error.PRIVATE
        return ""

    def _request(self, url: str, method: str) -> tuple[Outcome, str]:
        request = urllib.request.Request(  # noqa: S310 - only http(s), checked by the caller
            url, method=method, headers={"User-Agent": self.user_agent, "Accept": "*/*"}
        )
        try:
            with self.opener.open(request, timeout=settings.SITECHECK_TIMEOUT) as response:
                return Outcome(status=response.status), ""
        except urllib.error.HTTPError as error:
            return Outcome(status=error.code), error.headers.get("Location", "")
        except TimeoutError:
            return Outcome(error=BrokenLink.Error.TIMEOUT), ""
        except urllib.error.URLError as error:
            if isinstance(error.reason, TimeoutError):
                return Outcome(error=BrokenLink.Error.TIMEOUT), ""
            return Outcome(error=BrokenLink.Error.UNREACHABLE), ""
        except (OSError, ValueError):
            return Outcome(error=BrokenLink.Error.UNREACHABLE), ""


def check_addresses(urls: set[str]) -> dict[str, Outcome]:
    """The outcome of each address: internal ones one after the other (they run the app's views in
    this process), external ones in parallel within the limits."""
    outcomes = {}
    for url in urls:
        try:
            urlsplit(url)
        except ValueError:  # an unclosed [ in the host
            outcomes[url] = Outcome(error=BrokenLink.Error.SCHEME)
    internal = sorted(url for url in urls - set(outcomes) if is_internal(url))
    external = sorted(urls - set(outcomes) - set(internal))
    if internal:
        checker = InternalChecker()
        outcomes.update({url: checker.check(url) for url in internal})
    if external:
        checker = ExternalChecker()
        with ThreadPoolExecutor(max_workers=settings.SITECHECK_CONCURRENCY) as pool:
            outcomes.update(zip(external, pool.map(checker.check, external), strict=True))
    return outcomes
