"""The admin home page starts with what waits for the staff member, in their scope."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from bases.tests.factories import EducationBaseFactory, VisitSlotFactory, make_public_booking
from publications.tests.factories import PublicationFactory
from units.models import Membership
from units.tests.factories import UnitFactory, make_member


@pytest.fixture
def pending_bookings(township_a, township_b):
    for township, count in ((township_a, 2), (township_b, 1)):
        slot = VisitSlotFactory(base=EducationBaseFactory(unit=township, township=township), capacity=100)
        for number in range(count):
            make_public_booking(slot, group_size=1, contact_phone=f"1390000{township.pk:02d}{number:02d}")


def queue(page: str) -> str:
    return page[page.index('class="module work-queue"') : page.index("</div>", page.index("work-queue"))]


def test_unit_staff_see_the_bookings_of_their_bases_waiting_with_a_link_to_exactly_those(
    client, staff_a, pending_bookings
):
    client.force_login(staff_a)
    html = queue(client.get(reverse("admin:index")).content.decode())
    assert "<strong>2</strong> 待确认的预约" in html
    link = reverse("admin:bases_visitbooking_changelist") + "?status__exact=pending"
    assert link in html
    listed = client.get(link).content.decode()
    assert listed.count('class="action-select"') == 2


def test_the_commission_sees_every_base(client, commission_admin, pending_bookings):
    client.force_login(commission_admin)
    assert "<strong>3</strong> 待确认的预约" in queue(client.get(reverse("admin:index")).content.decode())


def test_bulletins_some_cadre_has_not_studied_are_counted(client, staff_a, township_a, city):
    make_member(UnitFactory(name="东山村", parent=township_a, kind="village"), Membership.Role.CADRE, username="c1")
    PublicationFactory(
        kind="case_bulletin",
        audience="cadres",
        issuing_unit=city,
        is_published=True,
        published_at=timezone.now() - datetime.timedelta(days=3),
    )
    client.force_login(staff_a)
    html = queue(client.get(reverse("admin:index")).content.decode())
    assert "<strong>1</strong> 尚未全部学习的案例通报" in html


def test_the_queue_comes_before_this_years_counts(client, staff_a):
    client.force_login(staff_a)
    page = client.get(reverse("admin:index")).content.decode()
    assert page.index("work-queue") < page.index("dashboard-counts")


def test_occasions_coming_soon_without_a_planned_inspection_are_counted(
    client, staff_a, commission_admin, township_a, township_b
):
    from inspections.tests.factories import InspectionFactory, OccasionPeriodFactory, occasion

    today = timezone.localdate()
    coming = OccasionPeriodFactory(
        occasion=occasion("元旦春节"),
        year=today.year + 1,
        starts_on=today + datetime.timedelta(days=5),
        ends_on=today + datetime.timedelta(days=30),
    )
    OccasionPeriodFactory(  # too far ahead to ask yet
        occasion=occasion("清明"),
        year=today.year + 1,
        starts_on=today + datetime.timedelta(days=60),
        ends_on=today + datetime.timedelta(days=70),
    )
    client.force_login(staff_a)
    html = queue(client.get(reverse("admin:index")).content.decode())
    assert "<strong>1</strong> 尚未安排的节点检查" in html
    assert f"{reverse('admin:inspections_calendar')}?year={coming.year}" in html
    InspectionFactory(period=coming, unit=township_a, planned_on=coming.starts_on, done_on=None)
    html = queue(client.get(reverse("admin:index")).content.decode())
    assert "<strong>0</strong> 尚未安排的节点检查" in html
    client.force_login(commission_admin)  # the townships and the commission's own unit
    assert "<strong>2</strong> 尚未安排的节点检查" in queue(client.get(reverse("admin:index")).content.decode())
