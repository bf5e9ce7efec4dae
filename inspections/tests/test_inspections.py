import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from inspections.models import Inspection, Occasion, OccasionPeriod
from inspections.services import inspection_reminders_send
from inspections.tests.factories import InspectionFactory, OccasionPeriodFactory, occasion
from notifications.models import Notification
from units.models import Membership
from units.tests.factories import make_member

QINGMING = (datetime.date(2021, 3, 30), datetime.date(2021, 4, 6))
CALENDAR = reverse("admin:inspections_calendar")
CHANGELIST = reverse("admin:inspections_inspection_changelist")


@pytest.fixture
def qingming(db):
    return OccasionPeriodFactory(occasion=occasion("清明"), year=2021, starts_on=QINGMING[0], ends_on=QINGMING[1])


def errors_of(**fields):
    inspection = Inspection(title="检查", **fields)
    with pytest.raises(ValidationError) as raised:
        inspection.full_clean()
    return {field: " ".join(messages) for field, messages in raised.value.message_dict.items()}


def test_the_four_occasions_of_every_year_exist_after_migrating(db):
    assert list(Occasion.objects.values_list("name", flat=True)) == ["元旦春节", "清明", "五一端午", "中秋国庆"]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"planned_on": datetime.date(2021, 4, 20)}, "planned_on", "监督期间（2021-03-30至2021-04-06）之内"),
        ({"done_on": datetime.date(2021, 3, 1)}, "done_on", "监督期间"),
        ({"done_on": None, "problems_found": 2}, "done_on", "请先填写开展日期"),
        ({"problems_found": 1, "cases_handed_over": 3}, "cases_handed_over", "不能多于发现问题数"),
    ],
)
def test_an_inspection_that_breaks_a_rule_is_refused_with_a_chinese_message(
    qingming, township_a, fields, field, message
):
    values = {"period": qingming, "unit": township_a, "planned_on": QINGMING[0], "done_on": QINGMING[0], **fields}
    assert message in errors_of(**values)[field]


def test_an_inspection_cannot_be_carried_out_in_the_future(township_a):
    today = timezone.localdate()
    period = OccasionPeriodFactory(year=today.year + 1, starts_on=today, ends_on=today + datetime.timedelta(days=9))
    tomorrow = today + datetime.timedelta(days=1)
    errors = errors_of(period=period, unit=township_a, planned_on=tomorrow, done_on=tomorrow)
    assert "不能晚于今天" in errors["done_on"]


@pytest.mark.parametrize(
    ("dates", "message"),
    [
        ((datetime.date(2021, 4, 6), datetime.date(2021, 4, 1)), "结束日期不能早于开始日期"),
        ((datetime.date(2021, 1, 1), datetime.date(2021, 6, 1)), "最长三个月"),
        ((datetime.date(2019, 3, 30), datetime.date(2019, 4, 6)), "年份须为"),
    ],
)
def test_a_period_that_breaks_a_rule_is_refused(db, dates, message):
    period = OccasionPeriod(occasion=occasion("清明"), year=2021, starts_on=dates[0], ends_on=dates[1])
    with pytest.raises(ValidationError) as raised:
        period.full_clean()
    assert message in str(raised.value)


def test_an_occasion_has_one_period_a_year(qingming):
    duplicate = OccasionPeriod(occasion=qingming.occasion, year=2021, starts_on=QINGMING[0], ends_on=QINGMING[1])
    with pytest.raises(ValidationError, match="已设有监督期间"):
        duplicate.full_clean()


def test_unit_staff_list_and_record_only_their_units_inspections(client, staff_a, township_a, township_b, qingming):
    InspectionFactory(period=qingming, unit=township_a, title="东山镇清明检查")
    InspectionFactory(period=qingming, unit=township_b, title="西河镇清明检查")
    client.force_login(staff_a)
    page = client.get(CHANGELIST).content.decode()
    assert "东山镇清明检查" in page and "西河镇清明检查" not in page

    form = {
        "period": qingming.pk,
        "unit": township_a.pk,
        "title": "清明节期间专项检查",
        "planned_on": "2021-04-02",
        "done_on": "2021-04-02",
        "inspectors": "张三、李四",
        "places_checked": 8,
        "problems_found": 2,
        "cases_handed_over": 1,
        "bulletins_issued": 0,
    }
    response = client.post(reverse("admin:inspections_inspection_add"), form)
    assert response.status_code == 302
    saved = Inspection.objects.get(title="清明节期间专项检查")
    assert saved.created_by == staff_a and saved.history.first().history_user == staff_a

    refused = client.post(reverse("admin:inspections_inspection_add"), {**form, "unit": township_b.pk})
    assert refused.status_code == 200 and "选择一个有效的选项" in refused.content.decode()
    bad = client.post(reverse("admin:inspections_inspection_add"), {**form, "done_on": "2021-05-01"})
    assert "日期须在该节点的监督期间" in bad.content.decode()
    assert Inspection.objects.count() == 3


def test_unit_staff_cannot_change_the_occasions_dates(client, staff_a, qingming):
    client.force_login(staff_a)
    assert client.get(reverse("admin:inspections_occasionperiod_change", args=[qingming.pk])).status_code == 200
    response = client.post(
        reverse("admin:inspections_occasionperiod_change", args=[qingming.pk]),
        {"occasion": qingming.occasion.pk, "year": 2021, "starts_on": "2021-03-01", "ends_on": "2021-04-06"},
    )
    assert response.status_code == 403
    qingming.refresh_from_db()
    assert qingming.starts_on == QINGMING[0]


