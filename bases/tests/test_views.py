import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from bases.models import VisitBooking, VisitSlot
from bases.tests.factories import (
    CultureAssetFactory,
    EducationBaseFactory,
    ExhibitionSectionFactory,
    VisitSlotFactory,
    VolunteerFactory,
    make_booking,
)
from units.models import Unit
from units.tests.factories import UnitFactory


@pytest.fixture
def base(township_a):
    base = EducationBaseFactory(
        name="东山廉洁教育基地",
        unit=township_a,
        township=township_a,
        floor_area=475,
        floors=2,
        construction_started=datetime.date(2020, 8, 1),
        opened_on=datetime.date(2021, 1, 1),
        opening_hours="周二至周日 9:00-16:30",
        contact_phone="0453-1234567",
        theme_warning=True,
        features=["sound_light", "touch_screen"],
    )
    for order, title in enumerate(
        [
            "持之以恒，全面从严治党",
            "锻炼党性，坚定理想信念",
            "不忘初心，深学细照笃行",
            "利剑高悬，勿忘覆车之鉴",
            "见贤思齐，涵养浩然正气",
        ]
    ):
        ExhibitionSectionFactory(base=base, order=order, title=title)
    return base


@pytest.fixture
def slot(base):
    return VisitSlotFactory(base=base, capacity=60)


def test_list_shows_published_bases_and_hides_drafts(client, base, township_a):
    EducationBaseFactory(name="未发布的基地", unit=township_a, is_published=False)
    page = client.get(reverse("bases:base-list")).content.decode()
    assert "东山廉洁教育基地" in page and "免费开放" in page
    assert "未发布的基地" not in page


def test_unpublished_base_page_is_not_found(client, township_a):
    draft = EducationBaseFactory(name="未发布", unit=township_a, is_published=False)
    assert client.get(reverse("bases:base-detail", args=[draft.slug])).status_code == 404


def test_list_filters_by_category_township_and_theme(client, base, township_b):
    EducationBaseFactory(name="清风园", category="theme_park", unit=township_b, township=township_b, theme_red=True)
    url = reverse("bases:base-list")
    assert "清风园" not in client.get(url, {"category": "education_base"}).content.decode()
    assert "东山廉洁教育基地" not in client.get(url, {"township": township_b.pk}).content.decode()
    page = client.get(url, {"theme": "red"}).content.decode()
    assert "清风园" in page and "东山廉洁教育基地" not in page
    assert client.get(url, {"township": "abc", "category": "<script>", "page": "x"}).status_code == 200


def test_list_paginates(client, township_a):
    for number in range(15):
        EducationBaseFactory(name=f"基地{number:02d}", unit=township_a)
    first = client.get(reverse("bases:base-list")).content.decode()
    second = client.get(reverse("bases:base-list"), {"page": 2}).content.decode()
    assert first.count('class="card"') == 12 and second.count('class="card"') == 3
    assert "共 15 条" in first


def test_detail_shows_facts_and_the_five_sections_in_order(client, base):
    page = client.get(base.get_absolute_url()).content.decode()
    for fact in ["2020年8月", "2021年1月1日", "475 ㎡", "周二至周日 9:00-16:30", "声光电效果", "警示教育", "免费"]:
        assert fact in page
    titles = ["持之以恒", "锻炼党性", "不忘初心", "利剑高悬", "见贤思齐"]
    positions = [page.index(title) for title in titles]
    assert positions == sorted(positions)


def test_detail_shows_upcoming_slots_with_places_left(client, base, slot, cadre_a, village_a):
    make_booking(slot, cadre_a, village_a, group_size=25)
    VisitSlotFactory(base=base, date=timezone.localdate() + datetime.timedelta(days=3), is_closed=True)
    page = client.get(base.get_absolute_url()).content.decode()
    assert "剩余 35 人" in page
    assert page.count("bases/" + base.slug + "/book/") == 1


