"""No input makes the site answer 500.

Every named URL pattern of config.urls, on the demo data, as an anonymous visitor, a cadre and a
commission administrator: first with real arguments taken from the demo rows, then with each
hostile string in each path parameter, then in every query parameter the views read. Any answer
of 500 or more fails, naming the role and the URL. Run on SQLite and on PostgreSQL (DATABASE_URL):
NUL and over-long values behave differently there."""

import io
import logging
import zipfile
from urllib.parse import quote, urlencode

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from bases.models import EducationBase, VisitBooking, VisitSlot
from campaigns.models import Campaign, OpenCall, Sector, Submission
from pledges.models import PledgeText, Signature
from publications.models import Attachment, Publication
from reports.figures import REGISTRY
from units.models import Unit

HOSTILE = [
    "\x00",
    "\x1b[31m",
    "²",
    "①",
    "x" * 300,
    "' OR 1=1--",
    "../../etc/passwd",
    "%00",
    "😀",
    "\u202e\u200fabc",
    "-1",
    "99999999999999999999999",
    "",
]
# Every GET parameter a view of ours reads, and the ones Django's admin and forms read.
PUBLIC_QUERY_KEYS = [
    "page",
    "q",
    "start",
    "end",
    "sector",
    "township",
    "kind",
    "category",
    "format",
    "theme",
    "next",
    "unit",
    "title",
    "issued_on",
    "code",
    "username",
    "term",
    "app_label",
    "model_name",
    "field_name",
]
ADMIN_QUERY_KEYS = ["q", "o", "p", "_changelist_filters", "_to_field", "_popup"]
SKIPPED = {"logout", "admin:logout"}  # would end the session the walk runs in
INT_SENTINEL, TEXT_SENTINEL = 987654321, "zzsentinelzz"
ROLES = {"anonymous": None, "cadre": "ganbu", "commission_admin": "jiwei"}


def named_patterns(resolver=None, namespaces=()):
    """(name, pattern) of every named URL pattern, with its namespace."""
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            yield from named_patterns(pattern, namespaces + ((pattern.namespace,) if pattern.namespace else ()))
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield ":".join((*namespaces, pattern.name)), pattern


def parameters(pattern) -> dict:
    """{name: converter or None} of a pattern's parameters; unnamed groups of a regular
    expression (django-simple-history's pages) are numbered 0, 1 …"""
    converters = getattr(pattern.pattern, "converters", {})
    regex = pattern.pattern.regex
    if not regex.groupindex:
        return dict.fromkeys(range(regex.groups))
    return {name: converters.get(name) for name in regex.groupindex}


def url_for(name, values: dict) -> str:
    if values and all(isinstance(key, int) for key in values):
        return reverse(name, args=[values[key] for key in sorted(values)])
    return reverse(name, kwargs=values)


def admin_model(name: str):
    for model in admin.site._registry:
        if name.startswith(f"admin:{model._meta.app_label}_{model._meta.model_name}_"):
            return model
    return None


def first_pk(model):
    obj = model._default_manager.order_by("pk").first()
    return obj.pk if obj is not None else None


