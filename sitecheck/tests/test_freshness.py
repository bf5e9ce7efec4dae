import datetime

import pytest
from django.utils import timezone

from bases.tests.factories import EducationBaseFactory
from publications.models import Publication
from publications.tests.factories import PublicationFactory
from sitecheck.selectors import column_freshness, overdue_count

pytestmark = pytest.mark.django_db


def _published_days_ago(item, days):
    # published_at is stamped by the system and cannot be set through a form or a service: the
    # test moves it back in time directly.
    type(item).objects.filter(pk=item.pk).update(published_at=timezone.now() - datetime.timedelta(days=days))


def _row(key):
    return next(row for row in column_freshness() if row.column.key == key)


@pytest.mark.parametrize(("days", "overdue"), [(13, False), (14, False), (15, True)])
def test_a_news_column_is_overdue_after_two_weeks(days, overdue):
    _published_days_ago(PublicationFactory(kind=Publication.Kind.NEWS), days)
    row = _row("publications-news")
    assert row.column.news and row.limit_days == 14
    assert bool(row.overdue_days(timezone.localdate())) is overdue


def test_other_columns_have_six_months():
    _published_days_ago(EducationBaseFactory(), 100)
    _published_days_ago(PublicationFactory(kind=Publication.Kind.STUDY_MATERIAL), 200)
    today = timezone.localdate()
    assert _row("bases").limit_days == 183 and not _row("bases").overdue_days(today)
    assert _row("publications-study_material").overdue_days(today) == 17


def test_the_rules_are_settings(settings):
    settings.SITECHECK_NEWS_DAYS = 30
    _published_days_ago(PublicationFactory(kind=Publication.Kind.NOTICE), 20)
    assert _row("publications-notice").limit_days == 30
    assert overdue_count() == 0
    settings.SITECHECK_NEWS_DAYS = 7
    assert overdue_count() == 1


def test_the_newest_item_dates_a_column_and_drafts_and_restricted_items_do_not_count():
    _published_days_ago(PublicationFactory(kind=Publication.Kind.NEWS), 20)
    newest = PublicationFactory(kind=Publication.Kind.NEWS)
    PublicationFactory(kind=Publication.Kind.NEWS, is_published=False)
    PublicationFactory(kind=Publication.Kind.NEWS, audience="cadres")
    newest.refresh_from_db()
    row = _row("publications-news")
    assert row.items == 2 and row.last_update == newest.published_at


def test_every_public_column_is_listed_and_the_cadres_column_is_not():
    keys = [row.column.key for row in column_freshness()]
    assert {"bases", "campaigns", "pledges", "publications", "publications-news"} <= set(keys)
    assert "bulletins" not in keys
    empty = _row("bases")
    assert empty.items == 0 and empty.last_update is None and empty.overdue_days(timezone.localdate()) == 0


def test_the_freshness_takes_one_query_per_column(django_assert_max_num_queries):
    for _ in range(5):
        PublicationFactory()
        EducationBaseFactory()
    columns = len(column_freshness())
    with django_assert_max_num_queries(columns):
        column_freshness()
