import datetime

import pytest
from django.core.exceptions import ValidationError

from campaigns.models import ActivityKind, ActivityRecord, Sector
from campaigns.selectors import activity_records, activity_totals
from campaigns.services import activity_import, activity_record_save
from campaigns.tests.factories import CampaignFactory, make_record, records_workbook
from core.spreadsheets import SpreadsheetError
from units.models import Unit
from units.tests.factories import UnitFactory


@pytest.fixture
def records(city, township_a, township_b, village_a, village_b):
    school_a = UnitFactory(name="东山小学", kind=Unit.Kind.SCHOOL, parent=township_a, code="SA")
    organ = UnitFactory(name="市税务局", kind=Unit.Kind.ORGAN, parent=city, code="SWJ")
    campaign = CampaignFactory(title="《条例》学习")
    make_record(
        village_a,
        datetime.date(2020, 5, 1),
        sessions=3,
        participants=90,
        campaign=campaign,
        outputs={"essays": 10, "books": 40},
    )
    make_record(
        village_b, datetime.date(2021, 6, 1), sessions=2, participants=50, campaign=campaign, outputs={"essays": 5}
    )
    make_record(
        school_a,
        datetime.date(2021, 9, 1),
        kind=ActivityKind.CONTEST,
        sessions=1,
        participants=300,
        outputs={"works": 20},
    )
    make_record(
        organ, datetime.date(2022, 10, 1), sessions=4, participants=120, campaign=campaign, outputs={"books": 100}
    )
    make_record(township_a, datetime.date(2020, 4, 5), kind=ActivityKind.INSPECTION, sessions=1)
    return campaign


def totals(**filters):
    return activity_totals(activity_records(**filters))


def test_totals_for_a_period(records):
    result = totals(start=datetime.date(2020, 1, 1), end=datetime.date(2022, 9, 6))
    assert (result["records"], result["sessions"], result["participants"]) == (4, 7, 440)
    assert result["outputs"] == {"essays": 15, "books": 40, "works": 20}


def test_totals_for_a_unit_subtree(records, township_a):
    result = totals(unit=township_a)
    assert (result["sessions"], result["participants"]) == (5, 390)
    assert result["outputs"] == {"essays": 10, "books": 40, "works": 20}


def test_totals_for_a_sector(records):
    villages = totals(sector=Sector.objects.get(code="villages"))
    assert (villages["records"], villages["sessions"]) == (3, 6)
    organs = totals(sector="organs")
    assert organs["outputs"] == {"books": 100}


def test_totals_for_a_campaign_and_a_kind(records):
    result = totals(campaign=records)
    assert (result["sessions"], result["participants"], result["outputs"]) == (9, 260, {"essays": 15, "books": 140})
    assert totals(kind=ActivityKind.INSPECTION)["records"] == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"date": datetime.date(2999, 1, 1)}, "date"),
        ({"sessions": 5, "participants": 3}, "participants"),
    ],
)
def test_record_validation_in_chinese(village_a, fields, field):
    record = ActivityRecord(
        **{"unit": village_a, "date": datetime.date(2021, 1, 1), "kind": ActivityKind.STUDY, "title": "学习", **fields}
    )
    with pytest.raises(ValidationError) as error:
        activity_record_save(record=record, actor=None)
    assert field in error.value.message_dict
    assert not ActivityRecord.objects.exists()


def rows(count, unit="向阳村"):
    return [
        [
            unit,
            datetime.date(2021, 3, 1) + datetime.timedelta(days=number % 300),
            "学习研讨",
            f"《条例》学习研讨第{number}次",
            "",
            1,
            30,
            2,
            5,
            "",
            "",
            "",
            "",
        ]
        for number in range(count)
    ]


def test_a_valid_file_of_1000_rows_imports(village_a, staff_a):
    created, skipped = activity_import(
        workbook_file=records_workbook(rows(1000)), units=Unit.objects.all(), actor=staff_a
    )
    assert (created, skipped) == (1000, 0)
    result = totals()
    assert (result["sessions"], result["participants"], result["outputs"]) == (
        1000,
        30000,
        {"essays": 2000, "books": 5000},
    )


