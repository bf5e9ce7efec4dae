import datetime
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from bases import notices
from bases.forms import BookingForm, BookingLookupForm, CancelForm, PublicBookingForm
from bases.models import CultureAsset, EducationBase, ExhibitionSection, VisitBooking, VisitSlot
from bases.selectors import culture_asset_totals, public_booking_for_lookup
from bases.services import booking_cancel, booking_confirm_visit, booking_create
from core.errors import DomainError
from core.network import client_ip
from core.ratelimit import account, limited
from core.validators import mobile_number
from units.models import Unit
from units.scoping import scope_queryset, units_user_may_act_for

BASES_PER_PAGE = 12
THEMES = {"red": "theme_red", "warning": "theme_warning", "family": "theme_family"}

# Bookings one account or one address may make in an hour (an outside test filled 8 slots with 24),
# bookings one mobile number may make in a day, and lookups one address may try in ten minutes.
BOOKINGS_PER_HOUR = 10
PUBLIC_BOOKINGS_PER_PHONE_PER_DAY = 5
LOOKUPS_PER_TEN_MINUTES = 10


def base_list(request):
    bases = EducationBase.objects.published().select_related("township")
    category = request.GET.get("category", "")
    township = request.GET.get("township", "")
    theme = request.GET.get("theme", "")
    if category in EducationBase.Category.values:
        bases = bases.filter(category=category)
    if township.isascii() and township.isdigit() and len(township) <= 18:
        bases = bases.filter(township_id=int(township))
    if theme in THEMES:
        bases = bases.filter(**{THEMES[theme]: True})
    page = Paginator(bases, BASES_PER_PAGE).get_page(request.GET.get("page"))
    townships = Unit.objects.filter(
        pk__in=EducationBase.objects.published().values("township_id"), kind=Unit.Kind.TOWNSHIP
    )
    return render(
        request,
        "bases/educationbase_list.html",
        {
            "page": page,
            "categories": EducationBase.Category.choices,
            "townships": townships,
            "themes": [(key, EducationBase._meta.get_field(field).verbose_name) for key, field in THEMES.items()],
            "selected": {"category": category, "township": township, "theme": theme},
            "crumbs": [(_("Education bases"), "")],
        },
    )


def base_detail(request, slug):
    base = get_object_or_404(
        EducationBase.objects.published()
        .select_related("township", "unit")
        .prefetch_related(
            Prefetch("sections", queryset=ExhibitionSection.objects.order_by("order", "pk")),
            "photos",
            "co_builders",
        ),
        slug=slug,
    )
    slots = list(
        VisitSlot.objects.filter(base=base)
        .upcoming()
        .with_booked()
        .filter(date__lte=_horizon())
        .order_by("date", "start_time")[:20]
    )
    assets = list(
        CultureAsset.objects.filter(unit__path__startswith=base.unit.path)
        .select_related("unit")
        .order_by("unit__path", "kind")[:50]
    )
    volunteer_count = base.unit.volunteers.filter(is_active=True).count()
    return render(
        request,
        "bases/educationbase_detail.html",
        {
            "base": base,
            "slots": [slot for slot in slots if slot.is_bookable],
            "assets": assets,
            "asset_totals": culture_asset_totals(base.unit),
            "volunteer_count": volunteer_count,
            "map_links": _map_links(base),
            "crumbs": [(_("Education bases"), reverse("bases:base-list")), (base.name, "")],
        },
    )


def _horizon():
    return timezone.localdate() + datetime.timedelta(days=60)


def _map_links(base) -> list[tuple[str, str]]:
    """(map app, link) that open the base's location in the map apps people use here; the
    coordinates are WGS-84 as entered, and each app converts them."""
    if base.latitude is None or base.longitude is None:
        return []
    latitude, longitude = _coordinates(base)
    amap = urlencode({"position": f"{longitude},{latitude}", "name": base.name, "coordinate": "wgs84"})
    baidu = urlencode(
        {
            "location": f"{latitude},{longitude}",
            "title": base.name,
            "content": base.address,
            "coord_type": "wgs84",
            "output": "html",
            "src": "qingfeng.portal",
        }
    )
    return [
        (_("AMap (高德地图)"), f"https://uri.amap.com/marker?{amap}"),
        (_("Baidu Maps (百度地图)"), f"https://api.map.baidu.com/marker?{baidu}"),
    ]


