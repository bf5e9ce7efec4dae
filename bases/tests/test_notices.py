"""What the bookers and the bases' staff are told, and when: received, confirmed, declined,
cancelled by the base, and the reminder two days before."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from bases.models import VisitBooking
from bases.notices import open_link
from bases.services import (
    booking_cancel,
    booking_confirm,
    booking_contacts_erase_expired,
    booking_decline,
    booking_reminders_send,
    slot_close,
)
from bases.tests.factories import EducationBaseFactory, VisitSlotFactory, make_booking, make_public_booking
from notifications.models import Notification


@pytest.fixture
def slot(township_a):
    base = EducationBaseFactory(name="东山廉洁教育基地", unit=township_a, township=township_a)
    return VisitSlotFactory(base=base, capacity=60, date=timezone.localdate() + datetime.timedelta(days=2))


def texts(event):
    return list(Notification.objects.filter(event=event, channel="sms").values_list("address", "body"))


def test_a_booking_received_texts_the_booker_and_emails_the_base_staff(
    slot, staff_a, django_capture_on_commit_callbacks
):
    staff_a.email = "dongshan@example.cn"
    staff_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        booking = make_public_booking(slot)
    [(phone, text)] = texts("booking.received")
    assert phone == "13912345678" and booking.reference in text and "东山廉洁教育基地" in text
    assert [message.to for message in mail.outbox] == [["dongshan@example.cn"]]
    assert "待确认" in mail.outbox[0].body and "东山中学" in mail.outbox[0].body
    assert set(Notification.objects.values_list("status", flat=True)) == {"sent"}


def test_confirm_decline_and_a_staff_cancellation_are_texted_with_the_reason(slot, staff_a):
    confirmed = make_public_booking(slot, contact_phone="13900000001")
    booking_confirm(booking=confirmed, actor=staff_a)
    declined = make_public_booking(slot, contact_phone="13900000002")
    booking_decline(booking=declined, actor=staff_a, reason="当天接待已满")
    booking_cancel(booking=confirmed, actor=staff_a, reason="展馆临时检修")
    assert [phone for phone, _text in texts("booking.confirmed")] == ["13900000001"]
    assert "当天接待已满" in texts("booking.declined")[0][1]
    assert "展馆临时检修" in texts("booking.cancelled")[0][1]


def test_a_booker_cancelling_is_not_texted_and_closing_a_slot_texts_each_booker(slot, staff_a):
    own = make_public_booking(slot, contact_phone="13900000001")
    booking_cancel(booking=own, actor=None, reason="行程变动", by_booker=True)
    assert texts("booking.cancelled") == []
    make_public_booking(slot, contact_phone="13900000002")
    make_public_booking(slot, contact_phone="13900000003", visitor="family", organisation="")
    slot_close(slot=slot, actor=staff_a, reason="暴雨停馆")
    assert sorted(phone for phone, _text in texts("booking.cancelled")) == ["13900000002", "13900000003"]


def test_a_landline_gets_no_text_message(slot, cadre_a, village_a):
    make_booking(slot, cadre_a, village_a, contact_phone="0453-1234567")
    assert texts("booking.received") == []


def test_confirmed_visits_in_two_days_are_reminded_once_with_a_link_that_opens_the_booking(slot, staff_a, client):
    booking = make_public_booking(slot)
    pending = make_public_booking(slot, contact_phone="13900000009")
    later = make_public_booking(
        VisitSlotFactory(base=slot.base, date=slot.date + datetime.timedelta(days=5)), contact_phone="13900000008"
    )
    booking_confirm(booking=booking, actor=staff_a)
    booking_confirm(booking=later, actor=staff_a)
    assert booking_reminders_send() == 1
    assert booking_reminders_send() == 0  # run again (twice a day, or two schedulers): no second text
    [(phone, text)] = texts("booking.reminder")
    assert phone == "13912345678" and open_link(booking) in text
    assert pending.reference not in text
    # The link opens the booking, with its cancel and "we are coming" buttons, for whoever holds
    # the message; the base then sees that the group is coming.
    path = open_link(booking).split("8000", 1)[1]
    page = client.get(path, follow=True).content.decode()
    assert booking.reference in page and "取消此预约" in page and "confirm-visit-form" in page
    coming = client.post(reverse("bases:booking-confirm-visit", args=[booking.reference]), follow=True)
    page = coming.content.decode()
    assert "基地已知悉您将按时到访" in page and "confirm-visit-form" not in page and "预约人已于" in page
    booking.refresh_from_db()
    assert booking.visit_confirmed_at is not None
    client.post(reverse("bases:booking-confirm-visit", args=[booking.reference]))  # again: nothing changes
    assert VisitBooking.objects.get(pk=booking.pk).visit_confirmed_at == booking.visit_confirmed_at


def test_only_the_holder_of_a_confirmed_upcoming_booking_can_say_the_group_is_coming(slot, staff_a, client):
    booking = make_public_booking(slot)
    confirm = reverse("bases:booking-confirm-visit", args=[booking.reference])
    assert client.post(confirm).status_code == 404  # not opened in this session
    client.get(open_link(booking).split("8000", 1)[1])
    page = client.post(confirm, follow=True).content.decode()  # still pending: the base has not confirmed
    assert "只有已确认且尚未到访的预约" in page
    assert VisitBooking.objects.get(pk=booking.pk).visit_confirmed_at is None


def test_a_forged_open_link_opens_nothing(client, slot):
    booking = make_public_booking(slot)
    response = client.get(reverse("bases:booking-open", args=[booking.reference]), follow=True)
    page = response.content.decode()
    assert "链接已失效" in page and response.redirect_chain[-1][0] == reverse("bases:booking-lookup")
    assert client.get(booking.get_absolute_url()).status_code == 302  # still not opened


def test_erasing_expired_contacts_erases_the_texts_sent_about_them(slot, settings):
    make_public_booking(slot)
    settings.PORTAL_CONTACT_RETENTION_DAYS = -30
    booking_contacts_erase_expired()
    assert Notification.objects.exists()
    assert not Notification.objects.exclude(address="").exists()
    assert not Notification.objects.filter(body__contains="13912345678").exists()
