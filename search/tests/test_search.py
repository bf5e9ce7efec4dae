"""What a visitor finds: Chinese words, single characters, issue numbers, digits; in the order a
person expects; never an item they may not read."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection

from bases.tests.factories import EducationBaseFactory, ExhibitionSectionFactory
from campaigns.tests.factories import CampaignFactory, make_record
from pledges.tests.factories import PledgeTextFactory
from publications.models import Audience, Publication
from publications.tests.factories import PublicationFactory
from search.services import search
from search.text import query_words

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="ranking is PostgreSQL's (set DATABASE_URL)"
)


def titles(user, query, section=""):
    return [entry.title for entry in search(user=user, words=query_words(query), section=section, per_page=100).hits]


@pytest.fixture
def site(city, township_a):
    """A small site: two bases, a campaign with a record, news, a pledge and three bulletins."""
    base = EducationBaseFactory(
        name="清风园", unit=township_a, summary="集红色教育、警示教育于一体的廉洁文化主题公园。", address="东山镇滨河路"
    )
    ExhibitionSectionFactory(base=base, title="忠诚干净担当展区", text="以廉洁为主题的展陈。")
    EducationBaseFactory(name="红星村示范村", unit=township_a, summary="村民身边的文化阵地。")
    campaign = CampaignFactory(title="《条例》学习月", summary="全市党员干部学习纪律处分条例。", organisers=[city])
    make_record(township_a, datetime.date(2021, 5, 6), campaign=campaign, title="东山镇《条例》学习研讨")
    PublicationFactory(
        title="市纪委召开廉洁教育工作会议",
        issuing_unit=city,
        body="<p>会议部署廉洁文化建设。</p>",
        issued_on=datetime.date(2021, 3, 1),
    )
    PublicationFactory(
        title="廉洁家风故事汇编出版",
        issuing_unit=city,
        body="<p>收录家风故事，弘扬廉洁精神。</p>",
        issued_on=datetime.date(2021, 6, 1),
    )
    PublicationFactory(
        title="举报电话公告",
        issuing_unit=city,
        body="<p>监督举报电话12388全天受理。</p>",
        issued_on=datetime.date(2020, 1, 1),
    )
    PledgeTextFactory(title="廉洁从政承诺书", body="<p>我承诺：严守纪律，廉洁自律。</p>", issuing_unit=city)
    for number, title in [(3, "违反中央八项规定精神典型问题的通报"), (4, "违反中央八项规定精神典型问题的通报")]:
        PublicationFactory(
            kind=Publication.Kind.CASE_BULLETIN,
            audience=Audience.CADRES,
            title=f"关于3起{title}（2021年第{number}期）",
            series="案例通报",
            year=2021,
            issue_number=number,
            issuing_unit=city,
            body=f"<p>第{number}期通报了违纪案件。</p>",
            # The third issue holds a 4 too, away from its issue number.
            summary="本期通报4起问题" if number == 3 else "本期通报3起问题",
            issued_on=datetime.date(2021, number * 2, 1),
        )
    return base


def test_two_character_word_finds_title_and_body_hits_title_first(site):
    found = titles(AnonymousUser(), "廉洁")
    assert "市纪委召开廉洁教育工作会议" in found
    assert "清风园" in found  # in its summary and an exhibition section
    title_hits = [title for title in found if "廉洁" in title]
    assert found[: len(title_hits)] == title_hits  # items with 廉洁 in the title come first


def test_single_character_finds_words_containing_it(site, cadre_a):
    assert titles(AnonymousUser(), "案") == []
    assert titles(cadre_a, "案") == [
        "关于3起违反中央八项规定精神典型问题的通报（2021年第4期）",
        "关于3起违反中央八项规定精神典型问题的通报（2021年第3期）",
    ]


def test_word_in_a_campaign_and_its_record(site):
    found = titles(AnonymousUser(), "条例")
    assert set(found) == {"《条例》学习月", "东山镇《条例》学习研讨"}


def test_digits_and_a_base_name(site):
    assert titles(AnonymousUser(), "12388") == ["举报电话公告"]
    assert titles(AnonymousUser(), "清风园")[0] == "清风园"


def test_the_item_named_as_asked_comes_first(site, city):
    """A news item about 清风园, newer and with the name in its title and all over its text, still
    comes after the base itself when the base's name is what was asked."""
    PublicationFactory(
        title="清风园完成提升改造",
        issuing_unit=city,
        body="<p>清风园提升改造完成。清风园新增展区，清风园对外开放。</p>",
        issued_on=datetime.date(2030, 1, 1),
    )
    assert titles(AnonymousUser(), "清风园")[:2] == ["清风园", "清风园完成提升改造"]


