"""The back office of publications: print-run totals, the distribution ledger, read rates for
the staff of the units an item reaches, and the history pages."""

import datetime
import io
import re

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from publications.models import Audience, Publication
from publications.services import receipt_confirm
from publications.tests.factories import PublicationFactory
from units.models import Membership
from units.tests.factories import make_member

PERIOD = {"start": "2020-01-01", "end": "2020-12-31"}


def cells(html: str, heading_row: str) -> list[list[str]]:
    """The rows of the table whose header row contains `heading_row`, as lists of cell texts."""
    table = next(t for t in re.findall(r"<table.*?</table>", html, re.S) if heading_row in t)
    rows = re.findall(r"<tr>(.*?)</tr>", re.sub(r"<thead>.*?</thead>", "", table, flags=re.S), re.S)
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[dh]>(.*?)</t[dh]>", row, re.S)]
        for row in rows
    ]


def workbook_rows(response, sheet=None) -> list[tuple]:
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    return list((workbook[sheet] if sheet else workbook.active).iter_rows(values_only=True))


@pytest.fixture
def work_points(city, township_a, township_b, village_a):
    """110 copies printed, handed out in five ledger rows (two of them to 东山镇 on one day)."""
    item = PublicationFactory(
        title="《2020纪检监察工作要点》",
        kind=Publication.Kind.WORK_POINTS,
        copies_printed=110,
        issued_on=datetime.date(2020, 3, 2),
        issuing_unit=city,
    )
    for unit, copies, day in [
        (township_a, 30, 5),
        (township_a, 10, 5),
        (village_a, 20, 5),
        (township_b, 40, 5),
        (township_a, 5, 20),
    ]:
        item.distributions.create(unit=unit, copies=copies, date=datetime.date(2020, 3, day))
    return item


# 1. Print runs and the distribution ledger


def test_totals_count_each_print_run_once_however_many_distributions(client, commission_admin, work_points, city):
    study = PublicationFactory(
        kind=Publication.Kind.STUDY_MATERIAL, copies_printed=200, issued_on=datetime.date(2020, 5, 1), issuing_unit=city
    )
    study.distributions.create(unit=city, copies=60, date=datetime.date(2020, 5, 2))
    study.distributions.create(unit=city, copies=50, date=datetime.date(2020, 5, 3))
    client.force_login(commission_admin)
    page = client.get(reverse("admin:publications_publication_totals"), PERIOD).content.decode()
    per_kind = cells(page, "印刷份数")
    assert ["工作要点", "110", "105"] in per_kind and ["学习资料", "200", "110"] in per_kind
    per_item = cells(page, "印发日期")
    assert ["《2020纪检监察工作要点》", "工作要点", "2020-03-02", "110", "105", "查看各单位发放份数"] in per_item
    assert reverse("admin:publications_publication_distributions", args=[work_points.pk]) in page


def test_staff_totals_hold_only_their_own_print_runs(client, staff_a, township_a, work_points):
    own = PublicationFactory(
        kind=Publication.Kind.STUDY_MATERIAL,
        title="东山镇学习资料",
        copies_printed=40,
        issued_on=datetime.date(2020, 6, 1),
        issuing_unit=township_a,
    )
    own.distributions.create(unit=township_a, copies=15, date=datetime.date(2020, 6, 2))
    own.distributions.create(unit=township_a, copies=15, date=datetime.date(2020, 6, 3))
    client.force_login(staff_a)
    page = client.get(reverse("admin:publications_publication_totals"), PERIOD).content.decode()
    assert ["学习资料", "40", "30"] in cells(page, "印刷份数")
    assert "工作要点" not in page


def test_publication_change_page_links_to_its_ledger(admin_client, work_points):
    page = admin_client.get(reverse("admin:publications_publication_change", args=[work_points.pk])).content.decode()
    assert reverse("admin:publications_publication_distributions", args=[work_points.pk]) in page


def test_ledger_lists_copies_per_receiving_unit_and_date_and_exports_them(client, commission_admin, work_points):
    client.force_login(commission_admin)
    url = reverse("admin:publications_publication_distributions", args=[work_points.pk])
    page = client.get(url).content.decode()
    assert cells(page, "接收单位") == [
        ["东山镇", "40", "2020-03-05"],
        ["东山镇", "5", "2020-03-20"],
        ["向阳村", "20", "2020-03-05"],
        ["西河镇", "40", "2020-03-05"],
        ["合计", "105", ""],
    ]
    assert "印刷份数：110" in page.replace(" ", "") and "尚未发放：5" in page.replace(" ", "")
    rows = workbook_rows(client.get(url, {"format": "xlsx"}))
    assert [row[:2] for row in rows] == [
        ("接收单位", "份数"),
        ("东山镇", 40),
        ("东山镇", 5),
        ("向阳村", 20),
        ("西河镇", 40),
        ("合计", 105),
    ]
    assert rows[1][2].date() == datetime.date(2020, 3, 5)


