"""Writes of the holiday-inspection calendar: saving an inspection (validated, with who entered
it) and reminding unit staff before an occasion's period starts."""

import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.history import record_actor
from inspections.models import Inspection, Occasion, OccasionPeriod
from notifications.services import Message, notify
from units.models import Membership


def occasions_ensure() -> None:
    """The occasions every year has (元旦春节, 清明, 五一端午, 中秋国庆), as migration 0002 made them."""
    for name, order in Occasion.DEFAULTS:
        Occasion.objects.get_or_create(name=name, defaults={"order": order})


@transaction.atomic
def inspection_save(*, inspection: Inspection, actor) -> Inspection:
    """Validate (dates within the occasion's period, none in the future, results only once
    carried out, leads not above problems) and save, recording who entered it."""
    if inspection.pk is None and actor is not None and actor.is_authenticated:
        inspection.created_by = actor
    inspection.full_clean()
    record_actor(inspection, actor)
    inspection.save()
    return inspection


def periods_to_remind(today: datetime.date):
    """Periods starting within their occasion's reminder days (and not yet started)."""
    upcoming = OccasionPeriod.objects.filter(starts_on__gt=today).select_related("occasion")
    return [period for period in upcoming if (period.starts_on - today).days <= period.occasion.reminder_days]


def inspection_reminders_send(*, today: datetime.date | None = None) -> int:
    """Email every member of unit staff (with an address) once per coming period: which occasion,
    its dates, and where to plan the unit's inspection. Run daily; returns the messages written."""
    today = today or timezone.localdate()
    staff = (
        Membership.objects.filter(user__is_active=True, unit__is_active=True)
        .exclude(role=Membership.Role.CADRE)
        .exclude(user__email="")
        .select_related("user", "unit")
        .order_by("pk")
    )
    calendar_url = settings.PORTAL_SITE_URL + reverse("admin:inspections_calendar")
    written = 0
    for period in periods_to_remind(today):
        subject = _("%(period)s: supervision period from %(start)s to %(end)s") % {
            "period": period,
            "start": period.starts_on,
            "end": period.ends_on,
        }
        for membership in staff:
            body = _(
                "%(unit)s: the supervision period of %(period)s runs from %(start)s to %(end)s. "
                "Please plan your unit's special inspection and record it and its results in the "
                "holiday inspection calendar: %(link)s"
            ) % {
                "unit": membership.unit.name,
                "period": period,
                "start": period.starts_on,
                "end": period.ends_on,
                "link": calendar_url,
            }
            with transaction.atomic():
                written += len(
                    notify(
                        event=f"inspection.reminder.{period.pk}",
                        about=membership,
                        messages=[Message(channel="email", address=membership.user.email, subject=subject, body=body)],
                        once=True,
                    )
                )
    return written