def samples() -> dict:
    """Real values for the parameters of the public patterns, from the demo rows."""
    booking = VisitBooking.objects.order_by("pk").first()
    base = EducationBase.objects.filter(slots__isnull=False).order_by("pk").first()
    signature = Signature.objects.order_by("pk").first()
    submission = Submission.objects.in_gallery().order_by("pk").first() or Submission.objects.order_by("pk").first()
    return {
        "bases:booking-detail": {"reference": booking and booking.reference},
        "bases:booking-print": {"reference": booking and booking.reference},
        "bases:booking-cancel": {"reference": booking and booking.reference},
        "bases:base-detail": {"slug": base and base.slug},
        "bases:booking-create": {
            "slug": base and base.slug,
            "slot_id": base and VisitSlot.objects.filter(base=base).values_list("pk", flat=True).first(),
        },
        "pledges:pledge-detail": {"pk": first_pk(PledgeText)},
        "pledges:certificate": {"code": signature and signature.verification_code},
        "pledges:drawn-signature": {"code": signature and signature.verification_code},
        "pledges:verify": {"code": signature and signature.verification_code},
        "campaigns:campaign-detail": {"pk": Campaign.objects.published().values_list("pk", flat=True).first()},
        "campaigns:campaign-document": {"pk": first_pk(Campaign)},
        "campaigns:sector-detail": {"code": Sector.objects.values_list("code", flat=True).first()},
        "campaigns:call-detail": {"pk": first_pk(OpenCall)},
        "campaigns:gallery": {"pk": first_pk(OpenCall)},
        "campaigns:gallery-image": {"pk": submission and submission.pk, "variant": "thumbnail"},
        "campaigns:submission-receipt": {"code": submission and submission.receipt_code},
        "publications:publication-detail": {"pk": first_pk(Publication)},
        "publications:receipt-confirm": {"pk": first_pk(Publication)},
        "publications:attachment-download": {"pk": first_pk(Attachment)},
        "reports:figure-rows": {"figure_id": next(iter(REGISTRY))},
        "reports:figure-rows-xlsx": {"figure_id": next(iter(REGISTRY))},
        "admin:view_on_site": {
            "content_type_id": ContentType.objects.get_for_model(Campaign).pk,
            "object_id": first_pk(Campaign),
        },
        "admin:app_list": {"app_label": "campaigns"},
    }


def sample_kwargs(name, pattern, known) -> dict | None:
    """Real arguments for a pattern, or None when the demo data has none."""
    kwargs = {}
    for parameter in parameters(pattern):
        value = known.get(name, {}).get(parameter)
        model = admin_model(name)
        if value is None and parameter in {"object_id", "pk", "id", 0} and model is not None:
            value = first_pk(model)
        if value is None and parameter == 1 and name.endswith("_simple_history") and model is not None:
            obj = model._default_manager.order_by("pk").first()
            record = obj.history.order_by("history_id").first() if obj is not None else None
            value = record and record.history_id
        if value is None and parameter == "variant":
            value = "thumbnail"
        if value is None:
            return None
        kwargs[parameter] = value
    return kwargs


def hostile_urls(name, pattern, kwargs) -> list[str]:
    """The pattern's URL with each hostile string in each path parameter in turn (the other
    parameters keep their real values)."""
    urls = []
    for parameter, converter in parameters(pattern).items():
        if name == "admin:app_list":
            continue  # a regular expression of app labels: nothing else reaches the view
        sentinel = INT_SENTINEL if converter is not None and converter.regex == "[0-9]+" else TEXT_SENTINEL
        values = {**(kwargs or {}), parameter: sentinel}
        for other in parameters(pattern):
            values.setdefault(other, INT_SENTINEL + 1)
        try:
            template = url_for(name, values)
        except Exception:  # noqa: S112 - a pattern reverse cannot build: nothing to walk
            continue
        urls += [template.replace(str(sentinel), quote(value, safe=""), 1) for value in HOSTILE]
    return urls


def query_urls(name, url, client) -> list[str]:
    if name.startswith("admin:"):
        urls = [f"{url}?{urlencode(dict.fromkeys(ADMIN_QUERY_KEYS, value))}" for value in HOSTILE]
        if name.endswith("_changelist"):
            response = client.get(url)
            changelist = (getattr(response, "context", None) or {}).get("cl")
            keys = set()
            for spec in getattr(changelist, "filter_specs", []):
                keys.update(spec.expected_parameters())
            if changelist is not None and changelist.date_hierarchy:
                keys.update(f"{changelist.date_hierarchy}__{part}" for part in ("year", "month", "day"))
            urls += [f"{url}?{urlencode(dict.fromkeys(sorted(keys), value))}" for value in HOSTILE if keys]
        return urls
    return [f"{url}?{urlencode(dict.fromkeys(PUBLIC_QUERY_KEYS, value))}" for value in HOSTILE]


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())


def client_for(role) -> Client:
    client = Client(raise_request_exception=False)
    if ROLES[role]:
        client.force_login(get_user_model().objects.get(username=ROLES[role]))
    return client


