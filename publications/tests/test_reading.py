"""An article as a reader meets it: the issue named once, no summary repeated by the body, 上一篇 /
下一篇 within the column, print and text-size tools, and the right column highlighted."""

import datetime

import pytest
from django.utils import timezone

from publications.models import Publication
from publications.tests.factories import PublicationFactory


def published(days_ago, **fields):
    item = PublicationFactory(**fields)
    moment = timezone.now() - datetime.timedelta(days=days_ago)
    Publication.objects.filter(pk=item.pk).update(published_at=moment)
    item.refresh_from_db()
    return item


def test_an_issue_number_in_the_title_is_not_repeated(client, city, cadre_a):
    item = PublicationFactory(
        kind="case_bulletin",
        audience="cadres",
        issuing_unit=city,
        title="关于3起典型问题的通报（2021年第4期）",
        series="典型案例通报",
        year=2021,
        issue_number=4,
    )
    other = PublicationFactory(issuing_unit=city, kind="work_points", title="工作要点", year=2020, issue_number=1)
    client.force_login(cadre_a)
    page = client.get("/bulletins/").content.decode()
    assert page.count("2021年第4期") == 1
    assert other.title_with_issue == "工作要点（2020年第1期）"
    detail = client.get(item.get_absolute_url()).content.decode()
    assert "<h1>关于3起典型问题的通报（2021年第4期）</h1>" in detail
    assert "（2021年第4期）（2021年第4期）" not in detail


def test_a_summary_that_opens_the_body_is_not_shown_twice(client, city):
    item = PublicationFactory(issuing_unit=city, summary="全市开展廉洁家访。", body="<p>全市开展廉洁家访。各镇…</p>")
    assert client.get(item.get_absolute_url()).content.decode().count("全市开展廉洁家访") == 2  # meta and body
    distinct = PublicationFactory(issuing_unit=city, summary="一句导语", body="<p>正文另起</p>")
    assert 'class="lead">一句导语' in client.get(distinct.get_absolute_url()).content.decode()


def test_previous_and_next_stay_in_the_column_and_in_what_the_reader_may_read(client, city):
    oldest = published(30, issuing_unit=city, kind="news", title="最早的新闻")
    middle = published(20, issuing_unit=city, kind="news", title="中间的新闻")
    published(25, issuing_unit=city, kind="notice", title="另一栏目的通知")
    published(22, issuing_unit=city, kind="news", audience="cadres", title="干部才能看的新闻")
    newest = published(10, issuing_unit=city, kind="news", title="最新的新闻")
    page = client.get(middle.get_absolute_url()).content.decode()
    nav = page[page.index('class="prev-next') :]
    assert "最早的新闻" in nav and "最新的新闻" in nav
    assert "另一栏目的通知" not in nav and "干部才能看的新闻" not in nav
    assert nav.index("最早的新闻") < nav.index("最新的新闻")
    first = client.get(oldest.get_absolute_url()).content.decode()
    assert "上一篇：无" in first
    assert "下一篇：无" in client.get(newest.get_absolute_url()).content.decode()


def test_articles_have_print_and_text_size_tools(client, city):
    page = client.get(PublicationFactory(issuing_unit=city).get_absolute_url()).content.decode()
    assert "data-print" in page and 'data-text-size="1"' in page and "js/print.js" in page


@pytest.mark.parametrize("kind", ["case_bulletin"])
def test_a_bulletin_page_highlights_the_bulletins_column(client, city, cadre_a, kind):
    item = PublicationFactory(kind=kind, audience="cadres", issuing_unit=city)
    client.force_login(cadre_a)
    page = client.get(item.get_absolute_url()).content.decode()
    assert 'href="/bulletins/" aria-current="page"' in page
    assert 'href="/publications/" aria-current="page"' not in page
