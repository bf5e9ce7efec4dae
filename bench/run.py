"""Benchmark of the public and staff pages over whatever data the database holds.

    DJANGO_DEBUG=1 .venv/bin/python manage.py load_demo
    DJANGO_DEBUG=1 .venv/bin/python manage.py generate_bulk --scale 5
    DJANGO_DEBUG=1 .venv/bin/python bench/run.py [--repeat 20]

For each page: median and 90th-percentile time over the repeats (after one warm-up request) and
the number of SQL queries, through Django's test client (no network, no browser). Anonymous pages
are measured twice: as served from the page cache, and rendered (with a cookie that makes the page
cache pass the request on). Staff pass two-factor authentication the way the test suite does. Run it
on an otherwise idle machine; it measures, it does not assert.

`--urls anonymous|cadre` prints the pages of one kind instead, and `--session cadre` logs the cadre
in and prints the session cookie's value: bench/throughput.sh loads the same pages over HTTP.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bases.models import EducationBase, VisitBooking  # noqa: E402
from campaigns.models import Campaign  # noqa: E402
from pledges.models import Signature  # noqa: E402
from publications.models import Publication  # noqa: E402
from security.tests.mfa import second_factor_passed_at_login  # noqa: E402
from units.models import Membership, Unit  # noqa: E402


def first_member(role):
    return Membership.objects.filter(role=role, user__is_active=True).select_related("user", "unit").first()


def pages():
    """(who, url) for every page measured; anonymous pages also measured with the cache bypassed."""
    base = EducationBase.objects.published().first()
    campaign = Campaign.objects.published().first()
    public_item = Publication.objects.published().filter(audience="public").first()
    cadre = first_member(Membership.Role.CADRE)
    restricted = Publication.objects.published().exclude(audience="public").first()
    signature = Signature.objects.filter(user=cadre.user).first()
    booking = VisitBooking.objects.filter(booked_by=cadre.user).first()
    township = Unit.objects.filter(kind=Unit.Kind.TOWNSHIP).order_by("path").first()
    anonymous = [
        "/",
        "/bases/",
        base.get_absolute_url() if base else "/bases/",
        "/campaigns/",
        campaign.get_absolute_url() if campaign else "/campaigns/",
        "/publications/",
        public_item.get_absolute_url() if public_item else "/publications/",
        "/stats/",
        "/news/feed/",
        "/sitemap.xml",
        "/sitemap-publications.xml",
    ]
    cadre_pages = [
        "/bulletins/",
        restricted.get_absolute_url() if restricted else "/bulletins/",
        "/pledges/",
        "/bases/my-bookings/",
        signature.get_absolute_url() if signature else "/pledges/",
        booking.get_absolute_url() if booking else "/bases/my-bookings/",
    ]
    return (
        [("anonymous", url) for url in anonymous]
        + [("anonymous, rendered", url) for url in anonymous]
        + [("cadre", url) for url in cadre_pages]
        + [
            ("admin", "/admin/"),
            ("admin", "/admin/campaigns/activityrecord/"),
            ("admin", "/admin/pledges/signature/"),
            ("admin", "/reports/?start=2019-01-01&end=2026-12-31"),
            ("admin", "/reports/?start=2020-01-01&end=2022-09-06"),
            ("admin", f"/reports/?start=2019-01-01&end=2026-12-31&unit={township.pk}"),
            ("admin", "/reports/report.docx?start=2019-01-01&end=2026-12-31"),
            ("admin", "/reports/figures.xlsx?start=2019-01-01&end=2026-12-31"),
        ]
    )


def client_for(role):
    client = Client()
    if role == "cadre":
        client.force_login(first_member(Membership.Role.CADRE).user)
    elif role == "admin":
        with second_factor_passed_at_login():
            client.force_login(first_member(Membership.Role.COMMISSION_ADMIN).user)
    return client


def measure(client, url, *, repeat, rendered):
    # A cookie the page cache does not know makes it render the page (and leaves what it
    # remembers between pages, such as the navigation, in place).
    headers = {"cookie": "bench-render=1"} if rendered else {}
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, headers=headers)
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    timings.sort()
    return statistics.median(timings), timings[max(int(len(timings) * 0.9) - 1, 0)], len(queries)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--urls", choices=["anonymous", "cadre"])
    parser.add_argument("--session", choices=["cadre"])
    arguments = parser.parse_args()
    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    if arguments.urls:
        print("\n".join(url for who, url in pages() if who == arguments.urls))
        return
    if arguments.session:
        print(client_for(arguments.session).cookies[settings.SESSION_COOKIE_NAME].value)
        return
    clients = {role: client_for(role) for role in ("anonymous", "cadre", "admin")}
    print(f"{'page':64} {'median ms':>10} {'p90 ms':>8} {'queries':>8}")
    for who, url in pages():
        client = clients[who.split(",")[0]]
        client.get(url)
        median, p90, queries = measure(client, url, repeat=arguments.repeat, rendered=who.endswith("rendered"))
        print(f"{who + ' ' + url:64.64} {median:10.1f} {p90:8.1f} {queries:8d}")


if __name__ == "__main__":
    main()
