"""What the bookers and the bases' staff are told about a booking, and through which channel:
the texts of the booking's notifications (sent by notifications.services.notify after commit).

Bookers get text messages at the mobile number they gave (a landline gets nothing); the staff of
the base's unit get an email when a booking arrives, if their account has an address."""

import datetime

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from bases.models import VisitBooking
from core.validators import MOBILE_PATTERN
from notifications.services import Message, notify
from units.models import Membership

OPEN_LINK_SALT = "bases.booking-open"
OPEN_LINK_DAYS = 30


def open_link(booking: VisitBooking) -> str:
    """A link that opens the booking for whoever holds the message (no digits to type)."""
    token = signing.dumps(booking.reference, salt=OPEN_LINK_SALT, compress=True)
    return settings.PORTAL_SITE_URL + reverse("bases:booking-open", args=[token])


def reference_from_open_link(token: str) -> str | None:
    try:
        return signing.loads(token, salt=OPEN_LINK_SALT, max_age=datetime.timedelta(days=OPEN_LINK_DAYS))
    except signing.BadSignature:
        return None


def _visit(booking: VisitBooking) -> dict:
    slot = booking.slot
    return {
        "base": slot.base.name,
        "when": f"{formats.date_format(slot.date, 'Y年n月j日')} {slot.start_time:%H:%M}",
        "size": booking.group_size,
        "reference": booking.reference,
        "reason": booking.cancel_reason,
        "link": open_link(booking),
    }


def _to_booker(booking: VisitBooking, text: str) -> list[Message]:
    if not MOBILE_PATTERN.match(booking.contact_phone or ""):
        return []
    return [Message(channel="sms", address=booking.contact_phone, body=text)]


def booking_received(booking: VisitBooking) -> None:
    visit = _visit(booking)
    text = (
        _(
            "Your booking for %(base)s on %(when)s (%(size)d people) was received, reference %(reference)s. "
            "The base will confirm it. Details: %(link)s"
        )
        % visit
    )
    staff = Membership.objects.filter(
        unit_id=booking.slot.base.unit_id, role=Membership.Role.UNIT_STAFF, user__is_active=True
    ).exclude(user__email="")
    admin_link = settings.PORTAL_SITE_URL + reverse("admin:bases_visitbooking_change", args=[booking.pk])
    email = _(
        "A booking waits for confirmation: %(base)s, %(when)s, %(size)d people, %(visitors)s. "
        "Confirm or decline it: %(admin)s"
    ) % {**visit, "visitors": booking.visitor_name, "admin": admin_link}
    notify(
        event="booking.received",
        about=booking,
        messages=[
            *_to_booker(booking, text),
            *[
                Message(
                    channel="email",
                    address=member.user.email,
                    subject=_("New booking %(reference)s") % visit,
                    body=email,
                )
                for member in staff.select_related("user")
            ],
        ],
    )


def booking_confirmed(booking: VisitBooking) -> None:
    text = _(
        "Your booking %(reference)s is confirmed: %(base)s, %(when)s, %(size)d people. "
        "Print the booking form or cancel: %(link)s"
    ) % _visit(booking)
    notify(event="booking.confirmed", about=booking, messages=_to_booker(booking, text))


def booking_declined(booking: VisitBooking) -> None:
    text = _("Your booking %(reference)s for %(base)s on %(when)s was declined: %(reason)s") % _visit(booking)
    notify(event="booking.declined", about=booking, messages=_to_booker(booking, text))


def booking_cancelled_by_staff(booking: VisitBooking) -> None:
    text = _("The base cancelled your booking %(reference)s for %(base)s on %(when)s: %(reason)s") % _visit(booking)
    notify(event="booking.cancelled", about=booking, messages=_to_booker(booking, text))


def booking_reminder(booking: VisitBooking) -> list:
    text = _(
        "Reminder: your visit to %(base)s is on %(when)s (%(size)d people, reference %(reference)s). "
        "Please confirm that you are coming, or cancel if your plans changed: %(link)s"
    ) % _visit(booking)
    return notify(event="booking.reminder", about=booking, messages=_to_booker(booking, text), once=True)
