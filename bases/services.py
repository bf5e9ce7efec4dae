import datetime
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from pypinyin import lazy_pinyin

from bases import notices
from bases.models import EducationBase, VisitBooking, VisitSlot
from core.errors import DomainError
from core.history import record_actor
from core.images import renditions_after_commit
from core.locking import lock_for_update
from notifications.services import notifications_erase_addresses
from units.models import Unit
from units.review import review_sync

BOOKING_CANCEL_CUTOFF = datetime.timedelta(hours=24)


class BookingError(DomainError):
    error_messages = {
        "group_empty": _("The group must have at least one person."),
        "slot_unavailable": _("This visit slot is closed or already past; please choose another one."),
        "not_enough_places": _("Not enough places: %(left)d left."),
        "not_pending": _("Only a pending booking can be confirmed or declined."),
        "public_cap": _(
            "This visit time has received as many unconfirmed bookings today as it can take; please choose "
            "another time or call the base."
        ),
        "already_cancelled": _("This booking is already cancelled or declined."),
        "too_late_to_cancel": _(
            "Bookings can be cancelled online until 24 hours before the visit; please call the base."
        ),
        "reason_required": _("Please give a reason for the cancellation."),
        "decline_reason_required": _("Please give a reason for declining; the booker will see it."),
        "not_confirmed": _("Attendance can be recorded for confirmed bookings only."),
        "negative_visitors": _("The number of visitors cannot be negative."),
        "too_many_visitors": _("The actual visitors (%(actual)d) cannot exceed the group size of %(group)d booked."),
        "visit_not_confirmable": _("Only a confirmed booking whose visit is still ahead can be confirmed as coming."),
    }


class SlotError(DomainError):
    error_messages = {
        "capacity_below_held": _(
            "The capacity cannot be lower than the %(held)d people already booked (pending and confirmed bookings)."
        ),
        "has_bookings": _(
            "%(count)d bookings hold places in this slot, so it cannot be closed or moved. Use the action "
            "“Close the selected slots and cancel their bookings” on the list of visit slots and give a reason: "
            "the bookers will see it."
        ),
        "reason_required": _("Please give a reason for cancelling the bookings of this slot; the bookers will see it."),
    }


def base_slug(name: str) -> str:
    """A readable ASCII web address from a Chinese name: 清风园 → qing-feng-yuan."""
    return slugify("-".join(lazy_pinyin(name))) or "base"


@transaction.atomic
def base_save(*, base: EducationBase, actor) -> EducationBase:
    """Validate and save a base: a pinyin slug when none is given (made unique), the publish
    time stamped by the system the first time the base is published, thumbnails made once
    the transaction has committed."""
    if not base.slug:
        candidate = stem = base_slug(base.name)
        number = 2
        while EducationBase.objects.filter(slug=candidate).exclude(pk=base.pk).exists():
            candidate, number = f"{stem}-{number}", number + 1
        base.slug = candidate
    review_sync(base)
    if base.is_published and base.published_at is None:
        base.published_at = timezone.now()
    base.full_clean()
    record_actor(base, actor)
    base.save()
    renditions_after_commit(base)
    return base


@transaction.atomic
def slots_create_repeating(
    *,
    base: EducationBase,
    weekdays: list[int],
    start_time: datetime.time,
    end_time: datetime.time,
    capacity: int,
    first_date: datetime.date,
    weeks: int,
    actor,
) -> list[VisitSlot]:
    """Create a slot on each chosen weekday (0 = Monday) for `weeks` weeks from `first_date`.
    Days that already have a slot at that start time are left as they are."""
    existing = set(
        VisitSlot.objects.filter(base=base, start_time=start_time, date__gte=first_date).values_list("date", flat=True)
    )
    created = []
    for offset in range(weeks * 7):
        day = first_date + datetime.timedelta(days=offset)
        if day.weekday() in weekdays and day not in existing:
            slot = VisitSlot(base=base, date=day, start_time=start_time, end_time=end_time, capacity=capacity)
            slot.full_clean()
            record_actor(slot, actor)
            slot.save()
            created.append(slot)
    return created


def _lock_slot(slot_id: int) -> VisitSlot:
    return lock_for_update(VisitSlot.objects.all(), pk=slot_id)


def _after_recount() -> None:
    """Nothing happens here; the concurrency tests pause in this place to widen the race."""


