import datetime
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from pypinyin import lazy_pinyin

from bases.models import EducationBase, VisitBooking, VisitSlot
from portal.images import renditions_refresh
from units.models import Unit

BOOKING_CANCEL_CUTOFF = datetime.timedelta(hours=24)


class BookingError(Exception):
    """A booking rule was broken; `message` is shown to the user as it is."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def base_slug(name: str) -> str:
    """A readable ASCII web address from a Chinese name: 清风园 → qing-feng-yuan."""
    return slugify("-".join(lazy_pinyin(name))) or "base"


@transaction.atomic
def base_save(*, base: EducationBase) -> EducationBase:
    """Validate and save a base: a pinyin slug when none is given (made unique), the publish
    time stamped by the system the first time the base is published, thumbnails made once."""
    if not base.slug:
        candidate = stem = base_slug(base.name)
        number = 2
        while EducationBase.objects.filter(slug=candidate).exclude(pk=base.pk).exists():
            candidate, number = f"{stem}-{number}", number + 1
        base.slug = candidate
    if base.is_published and base.published_at is None:
        base.published_at = timezone.now()
    base.full_clean()
    base.save()
    renditions_refresh(base)
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
            slot.save()
            created.append(slot)
    return created


def _lock_slot(slot_id: int) -> VisitSlot:
    return VisitSlot.objects.select_for_update().get(pk=slot_id)


def _after_recount() -> None:
    """Nothing happens here; the concurrency tests pause in this place to widen the race."""


def _seats_held(slot: VisitSlot) -> int:
    return (
        slot.bookings.filter(status__in=VisitBooking.HOLDING_STATUSES).aggregate(total=Sum("group_size"))["total"] or 0
    )


def booking_create(
    *,
    slot: VisitSlot,
    unit: Unit,
    booked_by,
    group_size: int,
    contact_name: str,
    contact_phone: str,
    note: str = "",
    request_token,
) -> VisitBooking:
    """Book `group_size` seats of `slot` for `unit`, or raise BookingError.

    Locking rule: the slot row is locked (SELECT ... FOR UPDATE) before the seats held by
    pending and confirmed bookings are recounted, and stays locked until the booking is
    inserted, so two bookings for the same slot can never both see the same free seats. A group
    larger than what remains is refused whole. Freeing seats (cancelling) takes no lock.

    `request_token` comes from the form: submitting the same form twice returns the booking
    the first submission made instead of booking again.
    """
    if group_size < 1:
        raise BookingError(_("The group must have at least one person."))
    try:
        with transaction.atomic():
            locked = _lock_slot(slot.pk)
            earlier = VisitBooking.objects.filter(request_token=request_token).first()
            if earlier is not None:
                return earlier
            if not locked.is_bookable:
                raise BookingError(_("This visit slot is closed or already past; please choose another one."))
            seats_left = locked.capacity - _seats_held(locked)
            _after_recount()
            if group_size > seats_left:
                raise BookingError(_("Not enough places: %(left)d left.") % {"left": max(seats_left, 0)})
            booking = VisitBooking(
                slot=locked,
                unit=unit,
                booked_by=booked_by,
                group_size=group_size,
                contact_name=contact_name,
                contact_phone=contact_phone,
                note=note,
                request_token=request_token,
                reference=_new_reference(),
            )
            booking.full_clean()
            booking.save()
            return booking
    except IntegrityError:
        # Two submissions of one form raced past the token check; the first one won.
        earlier = VisitBooking.objects.filter(request_token=request_token).first()
        if earlier is None:
            raise
        return earlier


def _new_reference() -> str:
    return "YY" + timezone.localdate().strftime("%y%m%d") + secrets.token_hex(3).upper()


@transaction.atomic
def booking_confirm(*, booking: VisitBooking) -> VisitBooking:
    if booking.status != VisitBooking.Status.PENDING:
        raise BookingError(_("Only a pending booking can be confirmed."))
    booking.status = VisitBooking.Status.CONFIRMED
    booking.confirmed_at = timezone.now()
    booking.save(update_fields=["status", "confirmed_at"])
    return booking


@transaction.atomic
def booking_cancel(*, booking: VisitBooking, reason: str, by_booker: bool = False) -> VisitBooking:
    """Cancel a booking and free its seats. The booker may cancel only until 24 hours before
    the visit; staff may cancel at any time, giving a reason."""
    if booking.status == VisitBooking.Status.CANCELLED:
        raise BookingError(_("This booking is already cancelled."))
    if by_booker and booking.slot.starts_at - timezone.now() < BOOKING_CANCEL_CUTOFF:
        raise BookingError(_("Bookings can be cancelled online until 24 hours before the visit; please call the base."))
    if not by_booker and not reason.strip():
        raise BookingError(_("Please give a reason for the cancellation."))
    booking.status = VisitBooking.Status.CANCELLED
    booking.cancel_reason = reason.strip()
    booking.cancelled_at = timezone.now()
    booking.save(update_fields=["status", "cancel_reason", "cancelled_at"])
    return booking


@transaction.atomic
def booking_record_attendance(*, booking: VisitBooking, actual_visitors: int) -> VisitBooking:
    if booking.status != VisitBooking.Status.CONFIRMED:
        raise BookingError(_("Attendance can be recorded for confirmed bookings only."))
    if actual_visitors < 0:
        raise BookingError(_("The number of visitors cannot be negative."))
    booking.actual_visitors = actual_visitors
    booking.save(update_fields=["actual_visitors"])
    return booking


@transaction.atomic
def booking_contacts_erase_expired() -> int:
    """Erase contact names and phones of bookings whose visit lies past the retention period."""
    cutoff = timezone.localdate() - datetime.timedelta(days=settings.PORTAL_CONTACT_RETENTION_DAYS)
    expired = VisitBooking.objects.filter(slot__date__lt=cutoff, contact_erased_at__isnull=True)
    return expired.update(contact_name="", contact_phone="", contact_erased_at=timezone.now())
