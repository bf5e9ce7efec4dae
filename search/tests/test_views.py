"""The search page as a visitor uses it: the box in every header, results with 栏目 tabs and marked
words, every kind of bad input answered with a page (never a 500), and the rate limit."""

import datetime
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from bases.tests.factories import EducationBaseFactory
from core import ratelimit
from publications.models import Audience, Publication
from publications.tests.factories import PublicationFactory
from search.views import SEARCHES_PER_MINUTE

SEARCH = reverse("search:search")


@pytest.fixture
def items(city, township_a):
    EducationBaseFactory(name="清风园", unit=township_a, summary="廉洁文化主题公园，位于东山镇。")
    for number in range(1, 26):
        PublicationFactory(
            title=f"廉洁动态第{number}条",
            issuing_unit=city,
            issued_on=datetime.date(2020, 1, 1) + datetime.timedelta(days=number),
        )
    PublicationFactory(
        kind=Publication.Kind.CASE_BULLETIN,
        audience=Audience.CADRES,
        title="关于违规收受礼金问题的通报（2021年第4期）",
        summary="廉洁纪律方面的典型问题。",
        issuing_unit=city,
    )


@pytest.mark.parametrize("url", ["/", "/bases/", "/news/", "/campaigns/", "/pledges/"])
def test_every_public_page_has_the_search_box(client, items, url):
    page = client.get(url, follow=True).content.decode()
    assert f'action="{SEARCH}"' in page
    assert 'role="search"' in page and 'name="q"' in page


def test_the_box_is_there_in_elder_mode_too(client, items):
    client.post(reverse("portal:elder-mode"), {"enable": "1", "next": "/"})
    page = client.get("/").content.decode()
    assert "elder-mode" in page and f'action="{SEARCH}"' in page


def test_results_with_tabs_counts_marks_and_pages(client, items):
    response = client.get(SEARCH, {"q": "廉洁"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<mark>廉洁</mark>" in page
    assert "清风园" not in page  # a body hit, below the 25 title hits: on the second page
    assert "清风园" in client.get(SEARCH, {"q": "廉洁", "page": 2}).content.decode()
    assert "(26)" in page  # all: 25 news and the base
    assert "(25)" in page and "(1)" in page
    assert "违规收受礼金" not in page and "(27)" not in page
    second = client.get(SEARCH, {"q": "廉洁", "section": "news", "page": 2}).content.decode()
    assert "动态第1条<" in second  # the oldest, on the second page
    assert "清风园" not in second.split('class="result-list"')[1]


def test_cadre_finds_the_bulletin(client, items, cadre_a):
    client.force_login(cadre_a)
    page = client.get(SEARCH, {"q": "礼金"}).content.decode()
    assert "关于违规收受<mark>礼金</mark>问题的通报（2021年第4期）" in page


def test_content_is_escaped_in_titles_and_snippets(client, city):
    PublicationFactory(
        title="<script>alert(1)</script>廉洁", issuing_unit=city, summary="<img src=x onerror=alert(2)>廉洁提醒"
    )
    page = client.get(SEARCH, {"q": "廉洁"}).content.decode()
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<mark>廉洁</mark>" in page
    assert "&lt;img src=x onerror=alert(2)&gt;<mark>廉洁</mark>提醒" in page


def test_no_results_suggests_what_to_try(client, items):
    page = client.get(SEARCH, {"q": "廉洁 飞机"}).content.decode()
    assert "没有找到" in page and "减少" in page
    page = client.get(SEARCH, {"q": "清风", "section": "news"}).content.decode()
    assert "其他栏目" in page and "section=" not in page.split("其他栏目")[0].rsplit("<a href=", 1)[1]


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "廉洁 & !案",
        "'廉洁':*",
        '"廉洁" | (条例)',
        "廉洁 <-> 条例",
        "\\",
        "'; DROP TABLE search_entry; --",
        "%_%",
        "😀",
        "廉洁😀",
        "ｑｉｎｇ　ｆｅｎｇ",
        "a" * 50,
    ],
)
def test_odd_queries_get_a_page(client, items, query):
    response = client.get(SEARCH, {"q": query})
    assert response.status_code == 200


def test_a_long_query_is_refused_with_a_message(client, items):
    response = client.get(SEARCH, {"q": "廉" * 1000})
    assert response.status_code == 200
    assert "最多输入 50 个字" in response.content.decode()


@pytest.mark.parametrize("query", ["廉洁\x00", "\x1b[31m廉洁", "廉洁\x7f"])
def test_control_characters_get_the_bad_request_page(client, items, query):
    response = client.get(SEARCH, {"q": query})
    assert response.status_code == 400
    assert "请求" in response.content.decode()


@pytest.mark.parametrize("params", [{"page": "abc"}, {"page": "99999"}, {"section": "nope"}, {"within": "ever"}])
def test_odd_parameters_are_ignored_and_the_words_still_searched(client, items, params):
    response = client.get(SEARCH, {"q": "廉洁", **params})
    assert response.status_code == 200
    assert "<mark>廉洁</mark>" in response.content.decode()


def test_date_filter_narrows_results(client, city):
    PublicationFactory(title="近期廉洁提醒", issuing_unit=city, issued_on=timezone.localdate())
    PublicationFactory(title="往年廉洁提醒", issuing_unit=city, issued_on=datetime.date(2019, 1, 1))
    page = client.get(SEARCH, {"q": "提醒", "within": "year"}).content.decode()
    assert "近期" in page and "往年" not in page


def test_rate_limit_answers_429_in_chinese(client, items, monkeypatch):
    # One fixed window for the whole test: a minute boundary in the middle would reset the count.
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: 1_800_000_030.0))
    for number in range(SEARCHES_PER_MINUTE):
        assert client.get(SEARCH, {"q": f"廉洁{number}"}).status_code == 200
    response = client.get(SEARCH, {"q": "廉洁 再来一次"})
    assert response.status_code == 429
    assert "请求过多" in response.content.decode()


def test_query_count(client, items, cadre_a, django_assert_max_num_queries):
    client.force_login(cadre_a)
    client.get("/")  # navigation and site settings are remembered between pages
    with django_assert_max_num_queries(8):
        assert client.get(SEARCH, {"q": "廉洁 动态", "page": 2}).status_code == 200
