"""Every figure is declared once: its drill-down lists exactly the rows it counts, on the demo data
and on a second data set built here; no figure reads a title."""

import datetime
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from bases.models import EducationBase, VisitBooking
from bases.tests.factories import EducationBaseFactory, VisitSlotFactory, make_booking
from campaigns.models import ActivityKind, ActivityRecord, Campaign
from campaigns.tests.factories import CampaignFactory, OpenCallFactory, make_record
from core.models import Topic
from inspections.models import Inspection
from inspections.tests.factories import InspectionFactory, OccasionPeriodFactory, occasion
from pledges.models import PledgeText
from pledges.services import signature_import, signature_void
from pledges.tests.factories import PledgeTextFactory, workbook_bytes
from publications.models import Distribution, Placement, Publication
from publications.tests.factories import PublicationFactory
from reports.figures import ORDER, REGISTRY, FigureSet
from units.models import Membership, Unit
from units.tests.factories import UnitFactory, make_member

START, END = datetime.date(2020, 1, 1), datetime.date(2022, 9, 6)


def topic(code):
    return Topic.objects.get(code=code)


@pytest.fixture
def demo_city(db):
    call_command("load_demo", stdout=io.StringIO())
    return Unit.objects.get(code="CITY")


@pytest.fixture
def second_city(db):
    """A small city with rows for every figure, and rows that must not count (drafts, other
    periods, other topics, another city's rows)."""
    city = UnitFactory(name="第二市", kind=Unit.Kind.CITY, code="C2")
    town = UnitFactory(name="南岭镇", parent=city, code="C2-T")
    village = UnitFactory(name="南岭村", kind=Unit.Kind.VILLAGE, parent=town, code="C2-T-V")
    elsewhere = UnitFactory(name="外市", kind=Unit.Kind.CITY, code="C3")
    inside, before = datetime.date(2021, 5, 10), datetime.date(2019, 5, 10)
    booker = make_member(village, Membership.Role.CADRE, username="c2cadre")

    main = EducationBaseFactory(
        unit=town, category=EducationBase.Category.EDUCATION_BASE, theme_red=True, opened_on=datetime.date(2021, 1, 1)
    )
    EducationBaseFactory(unit=village, category=EducationBase.Category.DEMONSTRATION_VILLAGE)
    EducationBaseFactory(unit=village, category=EducationBase.Category.DEMONSTRATION_VILLAGE, is_published=False)
    EducationBaseFactory(unit=town, category=EducationBase.Category.EXHIBITION_HALL)
    EducationBaseFactory(unit=elsewhere, category=EducationBase.Category.EXHIBITION_HALL)

    for day, visitors in [(inside, 30), (before, 99)]:
        slot = VisitSlotFactory(base=main, date=timezone.localdate() + datetime.timedelta(days=3))
        booking = make_booking(slot, booker, village, group_size=40)
        VisitSlotFactory._meta.model.objects.filter(pk=slot.pk).update(date=day)
        VisitBooking.objects.filter(pk=booking.pk).update(
            status=VisitBooking.Status.CONFIRMED, actual_visitors=visitors
        )

    material = PublicationFactory(
        kind=Publication.Kind.STUDY_MATERIAL, issuing_unit=town, issued_on=inside, copies_printed=70
    )
    PublicationFactory(
        kind=Publication.Kind.STUDY_MATERIAL,
        issuing_unit=town,
        issued_on=inside,
        copies_printed=900,
        is_published=False,
    )
    points = PublicationFactory(
        kind=Publication.Kind.WORK_POINTS, issuing_unit=city, issued_on=inside, copies_printed=30
    )
    for unit in [town, village]:
        Distribution.objects.create(publication=points, unit=unit, date=inside, copies=5)
    Distribution.objects.create(publication=points, unit=town, date=before, copies=50)
    banquet_notice = PublicationFactory(kind=Publication.Kind.NOTICE, issuing_unit=city, issued_on=inside)
    banquet_notice.topics.add(topic(Topic.BANQUETS))
    other_notice = PublicationFactory(kind=Publication.Kind.NOTICE, issuing_unit=city, issued_on=inside)
    Distribution.objects.create(publication=banquet_notice, unit=town, date=inside, copies=3)
    Distribution.objects.create(publication=other_notice, unit=town, date=inside, copies=20)
    for channel in [Placement.Channel.WECHAT, Placement.Channel.WECHAT, Placement.Channel.TV]:
        Placement.objects.create(publication=material, channel=channel, date=inside)
    PublicationFactory(kind=Publication.Kind.CASE_BULLETIN, issuing_unit=city, issued_on=inside)
    PublicationFactory(kind=Publication.Kind.CASE_BULLETIN, issuing_unit=city, issued_on=before)

    integrity = PledgeTextFactory(issuing_unit=city)
    integrity.topics.add(topic(Topic.SELF_DISCIPLINE))
    banquet = PledgeTextFactory(issuing_unit=city, title="不办宴承诺")
    banquet.topics.add(topic(Topic.BANQUETS))
    moment = timezone.make_aware(datetime.datetime.combine(inside, datetime.time(10)))
    for pledge, names in [(integrity, ["甲", "乙", "丙"]), (banquet, ["丁"])]:
        rows = [[name, "C2-T-V", "", inside] for name in names]
        signature_import(pledge=pledge, workbook_file=workbook_bytes(rows), units=Unit.objects.all(), actor=None)
    signature_void(signature=integrity.signatures.get(signer_name="丙"), actor=None, reason="重复")

    study = CampaignFactory(title="学法讲规（名称不含关键词也计入）")
    study.topics.add(topic(Topic.RULES_STUDY), topic(Topic.DISCIPLINE_REGULATIONS))
    draft = CampaignFactory(title="讲规学法草稿活动", is_published=False)
    draft.topics.add(topic(Topic.RULES_STUDY))
    make_record(
        village,
        inside,
        kind=ActivityKind.STUDY,
        sessions=3,
        participants=40,
        campaign=study,
        outputs={"essays": 4, "books": 10},
    )
    make_record(village, inside, kind=ActivityKind.STUDY, sessions=2, participants=None, campaign=study)
    make_record(village, inside, kind=ActivityKind.STUDY, sessions=9, participants=90, campaign=draft)
    make_record(village, before, kind=ActivityKind.STUDY, sessions=7, participants=70, campaign=study)
    make_record(town, inside, kind=ActivityKind.SUPERVISION, sessions=1, campaign=study)
    lecture = make_record(
        town, inside, kind=ActivityKind.LECTURE, sessions=1, participants=50, title="《监察法实施条例》解读"
    )
    regulations_lecture = make_record(
        town, inside, kind=ActivityKind.LECTURE, sessions=2, participants=80, title="授课"
    )
    regulations_lecture.topics.add(topic(Topic.DISCIPLINE_REGULATIONS))
    assert lecture.topics.count() == 0
    # Holiday inspections count from the calendar's rows: carried out in the period, in the subtree.
    may_day = OccasionPeriodFactory(
        occasion=occasion("五一端午"), year=2021, starts_on=datetime.date(2021, 4, 28), ends_on=inside
    )
    InspectionFactory(period=may_day, unit=town, done_on=inside, places_checked=9, problems_found=2)
    InspectionFactory(period=may_day, unit=village, planned_on=inside, done_on=inside, places_checked=3)
    InspectionFactory(period=may_day, unit=town, done_on=None)  # planned, not carried out
    earlier = OccasionPeriodFactory(year=before.year)
    InspectionFactory(period=earlier, unit=town)  # before the period
    make_record(town, inside, kind=ActivityKind.INSPECTION, sessions=5, title="日常检查")  # not a holiday one
    art = CampaignFactory(title="书画")
    art.topics.add(topic(Topic.CALLIGRAPHY_PAINTING))
    make_record(village, inside, kind=ActivityKind.CONTEST, sessions=1, campaign=art, outputs={"works": 6})
    make_record(
        village, inside, kind=ActivityKind.CONTEST, sessions=1, outputs={"works": 100}, title="书画创作（无专题）"
    )

    call = OpenCallFactory(opens_at=moment, closes_at=moment + datetime.timedelta(days=30))
    call.organisers.set([town])
    return city