def _held(slot: VisitSlot) -> tuple[int, int]:
    """(bookings, people) of the pending and confirmed bookings of `slot`, in one query."""
    totals = slot.bookings.filter(status__in=VisitBooking.HOLDING_STATUSES).aggregate(
        bookings=Count("pk"), people=Sum("group_size", default=0)
    )
    return totals["bookings"], totals["people"]


MOVING_FIELDS = ("base_id", "date", "start_time", "end_time")


def slot_check_change(*, slot: VisitSlot, current: VisitSlot | None = None) -> None:
    """Raise SlotError if saving `slot` with its new values would break the bookings that hold
    places in it: a capacity below the people booked, or closing or moving (another base, date,
    start or end time) a slot that still has bookings. `current` is the row as stored (read
    here when not given). A new slot has no bookings and passes."""
    if slot.pk is None:
        return
    if current is None:
        current = VisitSlot.objects.get(pk=slot.pk)
    bookings, people = _held(current)
    if not bookings:
        return
    if slot.capacity is not None and slot.capacity < people:
        raise SlotError.for_code("capacity_below_held", held=people)
    closing = slot.is_closed and not current.is_closed
    moving = any(getattr(slot, name) != getattr(current, name) for name in MOVING_FIELDS)
    if closing or moving:
        raise SlotError.for_code("has_bookings", count=bookings)


@transaction.atomic
def slot_save(*, slot: VisitSlot, actor) -> VisitSlot:
    """Validate and save a visit slot. An existing slot's row is locked (as booking_create
    locks it) and the change is checked against the bookings holding places in it
    (slot_check_change): a slot with bookings is closed with slot_close, which cancels them."""
    if slot.pk is not None:
        slot_check_change(slot=slot, current=_lock_slot(slot.pk))
    slot.full_clean()
    record_actor(slot, actor)
    slot.save()
    return slot


@transaction.atomic
def slot_close(*, slot: VisitSlot, actor, reason: str) -> int:
    """Close `slot` to new bookings and cancel the bookings that hold places in it, each with
    `reason` (shown to the booker on their booking page). A reason is required when there is
    a booking to cancel. Returns the number of bookings cancelled."""
    locked = _lock_slot(slot.pk)
    held = list(locked.bookings.filter(status__in=VisitBooking.HOLDING_STATUSES).order_by("pk"))
    if held and not reason.strip():
        raise SlotError.for_code("reason_required")
    for booking in held:
        booking_cancel(booking=booking, actor=actor, reason=reason)
    if not locked.is_closed:
        locked.is_closed = True
        record_actor(locked, actor)
        locked.save(update_fields=["is_closed"])
    slot.is_closed = True
    return len(held)


def booking_create(
    *,
    slot: VisitSlot,
    actor,
    group_size: int,
    contact_name: str,
    contact_phone: str,
    request_token,
    unit: Unit | None = None,
    visitor: str = VisitBooking.Visitor.UNIT,
    organisation: str = "",
    purpose: str = "",
    note: str = "",
) -> VisitBooking:
    """Book `group_size` seats of `slot`, or raise BookingError: for `unit` on behalf of its
    cadre `actor`, or, on the public site, for an organisation or a family (`visitor`, no unit;
    `actor` is None for a visitor without an account).

    A public booking waits for the base's confirmation, and one slot takes at most
    settings.PORTAL_PUBLIC_PENDING_PER_SLOT_PER_DAY unconfirmed public bookings a day, so that
    nobody can fill a day's slots from the public form before the staff have looked.

    Locking rule: the slot row is locked (SELECT ... FOR UPDATE, waiting at most
    core.locking.LOCK_TIMEOUT, then LockBusy) before the seats held by pending and confirmed
    bookings are recounted, and stays locked until the booking is inserted, so two bookings for
    the same slot can never both see the same free seats. A group larger than what remains is
    refused whole. Freeing seats (cancelling) locks the booking only, not the slot.

    `request_token` comes from the form: submitting the same form twice returns the booking
    the first submission made instead of booking again.
    """
    if group_size < 1:
        raise BookingError.for_code("group_empty")
    try:
        with transaction.atomic():
            locked = _lock_slot(slot.pk)
            earlier = VisitBooking.objects.filter(request_token=request_token).first()
            if earlier is not None:
                return earlier
            if not locked.is_bookable:
                raise BookingError.for_code("slot_unavailable")
            seats_left = locked.capacity - _held(locked)[1]
            _after_recount()
            if group_size > seats_left:
                raise BookingError.for_code("not_enough_places", left=max(seats_left, 0))
            if visitor in VisitBooking.PUBLIC_VISITORS and _public_pending_today(locked) >= (
                settings.PORTAL_PUBLIC_PENDING_PER_SLOT_PER_DAY
            ):
                raise BookingError.for_code("public_cap")
            booking = VisitBooking(
                slot=locked,
                visitor=visitor,
                unit=unit,
                organisation=organisation if visitor == VisitBooking.Visitor.ORGANISATION else "",
                purpose=purpose,
                booked_by=actor,
                group_size=group_size,
                contact_name=contact_name,
                contact_phone=contact_phone,
                note=note,
                request_token=request_token,
                reference=_new_reference(),
            )
            booking.full_clean()
            record_actor(booking, actor)
            booking.save()
            notices.booking_received(booking)
            return booking
    except IntegrityError:
        # Two submissions of one form raced past the token check; the first one won.
        earlier = VisitBooking.objects.filter(request_token=request_token).first()
        if earlier is None:
            raise
        return earlier