def test_township_staff_see_only_their_units_in_a_city_items_ledger(client, staff_a, work_points):
    client.force_login(staff_a)
    url = reverse("admin:publications_publication_distributions", args=[work_points.pk])
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert [row[0] for row in cells(page, "接收单位")] == ["东山镇", "东山镇", "向阳村", "合计"]
    assert "西河镇" not in page and "65" in cells(page, "接收单位")[-1]
    assert reverse("admin:publications_publication_change", args=[work_points.pk]) not in page
    rows = workbook_rows(client.get(url, {"format": "xlsx"}))
    assert [row[0] for row in rows] == ["接收单位", "东山镇", "东山镇", "向阳村", "合计"]


def test_staff_see_the_whole_ledger_of_their_own_item(client, staff_a, township_a, township_b):
    item = PublicationFactory(title="东山镇读本", copies_printed=10, issuing_unit=township_a)
    item.distributions.create(unit=township_b, copies=4, date=datetime.date(2020, 1, 2))
    client.force_login(staff_a)
    page = client.get(reverse("admin:publications_publication_distributions", args=[item.pk])).content.decode()
    assert cells(page, "接收单位") == [["西河镇", "4", "2020-01-02"], ["合计", "4", ""]]


def test_ledger_of_an_item_that_never_reached_the_staff_is_not_found(client, staff_a, city, township_b):
    item = PublicationFactory(title="西河镇专送", copies_printed=10, issuing_unit=city)
    item.distributions.create(unit=township_b, copies=4, date=datetime.date(2020, 1, 2))
    client.force_login(staff_a)
    url = reverse("admin:publications_publication_distributions", args=[item.pk])
    assert client.get(url).status_code == 404
    assert client.get(url, {"format": "xlsx"}).status_code == 404


def test_totals_and_ledger_pages_run_a_bounded_number_of_queries(
    client, commission_admin, city, township_a, django_assert_max_num_queries
):
    for number in range(30):
        item = PublicationFactory(
            title=f"读本{number}", copies_printed=10, issued_on=datetime.date(2020, 4, 1), issuing_unit=city
        )
        for day in range(1, 6):
            item.distributions.create(unit=township_a, copies=1, date=datetime.date(2020, 4, day))
    client.force_login(commission_admin)
    # Four of these are the request's own (session, user, second factor, account state).
    with django_assert_max_num_queries(14):
        assert client.get(reverse("admin:publications_publication_totals"), PERIOD).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("admin:publications_publication_distributions", args=[item.pk])).status_code == 200


# 2. Read rates of shared items for the staff of the units they reach


@pytest.fixture
def city_bulletin(city, village_a, village_b, township_a):
    """A bulletin of the city commission, read by one cadre in each township."""
    item = PublicationFactory(
        title="市纪委典型问题通报", kind=Publication.Kind.CASE_BULLETIN, audience=Audience.CADRES, issuing_unit=city
    )
    receipt_confirm(publication=item, user=make_member(village_a, username="a_read", first_name="东山已学"))
    make_member(village_a, username="a_unread", first_name="东山未学")
    receipt_confirm(publication=item, user=make_member(village_b, username="b_read", first_name="西河已学"))
    receipt_confirm(publication=item, user=make_member(village_b, username="b_read2", first_name="西河已学二"))
    make_member(village_b, username="b_unread", first_name="西河未学")
    return item


def test_township_staff_see_a_city_bulletins_read_rate_over_their_cadres_only(client, staff_a, city_bulletin):
    client.force_login(staff_a)
    url = reverse("admin:publications_publication_read_rates", args=[city_bulletin.pk])
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert cells(page, "名册") == [["东山镇", "1", "0", "0%"], ["向阳村", "2", "1", "50%"]]
    assert "东山未学" in page
    for other in ("西河镇", "河口村", "西河已学", "西河未学"):
        assert other not in page
    assert reverse("admin:publications_publication_change", args=[city_bulletin.pk]) not in page
    rates = workbook_rows(client.get(url, {"format": "xlsx"}), "学习情况")
    assert [row[:3] for row in rates] == [("单位", "名册人数", "已学习"), ("东山镇", 1, 0), ("向阳村", 2, 1)]
    unread = workbook_rows(client.get(url, {"format": "xlsx"}), "未学习名单")
    assert {row[1] for row in unread[1:]} == {"东山未学", staff_a.get_full_name()}


