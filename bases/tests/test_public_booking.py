"""Group visits booked by anyone on the public site: the form, the reference, the lookup by
reference and the mobile number's last four digits, cancelling, and the guards against abuse."""

import types
import uuid

import pytest
from django.urls import reverse

from bases import views
from bases.models import VisitBooking, VisitSlot
from bases.services import BookingError, booking_confirm, booking_contacts_erase_expired, booking_decline
from bases.tests.factories import EducationBaseFactory, VisitSlotFactory, make_public_booking


@pytest.fixture
def slot(township_a):
    base = EducationBaseFactory(name="东山廉洁教育基地", unit=township_a, township=township_a)
    return VisitSlotFactory(base=base, capacity=40)


def post_booking(client, slot, **fields):
    data = {
        "visitor": "organisation",
        "organisation": "东山中学",
        "purpose": "研学实践",
        "group_size": 30,
        "contact_name": "李老师",
        "contact_phone": "139 1234 5678",
        "note": "",
        "consent": "on",
        "website": "",
        "request_token": str(uuid.uuid4()),
        **fields,
    }
    return client.post(reverse("bases:booking-create", args=[slot.base.slug, slot.pk]), data, follow=True)


def test_anyone_books_a_group_and_gets_a_reference_with_the_phone_masked(client, slot):
    response = post_booking(client, slot)
    booking = VisitBooking.objects.get()
    assert (booking.visitor, booking.unit, booking.booked_by, booking.organisation) == (
        "organisation",
        None,
        None,
        "东山中学",
    )
    assert booking.contact_phone == "13912345678" and booking.status == "pending"
    page = response.content.decode()
    assert booking.reference in page and "东山中学" in page and "研学实践" in page
    assert "139****5678" in page and "13912345678" not in page
    assert VisitSlot.objects.with_booked().get(pk=slot.pk).seats_left == 10


def test_a_family_books_without_naming_an_organisation(client, slot):
    post_booking(client, slot, visitor="family", organisation="", group_size=4)
    booking = VisitBooking.objects.get()
    assert booking.visitor == "family" and booking.visitor_name == "个人或家庭"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"organisation": ""}, "请填写参观的单位或团体名称"),
        ({"contact_phone": "0453-1234567"}, "请输入 11 位手机号码"),
        ({"contact_phone": "12345678901"}, "请输入 11 位手机号码"),
        ({"group_size": "0"}, "至少"),
        ({"purpose": ""}, "这个字段是必填项"),
        ({"consent": ""}, "请阅读并同意个人信息处理规则"),
    ],
)
def test_bad_input_is_refused_with_a_chinese_message_and_books_nothing(client, slot, fields, message):
    response = post_booking(client, slot, **fields)
    assert response.status_code == 200 and message in response.content.decode()
    assert not VisitBooking.objects.exists()


def test_a_group_larger_than_the_places_left_is_refused_whole(client, slot):
    make_public_booking(slot, group_size=35)
    page = post_booking(client, slot, group_size=6).content.decode()
    assert "名额不足，剩余 5 人" in page
    assert VisitBooking.objects.count() == 1


def test_a_robot_filling_the_trap_field_books_nothing(client, slot):
    page = post_booking(client, slot, website="http://spam.example").content.decode()
    assert "预约未能提交" in page
    assert not VisitBooking.objects.exists()


def test_one_slot_takes_a_capped_number_of_unconfirmed_public_bookings_a_day(slot, settings):
    settings.PORTAL_PUBLIC_PENDING_PER_SLOT_PER_DAY = 2
    first = make_public_booking(slot, group_size=1)
    make_public_booking(slot, group_size=1, contact_phone="13912340001")
    with pytest.raises(BookingError) as refused:
        make_public_booking(slot, group_size=1, contact_phone="13912340002")
    assert refused.value.code == "public_cap"
    booking_confirm(booking=first, actor=None)  # a confirmed one no longer counts
    make_public_booking(slot, group_size=1, contact_phone="13912340003")
    assert VisitBooking.objects.count() == 3


def test_one_mobile_number_books_a_limited_number_of_times_a_day(client, slot, monkeypatch):
    monkeypatch.setattr("core.ratelimit.time", types.SimpleNamespace(time=lambda: 1_800_000_000.0))
    for number in range(views.PUBLIC_BOOKINGS_PER_PHONE_PER_DAY):
        # From another address each time: the per-address limit stays out of the way.
        client.defaults["REMOTE_ADDR"] = f"198.51.100.{number + 1}"
        post_booking(client, slot, group_size=1)
    client.defaults["REMOTE_ADDR"] = "198.51.100.99"
    response = post_booking(client, slot, group_size=1, contact_phone="13912345678")
    assert response.status_code == 429 and "请求过于频繁" in response.content.decode()
    assert VisitBooking.objects.count() == views.PUBLIC_BOOKINGS_PER_PHONE_PER_DAY
    assert post_booking(client, slot, group_size=1, contact_phone="13700001111").status_code == 200