def test_words_are_all_required(site):
    assert titles(AnonymousUser(), "廉洁 家风") == ["廉洁家风故事汇编出版"]
    assert titles(AnonymousUser(), "廉洁 飞机") == []


def test_restricted_items_only_for_cadres(site, cadre_a):
    anonymous = titles(AnonymousUser(), "2021年第4期")
    assert anonymous == []
    assert titles(cadre_a, "2021年第4期")[0] == "关于3起违反中央八项规定精神典型问题的通报（2021年第4期）"


def test_every_word_of_restricted_titles_stays_hidden_from_the_public(site):
    """Anonymous searches for each word of each restricted title (and the title itself) find none
    of the restricted items, and count none of them."""
    restricted = Publication.objects.exclude(audience=Audience.PUBLIC)
    assert restricted.count() == 2
    public_titles = set(Publication.objects.filter(audience=Audience.PUBLIC).values_list("title", flat=True))
    for item in restricted:
        for query in [item.title, *query_words(item.title), item.series]:
            results = search(user=AnonymousUser(), words=query_words(query), per_page=100)
            found = [entry.title for entry in results.hits]
            assert item.title not in found
            assert set(found) <= public_titles | {
                "清风园",
                "红星村示范村",
                "《条例》学习月",
                "东山镇《条例》学习研讨",
                "廉洁从政承诺书",
            }
            assert results.count("bulletins") == 0


def test_date_filter(site):
    results = search(user=AnonymousUser(), words=query_words("廉洁"), since=datetime.date(2021, 4, 1), section="news")
    found = [entry.title for entry in results.hits]
    assert found == ["廉洁家风故事汇编出版"]


def test_counts_per_section(site, cadre_a):
    results = search(user=cadre_a, words=query_words("通报"))
    assert results.count("bulletins") == 2
    assert results.total == 2
    assert [code for code, _label, _count in results.sections] == ["bulletins"]


@postgres_only
def test_issue_number_as_written_ranks_first(site, cadre_a):
    """2021年第4期 finds the fourth issue first: its words stand together as typed; the third issue
    has them too (2021, 年, 第, 期, and a 4 elsewhere), scattered."""
    found = titles(cadre_a, "2021年第4期")
    assert found[0] == "关于3起违反中央八项规定精神典型问题的通报（2021年第4期）"


@postgres_only
def test_newer_first_on_equal_rank(city):
    for year in (2019, 2022, 2020):
        PublicationFactory(title=f"廉洁宣传周{year}", issuing_unit=city, issued_on=datetime.date(year, 1, 1))
    assert titles(AnonymousUser(), "宣传周") == ["廉洁宣传周2022", "廉洁宣传周2020", "廉洁宣传周2019"]


@postgres_only
def test_title_hit_above_body_hit_regardless_of_date(city):
    PublicationFactory(
        title="新闻一则", issuing_unit=city, body="<p>谈到家风建设。</p>", issued_on=datetime.date(2023, 1, 1)
    )
    PublicationFactory(title="家风建设座谈会", issuing_unit=city, issued_on=datetime.date(2019, 1, 1))
    assert titles(AnonymousUser(), "家风") == ["家风建设座谈会", "新闻一则"]


def test_staff_items_for_staff_only(city, staff_a, cadre_a):
    PublicationFactory(title="填报工作要点", audience=Audience.STAFF, issuing_unit=city)
    assert titles(AnonymousUser(), "填报") == []
    assert titles(cadre_a, "填报") == []
    assert titles(staff_a, "填报") == ["填报工作要点"]