def test_read_rate_list_offers_city_bulletins_counted_over_the_staffs_cadres(client, staff_a, city_bulletin):
    client.force_login(staff_a)
    page = client.get(reverse("admin:publications_publication_read_rate_list")).content.decode()
    # 东山镇's roster: staff_a, a_read and a_unread; only a_read studied (西河镇's two readers are not counted).
    assert [
        "市纪委典型问题通报",
        "云岭市",
        f"{timezone.localdate(city_bulletin.published_at):%Y-%m-%d}",
        "1",
        "33%",
        "查看各单位学习情况",
    ] in cells(page, "学习率")
    assert reverse("admin:publications_publication_read_rates", args=[city_bulletin.pk]) in page
    changelist = client.get(reverse("admin:publications_publication_changelist")).content.decode()
    assert reverse("admin:publications_publication_read_rate_list") in changelist


def test_commission_admin_sees_every_units_cadres(client, commission_admin, city_bulletin):
    client.force_login(commission_admin)
    page = client.get(reverse("admin:publications_publication_read_rates", args=[city_bulletin.pk])).content.decode()
    assert ["河口村", "3", "2", "67%"] in cells(page, "名册") and "西河未学" in page


def test_a_cadre_gets_no_read_rates(client, cadre_a, city_bulletin):
    client.force_login(cadre_a)
    for url in [
        reverse("admin:publications_publication_read_rates", args=[city_bulletin.pk]),
        reverse("admin:publications_publication_read_rate_list"),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and reverse("admin:login") in response["Location"]


def test_city_drafts_reach_staff_only_once_distributed_to_their_units(client, staff_a, city, township_a):
    draft = PublicationFactory(
        title="市纪委内部通报草稿",
        audience=Audience.CADRES,
        kind=Publication.Kind.CASE_BULLETIN,
        is_published=False,
        issuing_unit=city,
    )
    client.force_login(staff_a)
    url = reverse("admin:publications_publication_read_rates", args=[draft.pk])
    assert client.get(url).status_code == 404
    assert (
        "市纪委内部通报草稿"
        not in client.get(reverse("admin:publications_publication_read_rate_list")).content.decode()
    )
    draft.distributions.create(unit=township_a, copies=3, date=datetime.date(2020, 1, 2))
    assert client.get(url).status_code == 200


def test_read_rate_list_runs_a_bounded_number_of_queries(
    client, staff_a, city, village_a, django_assert_max_num_queries
):
    reader = make_member(village_a, username="reader")
    for number in range(30):
        item = PublicationFactory(
            title=f"通报{number}", kind=Publication.Kind.CASE_BULLETIN, audience=Audience.CADRES, issuing_unit=city
        )
        receipt_confirm(publication=item, user=reader)
    client.force_login(staff_a)
    with django_assert_max_num_queries(14):
        page = client.get(reverse("admin:publications_publication_read_rate_list")).content.decode()
    assert page.count("查看各单位学习情况") == 30


# 4. History pages


def test_read_receipt_history_page_shows_who_confirmed(client, commission_admin, township_a, cadre_a):
    item = PublicationFactory(kind=Publication.Kind.CASE_BULLETIN, audience=Audience.CADRES, issuing_unit=township_a)
    receipt = receipt_confirm(publication=item, user=cadre_a)
    client.force_login(commission_admin)
    response = client.get(reverse("admin:publications_readreceipt_history", args=[receipt.pk]))
    assert response.status_code == 200
    assert "cadre_a" in response.content.decode()


def test_staff_see_the_history_of_their_cadres_receipts_only(client, staff_a, township_a, cadre_a, village_b):
    item = PublicationFactory(kind=Publication.Kind.CASE_BULLETIN, audience=Audience.CADRES, issuing_unit=township_a)
    own = receipt_confirm(publication=item, user=cadre_a)
    other = receipt_confirm(publication=item, user=make_member(village_b, Membership.Role.CADRE, username="b_cadre"))
    client.force_login(staff_a)
    assert client.get(reverse("admin:publications_readreceipt_history", args=[own.pk])).status_code == 200
    assert client.get(reverse("admin:publications_readreceipt_history", args=[other.pk])).status_code == 404