def test_demonstration_village_lists_assets_and_volunteer_count_without_phones(client, township_a):
    village = UnitFactory(name="向阳村", kind=Unit.Kind.VILLAGE, parent=township_a, code="VX")
    demo = EducationBaseFactory(name="向阳村廉洁文化示范村", category="demonstration_village", unit=village)
    CultureAssetFactory(unit=village, kind="wall", quantity=3)
    CultureAssetFactory(unit=village, kind="bin", quantity=10)
    VolunteerFactory(unit=village, phone="13912345678")
    VolunteerFactory(unit=village, phone="13912345679")
    page = client.get(demo.get_absolute_url()).content.decode()
    assert "廉洁文化墙 3" in page and "廉洁文化宣传垃圾箱 10" in page
    assert "廉洁文化宣传员 2 名" in page
    assert "1391234567" not in page


def test_list_and_detail_query_counts_do_not_grow_with_data(client, township_a, django_assert_max_num_queries):
    for number in range(30):
        base = EducationBaseFactory(name=f"基地{number}", unit=township_a, township=township_a)
        for section in range(5):
            ExhibitionSectionFactory(base=base, order=section)
        VisitSlotFactory(base=base)
        CultureAssetFactory(unit=township_a)
    with django_assert_max_num_queries(8):
        client.get(reverse("bases:base-list"))
    with django_assert_max_num_queries(14):
        client.get(base.get_absolute_url())


def booking_post(client, slot, **fields):
    data = {
        "unit": fields.pop("unit"),
        "group_size": 10,
        "contact_name": "王联系",
        "contact_phone": "13800001111",
        "note": "",
        "consent": "on",
        "request_token": str(uuid.uuid4()),
        **fields,
    }
    return client.post(reverse("bases:booking-create", args=[slot.base.slug, slot.pk]), data)


def test_anonymous_visitors_get_the_public_form_without_a_unit_choice(client, slot):
    page = client.get(reverse("bases:booking-create", args=[slot.base.slug, slot.pk])).content.decode()
    assert 'name="organisation"' in page and 'name="purpose"' in page
    assert 'name="unit"' not in page


def test_cadre_books_and_sees_the_reference(client, cadre_a, village_a, slot):
    client.force_login(cadre_a)
    response = booking_post(client, slot, unit=village_a.pk, group_size=40)
    booking = VisitBooking.objects.get()
    assert response.status_code == 302 and response["Location"] == booking.get_absolute_url()
    page = client.get(booking.get_absolute_url()).content.decode()
    assert booking.reference in page and "待确认" in page
    assert booking.booked_by == cadre_a and booking.unit == village_a
    assert booking.reference in client.get(reverse("bases:booking-list")).content.decode()


@pytest.mark.parametrize(
    ("group_size", "message"),
    [
        ("0", "参观人数至少为 1 人"),
        ("-5", "参观人数至少为 1 人"),
        ("abc", "请输入整数人数"),
        ("61", "名额不足，剩余 60 人"),
    ],
)
def test_bad_group_sizes_are_refused_and_nothing_written(client, cadre_a, village_a, slot, group_size, message):
    client.force_login(cadre_a)
    response = booking_post(client, slot, unit=village_a.pk, group_size=group_size, contact_name="李四")
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert 'value="李四"' in page  # what was typed is kept
    assert not VisitBooking.objects.exists()


def test_a_crafted_post_for_another_unit_is_refused(client, cadre_a, village_b, slot):
    client.force_login(cadre_a)
    response = booking_post(client, slot, unit=village_b.pk)
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    assert not VisitBooking.objects.exists()


def test_past_and_closed_slots_are_refused(client, cadre_a, village_a, base):
    client.force_login(cadre_a)
    past = VisitSlotFactory(base=base, date=timezone.localdate() - datetime.timedelta(days=1))
    closed = VisitSlotFactory(base=base, is_closed=True)
    for slot in (past, closed):
        response = booking_post(client, slot, unit=village_a.pk)
        assert "已关闭或已过期" in response.content.decode()
    assert not VisitBooking.objects.exists()


def test_bad_phone_and_missing_consent_are_refused(client, cadre_a, village_a, slot):
    client.force_login(cadre_a)
    page = booking_post(client, slot, unit=village_a.pk, contact_phone="12345", consent="").content.decode()
    assert "11 位手机号码" in page and "请阅读并同意个人信息处理规则" in page
    assert not VisitBooking.objects.exists()