def _coordinates(base) -> tuple[str, str] | None:
    """Latitude and longitude as people write them (44.5521, not 44.552100)."""
    if base.latitude is None or base.longitude is None:
        return None
    return tuple(format(Decimal(value).normalize(), "f") for value in (base.latitude, base.longitude))


@never_cache
def base_directions(request, slug):
    """A page to print and take along: the address, the coordinates, the opening hours, the phone
    and the map links of one base."""
    base = get_object_or_404(EducationBase.objects.published().select_related("township"), slug=slug)
    crumbs = [
        (_("Education bases"), reverse("bases:base-list")),
        (base.name, base.get_absolute_url()),
        (_("How to get there"), ""),
    ]
    return render(
        request,
        "bases/directions.html",
        {"base": base, "coordinates": _coordinates(base), "map_links": _map_links(base), "crumbs": crumbs},
    )


def posted_phone(request) -> str:
    """Key for rules about one mobile number on the public form (one number booking every slot), as
    the form cleans it; a logged-in booker is counted by their account instead."""
    if request.user.is_authenticated:
        return ""
    try:
        return mobile_number(request.POST.get("contact_phone", ""))
    except ValidationError:
        return ""


@limited("booking", limit=BOOKINGS_PER_HOUR, seconds=3600, keys=(client_ip, account))
@limited("booking-phone", limit=PUBLIC_BOOKINGS_PER_PHONE_PER_DAY, seconds=86400, keys=(posted_phone,))
@never_cache
def booking_create_view(request, slug, slot_id):
    """A cadre books for their unit (unit staff also for the units below theirs); anyone else, with
    or without an account, books for an organisation or a family."""
    slot = get_object_or_404(
        VisitSlot.objects.select_related("base").with_booked(), pk=slot_id, base__slug=slug, base__is_published=True
    )
    units = units_user_may_act_for(request.user) if request.user.is_authenticated else Unit.objects.none()
    public = not units.exists()
    form = PublicBookingForm(request.POST or None) if public else BookingForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            actor = request.user if request.user.is_authenticated else None
            booking = booking_create(slot=slot, actor=actor, **form.cleaned_data_for_service())
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            _grant(request, booking)
            messages.success(
                request,
                _("Your booking was received: reference %(reference)s. The base will confirm it.")
                % {"reference": booking.reference},
            )
            return redirect(booking.get_absolute_url())
    crumbs = [
        (_("Education bases"), reverse("bases:base-list")),
        (slot.base.name, slot.base.get_absolute_url()),
        (_("Book a group visit"), ""),
    ]
    return render(
        request,
        "bases/booking_form.html",
        {"slot": slot, "base": slot.base, "form": form, "public": public, "crumbs": crumbs},
    )


# A visitor without an account opens their bookings through the session: the booking they just
# made, and those they looked up with the reference and the mobile number's last four digits.
GRANTED = "bases_bookings"
GRANTS_KEPT = 20


def _grant(request, booking: VisitBooking) -> None:
    granted = [reference for reference in request.session.get(GRANTED, []) if reference != booking.reference]
    request.session[GRANTED] = [booking.reference, *granted][:GRANTS_KEPT]


def _booker(request, booking: VisitBooking) -> bool:
    """Whether the request comes from who made `booking`: its cadre, or the visitor holding it."""
    if request.user.is_authenticated and booking.booked_by_id == request.user.pk:
        return True
    return booking.reference in request.session.get(GRANTED, [])


def _visible_booking(request, reference):
    """The booking, for its booker or for the staff of its base; None for anyone else."""
    booking = VisitBooking.objects.select_related("slot__base", "unit").filter(reference=reference).first()
    if booking is None:
        return None
    if _booker(request, booking):
        return booking
    staff_view = scope_queryset(VisitBooking.objects.filter(pk=booking.pk), request.user, "slot__base__unit")
    if request.user.is_staff and staff_view.exists():
        return booking
    return None


