import datetime
import uuid

import pytest
from django.utils import timezone

from bases.models import EducationBase, VisitBooking, VisitSlot
from bases.services import (
    BookingError,
    SlotError,
    booking_cancel,
    booking_confirm,
    booking_contacts_erase_expired,
    booking_record_attendance,
    slot_close,
    slot_save,
    slots_create_repeating,
)
from bases.tests.factories import EducationBaseFactory, VisitSlotFactory, make_booking


@pytest.fixture
def slot(township_a):
    return VisitSlotFactory(base=EducationBaseFactory(unit=township_a), capacity=60)


def test_slug_is_readable_pinyin_and_unique(township_a):
    first = EducationBaseFactory(name="清风园", unit=township_a)
    second = EducationBaseFactory(name="清风园", unit=township_a)
    assert first.slug == "qing-feng-yuan"
    assert second.slug == "qing-feng-yuan-2"


def test_publish_time_is_stamped_once_by_the_system(township_a):
    base = EducationBaseFactory(unit=township_a, is_published=False)
    assert base.published_at is None
    base.is_published = True
    from bases.services import base_save

    base_save(base=base, actor=None)
    stamped = base.published_at
    assert stamped is not None
    base.name = "改名"
    base_save(base=base, actor=None)
    assert base.published_at == stamped
    assert base.history.count() == 3


def test_a_group_takes_as_many_seats_as_people(slot, cadre_a, village_a):
    make_booking(slot, cadre_a, village_a, group_size=40)
    assert VisitSlot.objects.with_booked().get(pk=slot.pk).seats_left == 20


def test_a_group_larger_than_what_remains_is_refused_whole(slot, cadre_a, village_a):
    make_booking(slot, cadre_a, village_a, group_size=40)
    with pytest.raises(BookingError) as error:
        make_booking(slot, cadre_a, village_a, group_size=21)
    assert error.value.code == "not_enough_places"
    assert error.value.message == "名额不足，剩余 20 人"
    assert VisitBooking.objects.count() == 1


def test_cancelled_bookings_free_their_seats(slot, cadre_a, village_a, staff_a):
    booking = make_booking(slot, cadre_a, village_a, group_size=60)
    booking_cancel(booking=booking, reason="改期", actor=None)
    make_booking(slot, cadre_a, village_a, group_size=60)
    assert VisitBooking.objects.filter(status=VisitBooking.Status.PENDING).count() == 1


def test_the_same_form_submitted_twice_books_once(slot, cadre_a, village_a):
    token = uuid.uuid4()
    first = make_booking(slot, cadre_a, village_a, request_token=token)
    second = make_booking(slot, cadre_a, village_a, request_token=token)
    assert first.pk == second.pk
    assert VisitBooking.objects.count() == 1


@pytest.mark.parametrize("change", [{"is_closed": True}, {"date": datetime.date(2020, 1, 1)}])
def test_past_or_closed_slots_cannot_be_booked(slot, cadre_a, village_a, change):
    VisitSlot.objects.filter(pk=slot.pk).update(**change)
    slot.refresh_from_db()
    with pytest.raises(BookingError) as error:
        make_booking(slot, cadre_a, village_a)
    assert error.value.code == "slot_unavailable"
    assert not VisitBooking.objects.exists()


def test_zero_people_is_refused(slot, cadre_a, village_a):
    with pytest.raises(BookingError) as error:
        make_booking(slot, cadre_a, village_a, group_size=0)
    assert error.value.code == "group_empty"


def test_confirm_then_record_attendance(slot, cadre_a, village_a, staff_a):
    booking = make_booking(slot, cadre_a, village_a, group_size=30)
    with pytest.raises(BookingError) as error:
        booking_record_attendance(booking=booking, actual_visitors=28, actor=staff_a)
    assert error.value.code == "not_confirmed"
    booking_confirm(booking=booking, actor=staff_a)
    booking_record_attendance(booking=booking, actual_visitors=28, actor=staff_a)
    booking.refresh_from_db()
    assert booking.status == VisitBooking.Status.CONFIRMED and booking.actual_visitors == 28
    with pytest.raises(BookingError) as error:
        booking_confirm(booking=booking, actor=staff_a)
    assert error.value.code == "not_pending"


