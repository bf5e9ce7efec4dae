"""Many cadres booking the last seats at the same moment, on real PostgreSQL connections."""

import threading
import time
import uuid

import pytest
from django.db import connection

from bases import services
from bases.models import VisitBooking, VisitSlot
from bases.services import BookingError, booking_create
from bases.tests.factories import EducationBaseFactory, VisitSlotFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locking needs PostgreSQL (set DATABASE_URL)"),
]

THREADS = 24
GROUP = 5
CAPACITY = 50  # room for 10 of the 24 groups


def book(slot, user, unit):
    return booking_create(
        slot=slot,
        unit=unit,
        actor=user,
        group_size=GROUP,
        contact_name="并发",
        contact_phone="13800000000",
        request_token=uuid.uuid4(),
    )


def book_all_at_once(slot, user, unit):
    barrier = threading.Barrier(THREADS)
    outcomes, errors = [], []

    def worker():
        try:
            barrier.wait(timeout=30)
            book(slot, user, unit)
            outcomes.append("booked")
        except BookingError as error:
            outcomes.append(error.code)
        except Exception as error:
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes, errors


def held_seats(slot):
    return VisitSlot.objects.with_booked().get(pk=slot.pk).booked


def test_concurrent_bookings_never_exceed_capacity(township_a, cadre_a, village_a):
    slot = VisitSlotFactory(base=EducationBaseFactory(unit=township_a), capacity=CAPACITY)
    outcomes, errors = book_all_at_once(slot, cadre_a, village_a)
    assert errors == []
    assert held_seats(slot) <= CAPACITY
    assert outcomes.count("booked") == CAPACITY // GROUP
    refused = [outcome for outcome in outcomes if outcome != "booked"]
    assert len(refused) == THREADS - CAPACITY // GROUP
    assert set(refused) == {"not_enough_places"}


def test_without_the_lock_the_same_load_oversells(township_a, cadre_a, village_a, monkeypatch):
    """Proves the race is real: no row lock, and a pause after the recount."""
    monkeypatch.setattr(services, "_lock_slot", lambda slot_id: VisitSlot.objects.get(pk=slot_id))
    monkeypatch.setattr(services, "_after_recount", lambda: time.sleep(0.3))
    slot = VisitSlotFactory(base=EducationBaseFactory(unit=township_a), capacity=CAPACITY)
    _outcomes, errors = book_all_at_once(slot, cadre_a, village_a)
    assert errors == []
    assert held_seats(slot) > CAPACITY
    assert VisitBooking.objects.filter(slot=slot).count() > CAPACITY // GROUP


def test_a_booking_that_cannot_get_the_slot_in_time_is_told_to_retry(township_a, cadre_a, village_a, monkeypatch):
    """Another transaction holds the slot's row lock: the booking waits the bounded time, then
    answers "busy" instead of hanging its worker, and books nothing."""
    from django.db import transaction

    from core import locking

    monkeypatch.setattr(locking, "LOCK_TIMEOUT", "200ms")
    slot = VisitSlotFactory(base=EducationBaseFactory(unit=township_a), capacity=CAPACITY)
    locked, release = threading.Event(), threading.Event()

    def hold_the_lock():
        with transaction.atomic():
            VisitSlot.objects.select_for_update().get(pk=slot.pk)
            locked.set()
            release.wait(timeout=30)
        connection.close()

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    try:
        assert locked.wait(timeout=30)
        with pytest.raises(locking.LockBusy) as error:
            book(slot, cadre_a, village_a)
        assert error.value.code == "busy"
    finally:
        release.set()
        holder.join(timeout=30)
    assert not VisitBooking.objects.filter(slot=slot).exists()


TRIES = 10