def _booking_or_lookup(request, reference):
    """The booking, or (for anyone who may not see it, whether it exists or not) a redirect to the
    lookup page with the reference filled in: nobody learns from the answer that a reference exists."""
    booking = _visible_booking(request, reference)
    if booking is None:
        return None, redirect(f"{reverse('bases:booking-lookup')}?{urlencode({'reference': reference[:20]})}")
    return booking, None


@never_cache
def booking_detail(request, reference):
    booking, elsewhere = _booking_or_lookup(request, reference)
    if elsewhere:
        return elsewhere
    booker = _booker(request, booking)
    crumbs = [(_("My bookings"), reverse("bases:booking-list")) if request.user.is_authenticated else None]
    crumbs = [crumb for crumb in crumbs if crumb] + [(booking.reference, "")]
    return render(
        request,
        "bases/booking_detail.html",
        {
            "booking": booking,
            "booker": booker,
            "can_cancel": booker and booking.status in VisitBooking.HOLDING_STATUSES,
            "can_confirm_visit": booker
            and booking.status == VisitBooking.Status.CONFIRMED
            and booking.visit_confirmed_at is None
            and booking.slot.starts_at > timezone.now(),
            "crumbs": crumbs,
        },
    )


@never_cache
def booking_print(request, reference):
    booking, elsewhere = _booking_or_lookup(request, reference)
    if elsewhere:
        return elsewhere
    if booking.status not in VisitBooking.HOLDING_STATUSES:
        raise PermissionDenied
    return render(request, "bases/booking_print.html", {"booking": booking})


@limited("booking-lookup", limit=LOOKUPS_PER_TEN_MINUTES, seconds=600)
@never_cache
def booking_lookup(request):
    """Open a booking with its reference and the last four digits of the booker's mobile number.
    A wrong reference and wrong digits get the same answer, and tries are limited per client."""
    form = BookingLookupForm(request.POST or None, initial={"reference": request.GET.get("reference", "")[:20]})
    if request.method == "POST" and form.is_valid():
        booking = public_booking_for_lookup(form.cleaned_data["reference"], form.cleaned_data["phone_end"])
        if booking is not None:
            _grant(request, booking)
            return redirect(booking.get_absolute_url())
        form.add_error(None, _("No booking matches this reference and these four digits. Please check both."))
    return render(
        request,
        "bases/booking_lookup.html",
        {"form": form, "crumbs": [(_("Education bases"), reverse("bases:base-list")), (_("Find my booking"), "")]},
    )


@never_cache
def booking_open(request, token):
    """The link in a booking's text messages: opens the booking for whoever holds the message."""
    reference = notices.reference_from_open_link(token)
    booking = VisitBooking.objects.filter(reference=reference).first() if reference else None
    if booking is None:
        messages.error(request, _("This link has expired. Enter the reference and the four digits instead."))
        return redirect("bases:booking-lookup")
    _grant(request, booking)
    return redirect(booking.get_absolute_url())


@login_required
def my_bookings(request):
    bookings = VisitBooking.objects.filter(booked_by=request.user).select_related("slot__base", "unit")
    page = Paginator(bookings.order_by("-slot__date", "-created_at"), 20).get_page(request.GET.get("page"))
    return render(request, "bases/booking_list.html", {"page": page, "crumbs": [(_("My bookings"), "")]})


@require_POST
def booking_cancel_view(request, reference):
    booking = VisitBooking.objects.select_related("slot").filter(reference=reference).first()
    if booking is None or not _booker(request, booking):
        raise Http404
    form = CancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        booking_cancel(
            booking=booking,
            actor=request.user if request.user.is_authenticated else None,
            reason=reason or _("Cancelled by the booker"),
            by_booker=True,
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The booking was cancelled."))
    return redirect(booking.get_absolute_url())


@require_POST
def booking_confirm_visit_view(request, reference):
    """The booker's "we are coming" (the reminder asks for it): the base knows who to expect."""
    booking = VisitBooking.objects.select_related("slot").filter(reference=reference).first()
    if booking is None or not _booker(request, booking):
        raise Http404
    try:
        booking_confirm_visit(booking=booking, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Thank you. The base knows your group is coming."))
    return redirect(booking.get_absolute_url())