@pytest.mark.parametrize("role", list(ROLES))
def test_no_hostile_path_or_query_gives_a_server_error(demo, role, caplog):
    caplog.set_level(logging.CRITICAL, logger="django.request")  # thousands of 4xx warnings
    caplog.set_level(logging.CRITICAL, logger="django.security")
    client = client_for(role)
    known = samples()
    failures, requested = [], 0
    for name, pattern in named_patterns():
        if name in SKIPPED:
            continue
        kwargs = sample_kwargs(name, pattern, known)
        urls = hostile_urls(name, pattern, kwargs)
        if kwargs is not None:
            url = url_for(name, kwargs)
            urls = [url, *urls, *query_urls(name, url, client)]
        for url in urls:
            response = client.get(url)
            requested += 1
            if response.status_code >= 500:
                failures.append(f"{response.status_code} {url[:160]}")
    assert requested > 1000
    assert not failures, "\n".join(failures)


def test_a_bad_host_header_gets_400_with_the_security_headers(demo):
    response = Client(raise_request_exception=False).get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_a_superscript_digit_as_township_is_no_server_error(demo):
    assert Client(raise_request_exception=False).get("/bases/", {"township": "²"}).status_code < 500


def test_an_escape_typed_into_a_title_is_refused_and_never_reaches_the_feed(demo):
    client = client_for("commission_admin")
    before = Publication.objects.count()
    response = client.post(reverse("admin:publications_publication_add"), {"title": "通报\x1b[0m", "kind": "news"})
    assert response.status_code == 400
    assert Publication.objects.count() == before
    assert Client().get(reverse("news-feed")).status_code == 200


def test_view_on_site_gives_no_secret_url_outside_the_users_admin(demo):
    """School staff may not follow the admin shortcut to a signature's certificate (its URL holds
    the verification code) or a booking (its reference) that their admin does not show them."""
    client = Client(raise_request_exception=False)
    client.force_login(get_user_model().objects.get(username="xiaoxue"))
    request = client.get("/admin/").wsgi_request
    for model in (Signature, VisitBooking):
        visible = admin.site._registry[model].get_queryset(request).values_list("pk", flat=True)
        hidden = model._default_manager.exclude(pk__in=list(visible)).order_by("pk").first()
        assert hidden is not None, model
        content_type = ContentType.objects.get_for_model(model)
        response = client.get(reverse("admin:view_on_site", args=[content_type.pk, hidden.pk]))
        assert response.status_code == 404, model
    admin_client = client_for("commission_admin")
    signature = Signature.objects.order_by("pk").first()
    response = admin_client.get(
        reverse("admin:view_on_site", args=[ContentType.objects.get_for_model(Signature).pk, signature.pk])
    )
    assert response.status_code == 302  # the administrator sees every signature in the admin


def test_a_zip_bomb_on_the_pledge_import_is_refused_with_a_message(demo):
    buffer = io.BytesIO()
    row = b"<row><c><v>1</v></c></row>" * 10_000
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            for _ in range(60 * 1024 * 1024 // len(row)):
                sheet.write(row)
    client = client_for("commission_admin")
    pledge = PledgeText.objects.order_by("pk").first()
    before = Signature.objects.count()
    response = client.post(
        reverse("admin:pledges_pledgetext_import", args=[pledge.pk]),
        {"file": SimpleUploadedFile("签名.xlsx", buffer.getvalue())},
    )
    assert response.status_code == 200
    assert "工作簿过大" in response.content.decode()
    assert Signature.objects.count() == before


# A control character already stored (typed before the request guard, or put in by a script) must
# not break the XML the site writes: the writers strip it with core.text.xml_safe.
def test_a_stored_escape_in_a_title_does_not_break_the_feed(demo):
    latest = Publication.objects.published().order_by("-pk").values("pk")[:1]
    Publication.objects.filter(pk__in=latest).update(title="通报\x1b[0m标题")
    response = Client(raise_request_exception=False).get(reverse("news-feed"))
    assert response.status_code == 200
    assert "通报[0m标题" in response.content.decode()


@pytest.mark.parametrize("name", ["reports:report-docx", "reports:report-xlsx"])
def test_a_stored_escape_in_a_unit_name_does_not_break_the_report_files(demo, name):
    Unit.objects.filter(code="CITY").update(name="云岭\x1b市")
    assert client_for("commission_admin").get(reverse(name)).status_code == 200