def test_double_submission_creates_one_booking(client, cadre_a, village_a, slot):
    client.force_login(cadre_a)
    token = str(uuid.uuid4())
    booking_post(client, slot, unit=village_a.pk, request_token=token)
    booking_post(client, slot, unit=village_a.pk, request_token=token)
    assert VisitBooking.objects.count() == 1


def test_user_without_a_unit_books_as_the_public_does(client, slot, django_user_model):
    client.force_login(django_user_model.objects.create_user("nobody", password="x"))
    page = client.get(reverse("bases:booking-create", args=[slot.base.slug, slot.pk])).content.decode()
    assert 'name="organisation"' in page and 'name="unit"' not in page


def test_others_cannot_see_a_booking(client, cadre_a, village_a, slot, django_user_model):
    booking = make_booking(slot, cadre_a, village_a)
    client.force_login(django_user_model.objects.create_user("other", password="x"))
    response = client.get(booking.get_absolute_url())
    assert response.status_code == 302 and response["Location"].startswith(reverse("bases:booking-lookup"))
    assert client.get(reverse("bases:booking-print", args=[booking.reference])).status_code == 302


def test_booker_cancels_and_the_seats_are_free_again(client, cadre_a, village_a, slot):
    booking = make_booking(slot, cadre_a, village_a, group_size=60)
    client.force_login(cadre_a)
    client.post(reverse("bases:booking-cancel", args=[booking.reference]), {"reason": "行程变动"})
    booking.refresh_from_db()
    assert booking.status == VisitBooking.Status.CANCELLED
    assert VisitSlot.objects.with_booked().get(pk=slot.pk).seats_left == 60


def test_print_form_for_bookings_that_hold_places(client, cadre_a, village_a, slot):
    from bases.services import booking_cancel, booking_confirm

    booking = make_booking(slot, cadre_a, village_a)
    client.force_login(cadre_a)
    page = client.get(reverse("bases:booking-print", args=[booking.reference])).content.decode()
    assert "团体参观预约单" in page and "待基地确认" in page and "data-print" in page
    booking_confirm(booking=booking, actor=None)
    page = client.get(reverse("bases:booking-print", args=[booking.reference])).content.decode()
    assert booking.reference in page and "待基地确认" not in page
    booking_cancel(booking=booking, actor=None, reason="基地检修")
    assert client.get(reverse("bases:booking-print", args=[booking.reference])).status_code == 403


def test_navigation_shows_bases_only_when_one_is_published(client, township_a):
    assert 'href="/bases/"' not in client.get("/").content.decode()
    EducationBaseFactory(unit=township_a)
    page = client.get("/").content.decode()
    assert 'href="/bases/"' in page


def test_one_cadre_cannot_fill_every_slot(client, cadre_a, village_a, slot, settings):
    """The booking limit counts per account in the shared cache: the 11th booking in an hour is
    refused with the Chinese 429 page and books nothing."""
    from bases import views

    client.force_login(cadre_a)
    for _number in range(views.BOOKINGS_PER_HOUR):
        booking_post(client, slot, unit=village_a.pk, group_size=1)
    response = booking_post(client, slot, unit=village_a.pk, group_size=1)
    assert response.status_code == 429 and "请求过于频繁" in response.content.decode()
    assert VisitBooking.objects.count() == views.BOOKINGS_PER_HOUR


def test_a_base_shows_how_to_get_there_with_map_links_and_a_printable_page(client, base):
    base.address, base.latitude, base.longitude = "东山镇人民路1号", 44.5521, 129.6330
    base.save()
    page = client.get(base.get_absolute_url()).content.decode()
    assert "到访指南" in page and "uri.amap.com/marker?position=129.633%2C44.5521" in page
    assert "api.map.baidu.com/marker?location=44.5521%2C129.633" in page
    directions = client.get(reverse("bases:base-directions", args=[base.slug])).content.decode()
    assert "北纬 44.5521" in directions and "东山镇人民路1号" in directions and "data-print" in directions