def test_the_booker_cannot_cancel_within_24_hours(township_a, cadre_a, village_a):
    starts = (timezone.localtime() + datetime.timedelta(hours=2)).replace(second=0, microsecond=0)
    soon = VisitSlotFactory(
        base=EducationBaseFactory(unit=township_a),
        date=starts.date(),
        start_time=starts.time(),
        end_time=datetime.time(23, 59, 59),
    )
    booking = make_booking(soon, cadre_a, village_a)
    with pytest.raises(BookingError) as error:
        booking_cancel(booking=booking, reason="", by_booker=True, actor=None)
    assert error.value.code == "too_late_to_cancel"
    booking.refresh_from_db()
    assert booking.status == VisitBooking.Status.PENDING


def test_staff_must_give_a_reason_to_cancel(slot, cadre_a, village_a):
    booking = make_booking(slot, cadre_a, village_a)
    with pytest.raises(BookingError) as error:
        booking_cancel(booking=booking, reason="  ", actor=None)
    assert error.value.code == "reason_required"


def test_repeating_schedule_creates_the_chosen_weekdays(township_a):
    base = EducationBaseFactory(unit=township_a)
    monday = timezone.localdate() + datetime.timedelta(days=7 - timezone.localdate().weekday())
    created = slots_create_repeating(
        base=base,
        weekdays=[1, 3],
        start_time=datetime.time(9),
        end_time=datetime.time(11),
        capacity=60,
        first_date=monday,
        weeks=8,
        actor=None,
    )
    assert len(created) == 16
    assert {slot.date.weekday() for slot in created} == {1, 3}
    again = slots_create_repeating(
        base=base,
        weekdays=[1, 3],
        start_time=datetime.time(9),
        end_time=datetime.time(11),
        capacity=60,
        first_date=monday,
        weeks=8,
        actor=None,
    )
    assert again == [] and VisitSlot.objects.count() == 16


def test_contacts_are_erased_after_the_retention_period(slot, cadre_a, village_a, settings):
    booking = make_booking(slot, cadre_a, village_a)
    VisitSlot.objects.filter(pk=slot.pk).update(date=timezone.localdate() - datetime.timedelta(days=400))
    settings.PORTAL_CONTACT_RETENTION_DAYS = 365
    assert booking_contacts_erase_expired() == 1
    booking.refresh_from_db()
    assert booking.contact_name == "" and booking.contact_phone == "" and booking.group_size == 10
    # The old versions in the history no longer hold the contact either; the erasure is the
    # newest version, made by the system.
    assert not booking.history.exclude(contact_name="").exists()
    assert not booking.history.exclude(contact_phone="").exists()
    assert booking.history.first().history_user is None


def test_unpublished_bases_are_not_in_published(township_a):
    EducationBaseFactory(unit=township_a, is_published=False)
    assert not EducationBase.objects.published().exists()


def test_state_changes_name_their_actor_in_the_history(slot, cadre_a, village_a, staff_a):
    booking = make_booking(slot, cadre_a, village_a)
    assert booking.history.first().history_user == cadre_a
    booking_confirm(booking=booking, actor=staff_a)
    latest = booking.history.first()
    assert (latest.status, latest.history_user) == (VisitBooking.Status.CONFIRMED, staff_a)
    booking_cancel(booking=booking, reason="场馆维修", actor=staff_a)
    assert booking.history.first().history_user == staff_a
    assert booking.history.count() == 3