def _public_pending_today(slot: VisitSlot) -> int:
    day_start = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time.min))
    return slot.bookings.filter(
        visitor__in=VisitBooking.PUBLIC_VISITORS, status=VisitBooking.Status.PENDING, created_at__gte=day_start
    ).count()


def _new_reference() -> str:
    return "YY" + timezone.localdate().strftime("%y%m%d") + secrets.token_hex(3).upper()


def _lock_booking(booking_id: int) -> VisitBooking:
    return lock_for_update(VisitBooking.objects.all(), pk=booking_id)


def _after_status_check(action: str) -> None:
    """Nothing happens here; the concurrency tests pause in this place to widen the race."""


STATE_FIELDS = ("status", "confirmed_at", "cancelled_at", "cancel_reason", "actual_visitors", "visit_confirmed_at")


def _show_state(booking: VisitBooking, stored: VisitBooking) -> VisitBooking:
    """The caller's instance takes the state the row now holds."""
    for name in STATE_FIELDS:
        setattr(booking, name, getattr(stored, name))
    return booking


# Status changes: the booking's row is locked (core.locking.lock_for_update) and its status is
# read again under the lock, so that a confirmation and a cancellation of the same booking at
# the same moment run one after the other, and the second one sees what the first one did (a
# cancelled booking is never revived). The caller's copy may be stale; it is updated at the end.


@transaction.atomic
def booking_confirm(*, booking: VisitBooking, actor) -> VisitBooking:
    stored = _lock_booking(booking.pk)
    if stored.status == VisitBooking.Status.CANCELLED:
        _show_state(booking, stored)
        raise BookingError.for_code("already_cancelled")
    if stored.status != VisitBooking.Status.PENDING:
        _show_state(booking, stored)
        raise BookingError.for_code("not_pending")
    _after_status_check("confirm")
    stored.status = VisitBooking.Status.CONFIRMED
    stored.confirmed_at = timezone.now()
    record_actor(stored, actor)
    stored.save(update_fields=["status", "confirmed_at"])
    notices.booking_confirmed(stored)
    return _show_state(booking, stored)


@transaction.atomic
def booking_decline(*, booking: VisitBooking, actor, reason: str) -> VisitBooking:
    """The base's staff turn down a pending booking, giving the reason the booker will see; its
    seats are free again."""
    stored = _lock_booking(booking.pk)
    if stored.status != VisitBooking.Status.PENDING:
        _show_state(booking, stored)
        raise BookingError.for_code("already_cancelled" if stored.status == stored.Status.CANCELLED else "not_pending")
    if not reason.strip():
        raise BookingError.for_code("decline_reason_required")
    _after_status_check("decline")
    _release(stored, VisitBooking.Status.DECLINED, reason, actor)
    notices.booking_declined(stored)
    return _show_state(booking, stored)


def _release(stored: VisitBooking, status: str, reason: str, actor) -> None:
    """End a booking (declined or cancelled) with its reason: its seats are free again."""
    stored.status = status
    stored.cancel_reason = reason.strip()
    stored.cancelled_at = timezone.now()
    record_actor(stored, actor)
    stored.save(update_fields=["status", "cancel_reason", "cancelled_at"])