def test_an_import_writes_in_batches_whatever_its_size(village_a, staff_a, django_assert_max_num_queries):
    """Records, outputs and their history rows are inserted in batches (as many rows per INSERT
    as the database takes: SQLite about 999 parameters, PostgreSQL thousands), not one INSERT
    per row; every record still has its history row."""
    with django_assert_max_num_queries(150):
        created, _skipped = activity_import(
            workbook_file=records_workbook(rows(1500)), units=Unit.objects.all(), actor=staff_a
        )
    assert created == 1500
    assert ActivityRecord.history.filter(history_type="+", history_user=staff_a).count() == 1500


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({0: "不存在村"}, "单位:unknown"),
        ({1: "去年"}, "日期:not_a_date"),
        ({1: datetime.date(2999, 1, 1)}, "日期:future"),
        ({2: "吃饭"}, "类型:unknown"),
        ({3: ""}, "标题:empty"),
        ({3: "标" * 201}, "标题:too_long"),
        ({4: "没有这个活动"}, "所属活动:unknown"),
        ({5: -1}, "次数:not_a_count"),
        ({5: "①"}, "次数:not_a_count"),
        ({5: "²"}, "次数:not_a_count"),
        ({5: 10**12}, "次数:not_a_count"),
        ({6: "很多"}, "人次:not_a_count"),
        ({5: 10, 6: 2}, "participants:invalid"),
        ({5: 0}, "sessions:invalid"),
        ({1: datetime.date(1999, 12, 31)}, "date:invalid"),
        ({3: "=cmd|' /C calc'!A0"}, "标题:formula"),
        ({12: ' =HYPERLINK("http://x")'}, "说明:formula"),
    ],
)
def test_one_bad_row_imports_nothing_and_names_it(village_a, staff_a, change, problem):
    data = rows(50)
    for column, value in change.items():
        data[29][column] = value
    with pytest.raises(SpreadsheetError) as error:
        activity_import(workbook_file=records_workbook(data), units=Unit.objects.all(), actor=staff_a)
    assert error.value.code == "rows_refused"
    assert error.value.row_codes == {31: [problem]}
    assert "第 31 行" in error.value.message
    assert not ActivityRecord.objects.exists()


def test_reimporting_the_same_file_leaves_totals_unchanged(village_a, staff_a):
    data = rows(30)
    activity_import(workbook_file=records_workbook(data), units=Unit.objects.all(), actor=staff_a)
    before = totals()
    created, skipped = activity_import(workbook_file=records_workbook(data), units=Unit.objects.all(), actor=staff_a)
    assert (created, skipped) == (0, 30)
    assert totals() == before


def test_units_outside_the_importers_subtree_are_refused(village_b, township_a, staff_a):
    with pytest.raises(SpreadsheetError) as error:
        activity_import(
            workbook_file=records_workbook(rows(2, "河口村")), units=Unit.objects.subtree(township_a), actor=staff_a
        )
    assert set(map(tuple, error.value.row_codes.values())) == {("单位:unknown",)}
    assert "未知单位“河口村”" in error.value.message


def test_the_import_offers_the_same_campaigns_as_the_form(city, township_a, township_b, village_a, staff_a):
    """Township staff may link records to their own campaigns and to published city campaigns;
    not to another township's campaign, nor to a city campaign still in draft."""
    city_campaign = CampaignFactory(title="全市讲规学法", organisers=[city])
    CampaignFactory(title="全市草稿活动", organisers=[city], is_published=False)
    CampaignFactory(title="西河镇活动", organisers=[township_b])
    own_draft = CampaignFactory(title="东山镇自己的草稿", organisers=[township_a], is_published=False)
    data = rows(4)
    for row, title in zip(data, ["全市讲规学法", "全市草稿活动", "西河镇活动", "东山镇自己的草稿"], strict=True):
        row[4] = title
    with pytest.raises(SpreadsheetError) as error:
        activity_import(workbook_file=records_workbook(data), units=Unit.objects.subtree(township_a), actor=staff_a)
    assert error.value.row_codes == {3: ["所属活动:unknown"], 4: ["所属活动:unknown"]}
    created, _skipped = activity_import(
        workbook_file=records_workbook([data[0], data[3]]), units=Unit.objects.subtree(township_a), actor=staff_a
    )
    assert created == 2
    assert set(ActivityRecord.objects.values_list("campaign", flat=True)) == {city_campaign.pk, own_draft.pk}


def test_a_blank_sessions_cell_counts_once_as_in_the_form(village_a, staff_a):
    data = rows(1)
    data[0][5] = None
    activity_import(workbook_file=records_workbook(data), units=Unit.objects.all(), actor=staff_a)
    assert ActivityRecord.objects.get().sessions == 1