SECOND_CITY_VALUES = {
    "B3": 1,
    "B4": 1,
    "B5": 1,
    "B6": 30,
    "P1": 70,
    "P2": 10,
    "P3": 3,
    "P4": 1,
    "P11": 2,
    "P13": 1,
    "P14": 0,
    "S1": 2,
    "S2": 1,
    "A1": 2,
    "A2": 2,
    "A3a": 1,
    "A3b": 5,
    "A4a": 5,
    "A4b": 40,
    "A4c": 4,
    "P15": 10,
    "A5": 6,
    "A6": 1,
}


def drilldown_rows(client, figure):
    """The rows the figure's drill-down exports (all pages): headings, amounts, total line."""
    response = client.get(figure.admin_url.replace("/?", "/rows.xlsx?"))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    lines = list(sheet.iter_rows(values_only=True))
    return lines[1:-1], lines[-1][-1]


def assert_every_drilldown_matches(client, city):
    figures = FigureSet(start=START, end=END, unit=city).all()
    described_base = figures[0].parts["name"]  # B1 and B2 describe the first 廉洁教育基地
    for figure in figures:
        page = client.get(figure.admin_url)
        assert page.status_code == 200, figure.id
        rows, total = drilldown_rows(client, figure)
        if REGISTRY[figure.id].describe is not None:
            assert [row[0] for row in rows] == [described_base], figure.id
            continue
        assert total == figure.value, figure.id
        assert sum(row[-1] for row in rows) == figure.value, figure.id
        assert page.context["total"] == figure.value, figure.id


