"""The generated work report states the source report's figures, computed from rows."""

import datetime
import io

import openpyxl
import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import Count, Q
from django.urls import reverse
from docx import Document

from bases.models import EducationBase, VisitBooking, VisitSlot
from bases.tests.factories import EducationBaseFactory, VisitSlotFactory, make_booking
from campaigns.models import Campaign
from campaigns.tests.factories import OpenCallFactory, make_record
from pledges.models import PledgeText
from pledges.services import signature_import
from pledges.tests.factories import workbook_bytes
from publications.models import Distribution, Placement, Publication
from publications.tests.factories import PublicationFactory
from reports.figures import FigureSet
from reports.selectors import pledge_progress
from units.models import Membership, Unit
from units.tests.factories import UnitFactory, make_member

START, END = datetime.date(2020, 1, 1), datetime.date(2022, 9, 6)
PERIOD = {"start": START.isoformat(), "end": END.isoformat()}
EXPECTED = {
    "B1": "2020年8月 / 2021年1月1日",
    "B2": "475平方米；2层；5个展区",
    "B3": "2个",
    "B4": "2个",
    "B5": "8个",
    "B6": "500人",
    "P1": "510册",
    "P2": "110份",
    "P3": "4份",
    "P4": "1期",
    "P5": "4篇",
    "P6": "11篇",
    "P7": "1篇",
    "P8": "2篇",
    "P9": "2篇",
    "P10": "2篇",
    "P11": "1篇",
    "P12": "23条",
    "P13": "8期",
    "P14": "1期",
    "P15": "1200册",
    "S1": "3600份",
    "S2": "150份",
    "A1": "4次",
    "A2": "1次",
    "A3a": "2次",
    "A3b": "170次",
    "A4a": "220次",
    "A4b": "4500人次",
    "A4c": "450篇",
    "A5": "20幅",
    "A6": "1次",
}


def row_counts():
    """Rows of every domain model. History tables are left out: a second run saves the same
    values again, and the audit trail rightly records that it ran."""
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"units", "bases", "campaigns", "pledges", "publications"}
        and not model.__name__.startswith("Historical")
    }


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())
    return Unit.objects.get(code="CITY")


def figures(city):
    return {figure.id: figure.display for figure in FigureSet(start=START, end=END, unit=city).all()}


def test_load_demo_twice_leaves_the_same_data(demo):
    before = row_counts()
    call_command("load_demo", stdout=io.StringIO())
    assert row_counts() == before


def test_the_report_states_every_figure_of_the_source_report(demo, admin_client):
    assert figures(demo) == EXPECTED
    response = admin_client.get(reverse("reports:report-docx"), {**PERIOD, "unit": demo.pk})
    text = "\n".join(paragraph.text for paragraph in Document(io.BytesIO(response.content)).paragraphs)
    for value in [
        "2020年8月开工建设",
        "2021年1月1日正式开馆",
        "475平方米",
        "共设展区5大部分",
        "510册",
        "110份",
        "3600份",
        "150份",
        "170次",
        "220次",
        "4500人次",
        "450篇",
        "1200册",
        "500人",
        "20幅",
        "8期",
        "外网信息11篇",
        "门户网站刊发各类文章信息和宣传报道23条",
        "廉洁文化示范村8个",
    ]:
        assert value in text, value
    assert text.startswith("云岭市纪委监委关于廉洁文化建设工作情况的汇报")
    for heading in ["一、结合地域特色", "二、结合工作实际", "三、结合部门联动", "四、结合思想动态"]:
        assert heading in text
    assert "中共云岭市纪委宣传部" in text


def test_figures_come_from_rows(demo, django_user_model):
    before = figures(demo)
    pledge = PledgeText.objects.get(title="廉洁自律承诺书")
    signature_import(
        pledge=pledge,
        workbook_file=workbook_bytes([["新签名", "向阳村", "", "2021-05-01"]]),
        units=Unit.objects.all(),
        actor=None,
    )
    make_record(
        Unit.objects.get(code="T02"),
        datetime.date(2021, 5, 1),
        sessions=1,
        participants=10,
        campaign=Campaign.objects.get(title="全覆盖常态化讲规学法活动"),
    )
    Placement.objects.create(
        publication=Publication.objects.filter(kind="news", is_published=True).first(),
        channel="portal",
        date=datetime.date(2021, 5, 1),
    )
    after = figures(demo)
    assert (after["S1"], after["A3b"], after["P12"]) == ("3601份", "171次", "24条")
    changed = {key for key in before if before[key] != after[key]}
    assert changed == {"S1", "A3b", "P12"}


def test_township_staff_get_their_subtree_only(demo, client):
    from units.models import Membership
    from units.tests.factories import make_member

    township = Unit.objects.get(code="T01")
    staff = make_member(township, Membership.Role.UNIT_STAFF, username="t01staff")
    client.force_login(staff)
    page = client.get(reverse("reports:report"), {**PERIOD, "unit": demo.pk})
    assert "选择一个有效的选项" in page.content.decode()
    response = client.get(reverse("reports:report"), {**PERIOD, "unit": township.pk})
    shown = {
        figure.id: figure.display for _number, _title, section in response.context["sections"] for figure in section
    }
    assert shown == {figure.id: figure.display for figure in FigureSet(start=START, end=END, unit=township).all()}
    assert shown["S1"] != EXPECTED["S1"] and shown["B5"] == "1个"