def test_the_calendar_shows_the_years_occasions_with_the_inspections_in_scope(
    client, staff_a, township_a, township_b, qingming
):
    mid_autumn = OccasionPeriodFactory(
        occasion=occasion("中秋国庆"),
        year=2021,
        starts_on=datetime.date(2021, 9, 15),
        ends_on=datetime.date(2021, 10, 9),
    )
    InspectionFactory(period=qingming, unit=township_a, title="东山镇清明检查", places_checked=7, problems_found=3)
    InspectionFactory(period=qingming, unit=township_b, title="西河镇清明检查")
    client.force_login(staff_a)
    response = client.get(CALENDAR, {"year": "2021"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "节点监督日历" in page and "清明" in page and "中秋国庆" in page
    assert "3月30日至4月6日" in page
    assert "东山镇清明检查" in page and "西河镇清明检查" not in page
    assert "2021年4月" in page  # the month grid of the period
    figures = response.context["figures"]
    qingming_row = next(row for row in figures if row["occasion"].name == "清明")
    cell = next(cell for cell in qingming_row["years"] if cell["year"] == 2021)
    assert (cell["done"], cell["problems"]) == (1, 3)
    # The number opens exactly the inspections it counts.
    autumn_cell = next(
        cell for row in figures if row["occasion"].name == "中秋国庆" for cell in row["years"] if cell["year"] == 2021
    )
    assert autumn_cell["period"] == mid_autumn.pk and autumn_cell["done"] == 0  # a period with nothing done yet
    assert "未设期间" not in page.split("各节点历年统计")[1].split("中秋国庆")[1].split("</tr>")[0]
    listed = client.get(cell["done_url"])
    assert listed.context["cl"].result_count == 1
    assert f"period__id__exact={mid_autumn.pk}" not in cell["done_url"]


def test_the_calendar_names_the_units_with_nothing_planned_for_a_coming_occasion(
    client, commission_admin, township_a, township_b
):
    today = timezone.localdate()
    coming = OccasionPeriodFactory(
        occasion=occasion("元旦春节"),
        year=today.year + 1,
        starts_on=today + datetime.timedelta(days=20),
        ends_on=today + datetime.timedelta(days=40),
    )
    InspectionFactory(period=coming, unit=township_a, planned_on=coming.starts_on, done_on=None)
    client.force_login(commission_admin)
    response = client.get(CALENDAR, {"year": str(coming.year)})
    without = response.context["periods"][0].units_without
    assert township_b in without and township_a not in without
    assert "尚未安排检查" in response.content.decode()
    assert "20天后开始" in response.content.decode()


@pytest.mark.parametrize("year", ["", "abcd", "0000", "99999", "２０２１", "2021\x00"])
def test_the_calendar_answers_any_year_parameter(client, commission_admin, year):
    client.force_login(commission_admin)
    assert client.get(CALENDAR, {"year": year}).status_code in (200, 400)


def test_the_calendar_is_for_staff_only(client, cadre_a):
    assert client.get(CALENDAR).status_code == 302
    client.force_login(cadre_a)
    assert client.get(CALENDAR).status_code == 302


def test_the_calendar_runs_a_bounded_number_of_queries(
    client, commission_admin, township_a, qingming, django_assert_max_num_queries
):
    for _ in range(5):
        InspectionFactory(period=qingming, unit=township_a)
    client.force_login(commission_admin)
    with django_assert_max_num_queries(14):
        assert client.get(CALENDAR, {"year": "2021"}).status_code == 200


def test_staff_are_reminded_once_before_a_period_starts(township_a, township_b, village_a):
    staff_a = make_member(township_a, Membership.Role.UNIT_STAFF, username="staff_a", email="a@example.cn")
    cadre_a = make_member(village_a, Membership.Role.CADRE, username="cadre_a", email="c@example.cn")
    today = datetime.date(2026, 12, 20)
    qingming_period = OccasionPeriodFactory(
        occasion=occasion("元旦春节"),
        year=2027,
        starts_on=datetime.date(2026, 12, 25),
        ends_on=datetime.date(2027, 2, 20),
    )
    OccasionPeriodFactory(
        occasion=occasion("清明"), year=2027, starts_on=datetime.date(2027, 3, 28), ends_on=datetime.date(2027, 4, 8)
    )
    other = make_member(township_b, Membership.Role.UNIT_STAFF, username="staff_b", email="b@example.cn")
    silent = make_member(township_b, Membership.Role.UNIT_STAFF, username="no_address", email="")
    assert inspection_reminders_send(today=datetime.date(2026, 12, 10)) == 0  # 15 days ahead: too early
    assert inspection_reminders_send(today=today) == 2
    assert inspection_reminders_send(today=today) == 0  # once per person and period
    sent = Notification.objects.filter(event=f"inspection.reminder.{qingming_period.pk}")
    assert sorted(sent.values_list("address", flat=True)) == sorted([staff_a.email, other.email])
    assert cadre_a.email not in sent.values_list("address", flat=True) and silent.email == ""
    assert "元旦春节" in sent.first().subject
    assert "东山镇" in sent.get(address=staff_a.email).body
