"""Benchmark of the public and staff pages over whatever data the database holds.

    DJANGO_DEBUG=1 .venv/bin/python manage.py load_demo
    DJANGO_DEBUG=1 .venv/bin/python manage.py generate_bulk --scale 5
    DJANGO_DEBUG=1 .venv/bin/python bench/run.py [--repeat 20]

For each page: median and 90th-percentile time over the repeats (after one warm-up request) and
the number of SQL queries, through Django's test client (no network, no browser). Run it on an
otherwise idle machine; it measures, it does not assert.
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

from bases.models import EducationBase  # noqa: E402
from campaigns.models import Campaign  # noqa: E402
from publications.models import Publication  # noqa: E402
from units.models import Membership  # noqa: E402


def pages():
    base = EducationBase.objects.published().first()
    campaign = Campaign.objects.published().first()
    public_item = Publication.objects.published().filter(audience="public").first()
    return [
        ("anonymous", "/"),
        ("anonymous", "/bases/"),
        ("anonymous", base.get_absolute_url() if base else "/bases/"),
        ("anonymous", "/campaigns/"),
        ("anonymous", campaign.get_absolute_url() if campaign else "/campaigns/"),
        ("anonymous", "/publications/"),
        ("anonymous", public_item.get_absolute_url() if public_item else "/publications/"),
        ("anonymous", "/stats/"),
        ("cadre", "/bulletins/"),
        ("cadre", "/pledges/"),
        ("admin", "/admin/"),
        ("admin", "/admin/campaigns/activityrecord/"),
        ("admin", "/reports/?start=2020-01-01&end=2022-09-06"),
    ]


def client_for(role):
    client = Client()
    if role == "cadre":
        membership = Membership.objects.filter(role=Membership.Role.CADRE).select_related("user").first()
        client.force_login(membership.user)
    elif role == "admin":
        membership = Membership.objects.filter(role=Membership.Role.COMMISSION_ADMIN).select_related("user").first()
        client.force_login(membership.user)
    return client


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    arguments = parser.parse_args()
    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    clients = {role: client_for(role) for role in ("anonymous", "cadre", "admin")}
    print(f"{'page':60} {'median ms':>10} {'p90 ms':>8} {'queries':>8}")
    for role, url in pages():
        client = clients[role]
        client.get(url)
        timings = []
        for _ in range(arguments.repeat):
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
        timings.sort()
        p90 = timings[int(len(timings) * 0.9) - 1]
        print(f"{role + ' ' + url:60.60} {statistics.median(timings):10.1f} {p90:8.1f} {len(queries):8d}")


if __name__ == "__main__":
    main()
