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


def book_all_at_once(slot, user, unit):
    barrier = threading.Barrier(THREADS)
    outcomes, errors = [], []

    def worker():
        try:
            barrier.wait(timeout=30)
            booking_create(
                slot=slot,
                unit=unit,
                booked_by=user,
                group_size=GROUP,
                contact_name="并发",
                contact_phone="13800000000",
                request_token=uuid.uuid4(),
            )
            outcomes.append("booked")
        except BookingError as error:
            outcomes.append(error.message)
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
    assert all(message.startswith("名额不足") for message in refused)


def test_without_the_lock_the_same_load_oversells(township_a, cadre_a, village_a, monkeypatch):
    """Proves the race is real: no row lock, and a pause after the recount."""
    monkeypatch.setattr(services, "_lock_slot", lambda slot_id: VisitSlot.objects.get(pk=slot_id))
    monkeypatch.setattr(services, "_after_recount", lambda: time.sleep(0.3))
    slot = VisitSlotFactory(base=EducationBaseFactory(unit=township_a), capacity=CAPACITY)
    _outcomes, errors = book_all_at_once(slot, cadre_a, village_a)
    assert errors == []
    assert held_seats(slot) > CAPACITY
    assert VisitBooking.objects.filter(slot=slot).count() > CAPACITY // GROUP