def test_every_drilldown_lists_exactly_what_the_demo_figure_counts(demo_city, admin_client):
    assert_every_drilldown_matches(admin_client, demo_city)


def test_every_drilldown_lists_exactly_what_the_figure_counts_on_a_second_data_set(second_city, admin_client):
    values = {figure.id: figure.value for figure in FigureSet(start=START, end=END, unit=second_city).all()}
    assert {key: values[key] for key in SECOND_CITY_VALUES} == SECOND_CITY_VALUES
    assert values["B1"].endswith("2021年1月1日")
    assert_every_drilldown_matches(admin_client, second_city)


def test_renaming_every_row_changes_no_figure(demo_city):
    before = {figure.id: figure.value for figure in FigureSet(start=START, end=END, unit=demo_city).all()}
    for model in [Campaign, ActivityRecord, Inspection, PledgeText, Publication]:
        for row in model.objects.all():
            model.objects.filter(pk=row.pk).update(title=f"改名{row.pk}")
    after = {figure.id: figure.value for figure in FigureSet(start=START, end=END, unit=demo_city).all()}
    assert after == before


def test_no_figure_definition_reads_a_title():
    import inspect

    from reports.figures import rows, section1, section2, section3, section4

    for module in [rows, section1, section2, section3, section4]:
        assert "title__" not in inspect.getsource(module), module.__name__


def test_every_figure_has_a_place_and_a_definition():
    assert len(ORDER) == len(REGISTRY) == 32
    assert all(REGISTRY[figure_id].definition for figure_id in ORDER)


def test_a_drilldown_for_a_unit_outside_the_staff_scope_is_refused(demo_city, client):
    staff = make_member(Unit.objects.get(code="T01"), Membership.Role.UNIT_STAFF, username="t01")
    client.force_login(staff)
    url = reverse("reports:figure-rows", args=["S1"])
    response = client.get(url, {"start": START, "end": END, "unit": demo_city.pk})
    assert response.status_code == 200 and "total" not in response.context
    assert "选择一个有效的选项" in response.content.decode()
    assert client.get(reverse("reports:figure-rows", args=["X9"])).status_code == 404