def test_the_xlsx_figures_table_opens_and_is_in_chinese(demo, admin_client):
    response = admin_client.get(reverse("reports:report-xlsx"), {**PERIOD, "unit": demo.pk})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["统计数据"]
    rows = {row[1]: row for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert rows["S1"][3] == 3600 and rows["P1"][3] == 510
    assert rows["A4b"][4] == "同一批活动记录的参与人次合计（未填写人次的记录不计人次）"
    assert sheet.cell(row=2, column=5).value == "口径"


def test_public_statistics_hold_no_personal_data(demo, client):
    from bases.models import Volunteer

    phones = list(Volunteer.objects.values_list("phone", flat=True))
    for url in [reverse("reports:stats"), reverse("reports:stats-csv"), reverse("reports:stats-json")]:
        text = client.get(url).content.decode("utf-8-sig")
        assert "Qingfeng" not in text and "张干部" not in text
        assert not any(phone in text for phone in phones)
        assert "典型问题的通报" not in text
    data = client.get(reverse("reports:stats-json")).json()
    by_year = {row["year"]: row for row in data["years"]}
    assert by_year[2020]["pledges_signed"] == 3750
    assert sum(row["visitors"] for row in data["years"]) == 500


def test_report_page_needs_staff(client, demo, django_user_model):
    from units.tests.factories import make_member

    assert client.get(reverse("reports:report")).status_code == 302
    client.force_login(make_member(Unit.objects.get(code="T01-V1"), username="plaincadre"))
    assert client.get(reverse("reports:report")).status_code == 302


def test_a_base_without_facts_does_not_break_the_report(admin_client, township_a):
    from bases.tests.factories import EducationBaseFactory

    EducationBaseFactory(unit=township_a, category="education_base", floor_area=None, floors=None, opened_on=None)
    response = admin_client.get(reverse("reports:report"), {**PERIOD, "unit": township_a.pk})
    assert response.status_code == 200
    assert "—平方米" in response.content.decode()


@pytest.mark.parametrize("code", ["CITY", "T01"])
def test_the_signature_chart_counts_the_most_signed_text_per_unit_below(demo, code):
    unit = Unit.objects.get(code=code)
    title, bars = pledge_progress(unit=unit)
    pledges = PledgeText.objects.annotate(
        n=Count("signatures", filter=Q(signatures__is_void=False, signatures__unit__path__startswith=unit.path))
    )
    most_signed = pledges.order_by("-n", "pk").first()
    assert title == most_signed.title
    per_child = [
        (child.name, most_signed.signatures.valid().filter(unit__path__startswith=child.path).count())
        for child in Unit.objects.filter(parent=unit).order_by("path")
    ]
    assert bars == [(name, count) for name, count in per_child if count]
    assert bars


# The report page (25 today): the session and the user, the site settings, the form and its unit
# list, one query per family of rows the figures count (12), and the charts (6). The downloads (19)
# skip the unit list and the charts. Neither grows with the data.
REPORT_QUERIES = 27
DOWNLOAD_QUERIES = 21


def grow(city, townships: int):
    """More of everything the report counts: `townships` new townships under `city`, each with a
    village that records study activities, is issued, distributes and places material, signs the
    demo pledge, owns bases, books visits and organises a call."""
    day = datetime.date(2021, 5, 10)
    campaign = Campaign.objects.get(title="全覆盖常态化讲规学法活动")
    pledge = PledgeText.objects.get(title="廉洁自律承诺书")
    for number in range(townships):
        township = UnitFactory(name=f"新增镇{number}", parent=city, code=f"NEW{number}")
        village = UnitFactory(name=f"新增村{number}", kind=Unit.Kind.VILLAGE, parent=township, code=f"NEW{number}V")
        for _ in range(3):
            make_record(village, day, sessions=2, participants=9, campaign=campaign, outputs={"essays": 1, "works": 2})
        material = PublicationFactory(kind=Publication.Kind.STUDY_MATERIAL, issuing_unit=township, issued_on=day)
        Distribution.objects.create(publication=material, unit=village, date=day, copies=5)
        Placement.objects.create(publication=material, channel=Placement.Channel.WECHAT, date=day)
        rows = [[f"新签名{number}-{signer}", village.code, "", day] for signer in range(3)]
        signature_import(pledge=pledge, workbook_file=workbook_bytes(rows), units=Unit.objects.all(), actor=None)
        EducationBaseFactory(unit=village, category=EducationBase.Category.DEMONSTRATION_VILLAGE)
        base = EducationBaseFactory(unit=township, category=EducationBase.Category.EDUCATION_BASE)
        slot = VisitSlotFactory(base=base)
        booker = make_member(village, Membership.Role.CADRE, username=f"booker{number}")
        booking = make_booking(slot, booker, village)
        VisitSlot.objects.filter(pk=slot.pk).update(date=day)
        VisitBooking.objects.filter(pk=booking.pk).update(status=VisitBooking.Status.CONFIRMED, actual_visitors=8)
        OpenCallFactory(organisers=[township])


def assert_report_within_budget(client, units, django_assert_max_num_queries):
    for unit in units:
        query = {**PERIOD, "unit": unit.pk}
        with django_assert_max_num_queries(REPORT_QUERIES):
            assert client.get(reverse("reports:report"), query).status_code == 200
        for name in ["reports:report-docx", "reports:report-xlsx"]:
            with django_assert_max_num_queries(DOWNLOAD_QUERIES):
                assert client.get(reverse(name), query).status_code == 200


def test_the_report_costs_the_same_few_queries_whatever_the_data_size(
    demo, admin_client, django_assert_max_num_queries
):
    township = Unit.objects.get(code="T01")
    assert_report_within_budget(admin_client, [demo, township], django_assert_max_num_queries)
    before = figures(demo)
    grow(demo, townships=4)
    assert figures(demo) != before  # the second data size reaches the figures
    assert_report_within_budget(admin_client, [demo, township], django_assert_max_num_queries)
