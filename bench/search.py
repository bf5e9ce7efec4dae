"""Benchmark of the site search over whatever the index holds (PostgreSQL for the real thing).

    DJANGO_DEBUG=1 DATABASE_URL=… .venv/bin/python manage.py generate_bulk --scale 80
    DJANGO_DEBUG=1 DATABASE_URL=… .venv/bin/python bench/search.py [--repeat 50] [--rebuild]

`--rebuild` first times `index_rebuild` (what `manage.py rebuild_search_index` runs). Then, for each
query, as an anonymous visitor and as a cadre: the median and 95th percentile of

- `search`: what the page asks the database — the counts per 栏目 and the first page of ranked
  results (the same calls as search.views), and
- `page`: the whole results page rendered through Django's test client, the page cache bypassed,

after one warm-up. Each request comes from another client address, so the rate limit stays out of
the measurement. It measures, it does not assert.
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
from django.contrib.auth.models import AnonymousUser  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402

from bases.models import EducationBase  # noqa: E402
from search.models import Entry  # noqa: E402
from search.services import index_rebuild, search  # noqa: E402
from search.text import query_words  # noqa: E402
from units.models import Membership  # noqa: E402

QUERIES = ["廉洁 教育", "案例 通报", "学习 研讨", "警示 教育", "家风 建设", "廉洁", "案", "2021年第4期", "12388"]


def percentile(timings, share):
    ordered = sorted(timings)
    return ordered[min(int(len(ordered) * share), len(ordered) - 1)]


def time_search(user, query, repeat):
    words = query_words(query)
    timings = []
    for _ in range(repeat + 1):
        started = time.perf_counter()
        results = search(user=user, words=words)
        timings.append((time.perf_counter() - started) * 1000)
    return timings[1:], results.total


def time_page(client, query, repeat):
    timings = []
    for number in range(repeat + 1):
        started = time.perf_counter()
        response = client.get(
            "/search/",
            {"q": query},
            headers={"cookie": "bench-render=1"},
            REMOTE_ADDR=f"10.9.{number // 250}.{number % 250}",
        )
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{query} answered {response.status_code}")
    return timings[1:]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--rebuild", action="store_true")
    arguments = parser.parse_args()
    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    if arguments.rebuild:
        started = time.monotonic()
        written = index_rebuild()
        print(f"rebuild: {written} items in {time.monotonic() - started:.1f} s")
    sections = dict(Entry.objects.values_list("section").annotate(n=Count("pk")).order_by())
    print(f"indexed: {sum(sections.values())} items {sections} on {connection.vendor}")
    cadre = Membership.objects.filter(role=Membership.Role.CADRE, user__is_active=True).first().user
    clients = {"anonymous": Client(), "cadre": Client()}
    clients["cadre"].force_login(cadre)
    users = {"anonymous": AnonymousUser(), "cadre": cadre}
    base = EducationBase.objects.published().order_by("pk").last()
    queries = QUERIES + ([base.name] if base else [])
    print(f"{'query':16} {'who':10} {'found':>7} {'search p50':>11} {'p95':>7} {'page p50':>9} {'p95':>7}  ms")
    for query in queries:
        for who in ("anonymous", "cadre"):
            search_ms, found = time_search(users[who], query, arguments.repeat)
            page_ms = time_page(clients[who], query, arguments.repeat)
            search_p50, search_p95 = statistics.median(search_ms), percentile(search_ms, 0.95)
            page_p50, page_p95 = statistics.median(page_ms), percentile(page_ms, 0.95)
            timings = f"{search_p50:11.1f} {search_p95:7.1f} {page_p50:9.1f} {page_p95:7.1f}"
            print(f"{query:16} {who:10} {found:7d} {timings}")


if __name__ == "__main__":
    main()