def confirm_and_cancel_at_once(booking, staff):
    """Confirm and cancel one booking from two connections at the same moment; the outcome of
    each (None, or the refusal's code)."""
    barrier, outcomes, errors = threading.Barrier(2), {}, []

    def run(name, operation):
        try:
            barrier.wait(timeout=30)
            operation(booking=VisitBooking.objects.get(pk=booking.pk))
            outcomes[name] = None
        except BookingError as error:
            outcomes[name] = error.code
        except Exception as error:
            errors.append(repr(error))
        finally:
            connection.close()

    operations = {
        "confirm": lambda booking: services.booking_confirm(booking=booking, actor=staff),
        "cancel": lambda booking: services.booking_cancel(booking=booking, actor=staff, reason="场馆维修"),
    }
    threads = [threading.Thread(target=run, args=item) for item in operations.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    return outcomes


@pytest.fixture
def slow_confirmation(monkeypatch):
    """The confirmation pauses between reading the status and writing its own, to widen the race."""
    monkeypatch.setattr(services, "_after_status_check", lambda action: time.sleep(0.3 if action == "confirm" else 0))


def test_a_booking_confirmed_and_cancelled_at_once_stays_cancelled(
    township_a, cadre_a, village_a, staff_a, slow_confirmation
):
    slot = VisitSlotFactory(base=EducationBaseFactory(unit=township_a), capacity=CAPACITY)
    for _ in range(TRIES):
        booking = book(slot, cadre_a, village_a)
        outcomes = confirm_and_cancel_at_once(booking, staff_a)
        booking.refresh_from_db()
        assert booking.status == VisitBooking.Status.CANCELLED and booking.cancel_reason == "场馆维修"
        assert outcomes["cancel"] is None and outcomes["confirm"] in (None, "already_cancelled")
        statuses = list(booking.history.order_by("history_date", "history_id").values_list("status", flat=True))
        if outcomes["confirm"] is None:  # confirmed first, then cancelled
            assert statuses == ["pending", "confirmed", "cancelled"] and booking.confirmed_at is not None
        else:  # cancelled first; the confirmation saw it and was refused
            assert statuses == ["pending", "cancelled"] and booking.confirmed_at is None


def test_without_the_booking_lock_a_cancelled_booking_is_revived(
    township_a, cadre_a, village_a, staff_a, slow_confirmation, monkeypatch
):
    """Proves the race is real: no row lock, and the confirmation writes after the cancellation."""
    monkeypatch.setattr(services, "_lock_booking", lambda booking_id: VisitBooking.objects.get(pk=booking_id))
    slot = VisitSlotFactory(base=EducationBaseFactory(unit=township_a), capacity=CAPACITY)
    revived = 0
    for _ in range(TRIES):
        booking = book(slot, cadre_a, village_a)
        outcomes = confirm_and_cancel_at_once(booking, staff_a)
        booking.refresh_from_db()
        if booking.status == VisitBooking.Status.CONFIRMED:
            assert outcomes == {"confirm": None, "cancel": None} and booking.cancelled_at is not None
            revived += 1
    assert revived > 0


def test_fifty_anonymous_clients_through_the_public_form_get_the_last_three_seats(settings):
    """The booking storm of the public site: 50 visitors without accounts, each from their own
    address and number, submit the public form for the last 3 seats at once. 3 are booked, the
    others read "not enough places", no request fails and no seat is sold twice."""
    from django.test import Client
    from django.urls import reverse

    from bases.tests.factories import make_public_booking

    settings.PORTAL_PUBLIC_PENDING_PER_SLOT_PER_DAY = 100
    slot = VisitSlotFactory(base=EducationBaseFactory(), capacity=10)
    make_public_booking(slot, group_size=7)
    url = reverse("bases:booking-create", args=[slot.base.slug, slot.pk])
    clients = 50
    barrier = threading.Barrier(clients)
    statuses, pages, errors = [], [], []

    def visitor(number):
        client = Client(REMOTE_ADDR=f"203.0.113.{number + 1}")
        try:
            client.get(url)  # the form, and the CSRF cookie with it
            barrier.wait(timeout=60)
            response = client.post(
                url,
                {
                    "visitor": "family",
                    "purpose": "家风教育",
                    "group_size": 1,
                    "contact_name": f"访客{number}",
                    "contact_phone": f"139{number:08d}",
                    "consent": "on",
                    "request_token": str(uuid.uuid4()),
                },
            )
            statuses.append(response.status_code)
            if response.status_code == 200:
                pages.append(response.content.decode())
        except Exception as error:
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=visitor, args=(number,)) for number in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    assert errors == []
    assert statuses.count(302) == 3 and statuses.count(200) == clients - 3
    assert all("名额不足" in page for page in pages)
    assert VisitBooking.objects.filter(visitor="family").count() == 3
    assert held_seats(slot) == 10