@transaction.atomic
def booking_cancel(*, booking: VisitBooking, actor, reason: str, by_booker: bool = False) -> VisitBooking:
    """Cancel a booking and free its seats. The booker may cancel only until 24 hours before
    the visit; staff may cancel at any time, giving a reason."""
    stored = _lock_booking(booking.pk)
    if stored.status not in VisitBooking.HOLDING_STATUSES:
        _show_state(booking, stored)
        raise BookingError.for_code("already_cancelled")
    if by_booker and stored.slot.starts_at - timezone.now() < BOOKING_CANCEL_CUTOFF:
        raise BookingError.for_code("too_late_to_cancel")
    if not by_booker and not reason.strip():
        raise BookingError.for_code("reason_required")
    _after_status_check("cancel")
    _release(stored, VisitBooking.Status.CANCELLED, reason, actor)
    if not by_booker:
        notices.booking_cancelled_by_staff(stored)
    return _show_state(booking, stored)


@transaction.atomic
def booking_confirm_visit(*, booking: VisitBooking, actor) -> VisitBooking:
    """The booker answers the reminder: the group is coming. For a confirmed booking whose visit
    is still ahead; saying it again changes nothing."""
    stored = _lock_booking(booking.pk)
    if stored.status != VisitBooking.Status.CONFIRMED or stored.slot.starts_at <= timezone.now():
        _show_state(booking, stored)
        raise BookingError.for_code("visit_not_confirmable")
    if stored.visit_confirmed_at is None:
        stored.visit_confirmed_at = timezone.now()
        record_actor(stored, actor)
        stored.save(update_fields=["visit_confirmed_at"])
    return _show_state(booking, stored)


def booking_check_attendance(*, booking: VisitBooking, actual_visitors: int) -> None:
    """Raise BookingError unless `actual_visitors` may be recorded for `booking`: a confirmed
    booking, between 0 and the group size booked."""
    if booking.status != VisitBooking.Status.CONFIRMED:
        raise BookingError.for_code("not_confirmed")
    if actual_visitors < 0:
        raise BookingError.for_code("negative_visitors")
    if actual_visitors > booking.group_size:
        raise BookingError.for_code("too_many_visitors", actual=actual_visitors, group=booking.group_size)


@transaction.atomic
def booking_record_attendance(*, booking: VisitBooking, actor, actual_visitors: int) -> VisitBooking:
    stored = _lock_booking(booking.pk)
    booking_check_attendance(booking=stored, actual_visitors=actual_visitors)
    _after_status_check("attendance")
    stored.actual_visitors = actual_visitors
    record_actor(stored, actor)
    stored.save(update_fields=["actual_visitors"])
    return _show_state(booking, stored)


@transaction.atomic
def booking_contacts_erase_expired() -> int:
    """Erase contact names and phones of bookings whose visit lies past the retention period,
    in the bookings and in their history (an erased phone must not live on in an old version).
    The erasure itself is recorded as a history row with no user: the system did it."""
    cutoff = timezone.localdate() - datetime.timedelta(days=settings.PORTAL_CONTACT_RETENTION_DAYS)
    expired = list(VisitBooking.objects.filter(slot__date__lt=cutoff, contact_erased_at__isnull=True))
    erased_at = timezone.now()
    for booking in expired:
        booking.contact_name, booking.contact_phone, booking.contact_erased_at = "", "", erased_at
        record_actor(booking, None)
        booking.save(update_fields=["contact_name", "contact_phone", "contact_erased_at"])
    # Old versions hold the contacts too; nothing in them needs validating, so one UPDATE. So do
    # the text messages sent about the bookings.
    keys = [booking.pk for booking in expired]
    VisitBooking.history.filter(id__in=keys).update(contact_name="", contact_phone="")
    notifications_erase_addresses(VisitBooking, keys)
    return len(expired)


REMINDER_DAYS_BEFORE = 2


def booking_reminders_send(*, today: datetime.date | None = None) -> int:
    """Remind the bookers of the confirmed visits in REMINDER_DAYS_BEFORE days (run daily). Each
    booking is reminded once, however often this runs. Returns the bookings reminded now."""
    day = (today or timezone.localdate()) + datetime.timedelta(days=REMINDER_DAYS_BEFORE)
    due = VisitBooking.objects.filter(status=VisitBooking.Status.CONFIRMED, slot__date=day).select_related("slot__base")
    reminded = 0
    for booking in due.order_by("pk"):
        with transaction.atomic():
            reminded += bool(notices.booking_reminder(booking))
    return reminded