def test_thumbnails_are_made_only_after_the_transaction_commits(township_a, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction

    from bases.services import base_save
    from core.tests.images import png_bytes

    base = EducationBaseFactory(unit=township_a)
    base.cover = SimpleUploadedFile("cover.png", png_bytes((900, 600)), "image/png")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        base_save(base=base, actor=None)
    assert callbacks and not base.cover_thumbnail  # nothing made while the transaction is open
    with django_capture_on_commit_callbacks(execute=True):
        base_save(base=base, actor=None)
    base.refresh_from_db()
    assert base.cover_thumbnail

    rolled_back = EducationBaseFactory(unit=township_a)
    rolled_back.cover = SimpleUploadedFile("cover2.png", png_bytes((900, 600)), "image/png")
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        base_save(base=rolled_back, actor=None)
        raise RuntimeError("the request failed after the save")
    assert callbacks == []  # a rollback discards the thumbnail work with the rows


def test_a_cancelled_booking_cannot_be_confirmed(slot, cadre_a, village_a, staff_a):
    booking = make_booking(slot, cadre_a, village_a)
    stale = VisitBooking.objects.get(pk=booking.pk)
    booking_cancel(booking=booking, reason="场馆维修", actor=staff_a)
    with pytest.raises(BookingError) as error:
        booking_confirm(booking=stale, actor=staff_a)  # a copy read before the cancellation
    assert error.value.code == "already_cancelled"
    booking.refresh_from_db()
    assert booking.status == VisitBooking.Status.CANCELLED and booking.confirmed_at is None


def test_actual_visitors_cannot_exceed_the_group_size(slot, cadre_a, village_a, staff_a):
    booking = make_booking(slot, cadre_a, village_a, group_size=30)
    booking_confirm(booking=booking, actor=staff_a)
    with pytest.raises(BookingError) as error:
        booking_record_attendance(booking=booking, actual_visitors=31, actor=staff_a)
    assert error.value.code == "too_many_visitors"
    assert "30" in error.value.message
    booking.refresh_from_db()
    assert booking.actual_visitors is None
    booking_record_attendance(booking=booking, actual_visitors=30, actor=staff_a)
    booking.refresh_from_db()
    assert booking.actual_visitors == 30


def test_capacity_cannot_go_below_the_seats_held(slot, cadre_a, village_a, staff_a):
    make_booking(slot, cadre_a, village_a, group_size=20)
    confirmed = make_booking(slot, cadre_a, village_a, group_size=15)
    booking_confirm(booking=confirmed, actor=staff_a)
    booking_cancel(booking=make_booking(slot, cadre_a, village_a, group_size=10), reason="改期", actor=staff_a)
    slot.capacity = 34
    with pytest.raises(SlotError) as error:
        slot_save(slot=slot, actor=staff_a)
    assert error.value.code == "capacity_below_held" and "35" in error.value.message
    assert VisitSlot.objects.get(pk=slot.pk).capacity == 60
    slot.capacity = 35
    slot_save(slot=slot, actor=staff_a)
    assert VisitSlot.objects.get(pk=slot.pk).capacity == 35
    assert slot.history.first().history_user == staff_a


@pytest.mark.parametrize(
    "change",
    [
        {"is_closed": True},
        {"date": datetime.timedelta(days=1)},  # a day after the slot's date
        {"start_time": datetime.time(9, 30)},
        {"end_time": datetime.time(12, 0)},
    ],
    ids=["closed", "date", "start", "end"],
)
def test_a_slot_with_held_bookings_cannot_be_closed_or_moved(slot, cadre_a, village_a, staff_a, change):
    make_booking(slot, cadre_a, village_a)
    make_booking(slot, cadre_a, village_a)
    for name, value in change.items():
        # A move is relative to the slot's own date: a date fixed when the tests were collected
        # would equal the slot's when the run crosses midnight.
        setattr(slot, name, slot.date + value if name == "date" else value)
    with pytest.raises(SlotError) as error:
        slot_save(slot=slot, actor=staff_a)
    assert error.value.code == "has_bookings" and "2" in error.value.message
    fresh = VisitSlot.objects.get(pk=slot.pk)
    assert not fresh.is_closed and fresh.start_time == datetime.time(9, 0)


def test_a_slot_whose_bookings_are_cancelled_can_be_moved_and_its_note_always_edited(slot, cadre_a, village_a, staff_a):
    booking = make_booking(slot, cadre_a, village_a)
    slot.note = "请提前十分钟到达"
    slot_save(slot=slot, actor=staff_a)
    booking_cancel(booking=booking, reason="场馆维修", actor=staff_a)
    slot.start_time = datetime.time(9, 30)
    slot_save(slot=slot, actor=staff_a)
    assert VisitSlot.objects.get(pk=slot.pk).start_time == datetime.time(9, 30)


def test_closing_a_slot_cancels_its_held_bookings_with_the_reason(slot, cadre_a, village_a, staff_a):
    pending = make_booking(slot, cadre_a, village_a)
    confirmed = make_booking(slot, cadre_a, village_a)
    booking_confirm(booking=confirmed, actor=staff_a)
    with pytest.raises(SlotError) as error:
        slot_close(slot=slot, reason=" ", actor=staff_a)
    assert error.value.code == "reason_required"
    assert not VisitSlot.objects.get(pk=slot.pk).is_closed
    assert slot_close(slot=slot, reason="场馆临时维修", actor=staff_a) == 2
    assert VisitSlot.objects.get(pk=slot.pk).is_closed
    for booking in (pending, confirmed):
        booking.refresh_from_db()
        assert booking.status == VisitBooking.Status.CANCELLED and booking.cancel_reason == "场馆临时维修"
        assert booking.history.first().history_user == staff_a
    empty = VisitSlotFactory(base=slot.base, start_time=datetime.time(14, 0), end_time=datetime.time(16, 0))
    assert slot_close(slot=empty, reason="", actor=staff_a) == 0
    assert VisitSlot.objects.get(pk=empty.pk).is_closed