def test_the_booker_looks_up_prints_and_cancels_with_the_reference_and_four_digits(client, slot):
    booking = make_public_booking(slot)
    lookup = reverse("bases:booking-lookup")
    # Nobody else's session holds it: the booking page sends to the lookup, the reference filled in.
    response = client.get(booking.get_absolute_url())
    assert response.status_code == 302 and response["Location"] == f"{lookup}?reference={booking.reference}"
    response = client.post(lookup, {"reference": booking.reference.lower(), "phone_end": "5678"}, follow=True)
    page = response.content.decode()
    assert booking.reference in page and "139****5678" in page and "取消此预约" in page
    print_page = client.get(reverse("bases:booking-print", args=[booking.reference])).content.decode()
    assert "东山中学" in print_page and "13912345678" not in print_page
    client.post(reverse("bases:booking-cancel", args=[booking.reference]), {"reason": "行程变动"})
    booking.refresh_from_db()
    assert booking.status == "cancelled" and booking.cancel_reason == "行程变动"


def test_a_wrong_reference_and_wrong_digits_get_the_same_answer(client, slot):
    booking = make_public_booking(slot)
    lookup = reverse("bases:booking-lookup")
    wrong_digits = client.post(lookup, {"reference": booking.reference, "phone_end": "0000"})
    wrong_reference = client.post(lookup, {"reference": "YY000000AAAAAA", "phone_end": "5678"})
    errors = []
    for response in (wrong_digits, wrong_reference):
        page = response.content.decode()
        assert response.status_code == 200
        errors.append(page[page.index('<div class="form-errors"') : page.index("</div>", page.index("form-errors"))])
    assert errors[0] == errors[1] and "没有找到与该预约号和手机尾号相符的预约" in errors[0]
    # Nor can the cancel link be used without the lookup.
    assert client.post(reverse("bases:booking-cancel", args=[booking.reference])).status_code == 404
    assert VisitBooking.objects.get().status == "pending"


def test_lookups_are_rate_limited_per_client(client, slot, monkeypatch):
    monkeypatch.setattr("core.ratelimit.time", types.SimpleNamespace(time=lambda: 1_800_000_000.0))
    booking = make_public_booking(slot)
    lookup = reverse("bases:booking-lookup")
    for number in range(views.LOOKUPS_PER_TEN_MINUTES):
        client.post(lookup, {"reference": booking.reference, "phone_end": f"{number:04d}"})
    response = client.post(lookup, {"reference": booking.reference, "phone_end": "5678"})
    assert response.status_code == 429


def test_staff_decline_with_a_reason_that_the_booker_sees(client, slot, staff_a):
    booking = make_public_booking(slot)
    with pytest.raises(BookingError) as refused:
        booking_decline(booking=booking, actor=staff_a, reason=" ")
    assert refused.value.code == "decline_reason_required"
    booking_decline(booking=booking, actor=staff_a, reason="当天接待已满，请改约下周")
    assert VisitSlot.objects.with_booked().get(pk=slot.pk).seats_left == 40
    client.post(reverse("bases:booking-lookup"), {"reference": booking.reference, "phone_end": "5678"})
    page = client.get(booking.get_absolute_url()).content.decode()
    assert "未通过" in page and "当天接待已满，请改约下周" in page and "取消此预约" not in page
    assert booking.history.first().history_user == staff_a


def test_the_base_staff_see_the_whole_phone_number(client, slot, staff_a):
    booking = make_public_booking(slot)
    client.force_login(staff_a)
    page = client.get(booking.get_absolute_url()).content.decode()
    assert "13912345678" in page


def test_public_contacts_are_erased_after_the_retention_period(slot, settings):
    booking = make_public_booking(slot)
    settings.PORTAL_CONTACT_RETENTION_DAYS = -30  # the visit lies past the period
    assert booking_contacts_erase_expired() == 1
    booking.refresh_from_db()
    assert (booking.contact_name, booking.contact_phone) == ("", "")
    assert not VisitBooking.history.filter(contact_phone="13912345678").exists()


CONTROL_AND_ODD_INPUT = [
    "\x00",
    "东山\x00中学",
    "\x1b[31m",
    "\u202e\u200f",
    "😀" * 60,
    "' OR 1=1--",
    "x" * 1000,
    "１３９１２３４５６７８",
]


@pytest.mark.parametrize("field", ["organisation", "purpose", "contact_name", "contact_phone", "note", "group_size"])
@pytest.mark.parametrize("value", CONTROL_AND_ODD_INPUT)
def test_odd_input_in_any_booking_field_is_a_form_error_never_a_server_error(client, slot, field, value):
    response = post_booking(client, slot, **{field: value})
    assert response.status_code in (200, 400)
    for booking in VisitBooking.objects.all():  # whatever was accepted holds no control character
        stored = " ".join(str(getattr(booking, name)) for name in ("organisation", "purpose", "contact_name", "note"))
        assert "\x00" not in stored and "\x1b" not in stored


@pytest.mark.parametrize("value", CONTROL_AND_ODD_INPUT)
def test_odd_input_in_the_lookup_is_the_same_not_found_answer(client, slot, value):
    for data in ({"reference": value, "phone_end": "5678"}, {"reference": "QF-0000", "phone_end": value}):
        response = client.post(reverse("bases:booking-lookup"), data)
        assert response.status_code in (200, 400)
