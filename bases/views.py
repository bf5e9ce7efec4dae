import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bases.forms import BookingForm, CancelForm
from bases.models import CultureAsset, EducationBase, ExhibitionSection, VisitBooking, VisitSlot
from bases.selectors import culture_asset_totals
from bases.services import booking_cancel, booking_create
from core.errors import DomainError
from core.network import client_ip
from core.ratelimit import account, limited
from units.models import Unit
from units.scoping import scope_queryset, units_user_may_act_for

BASES_PER_PAGE = 12
THEMES = {"red": "theme_red", "warning": "theme_warning", "family": "theme_family"}

# Bookings one account or one address may make in an hour (an outside test filled 8 slots with 24).
BOOKINGS_PER_HOUR = 10


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
            "map_url": _map_url(base),
            "crumbs": [(_("Education bases"), reverse("bases:base-list")), (base.name, "")],
        },
    )


def _horizon():
    return timezone.localdate() + datetime.timedelta(days=60)


def _map_url(base):
    if base.latitude is None or base.longitude is None:
        return ""
    return f"https://uri.amap.com/marker?position={base.longitude},{base.latitude}&name={base.name}&coordinate=wgs84"


@login_required
@limited("booking", limit=BOOKINGS_PER_HOUR, seconds=3600, keys=(client_ip, account))
def booking_create_view(request, slug, slot_id):
    slot = get_object_or_404(
        VisitSlot.objects.select_related("base").with_booked(), pk=slot_id, base__slug=slug, base__is_published=True
    )
    units = units_user_may_act_for(request.user)
    if not units.exists():
        return render(request, "bases/booking_not_allowed.html", {"base": slot.base}, status=403)
    form = BookingForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            booking = booking_create(slot=slot, actor=request.user, **form.cleaned_data_for_service())
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your booking was received. The base will confirm it."))
            return redirect(booking.get_absolute_url())
    crumbs = [
        (_("Education bases"), reverse("bases:base-list")),
        (slot.base.name, slot.base.get_absolute_url()),
        (_("Book a group visit"), ""),
    ]
    return render(request, "bases/booking_form.html", {"slot": slot, "base": slot.base, "form": form, "crumbs": crumbs})


def _own_booking(request, reference):
    booking = get_object_or_404(VisitBooking.objects.select_related("slot__base", "unit"), reference=reference)
    if booking.booked_by_id == request.user.pk:
        return booking
    staff_view = scope_queryset(VisitBooking.objects.filter(pk=booking.pk), request.user, "slot__base__unit")
    if request.user.is_staff and staff_view.exists():
        return booking
    raise Http404


@login_required
def booking_detail(request, reference):
    booking = _own_booking(request, reference)
    can_cancel = booking.booked_by_id == request.user.pk and booking.status != VisitBooking.Status.CANCELLED
    crumbs = [(_("My bookings"), reverse("bases:booking-list")), (booking.reference, "")]
    return render(
        request, "bases/booking_detail.html", {"booking": booking, "can_cancel": can_cancel, "crumbs": crumbs}
    )


@login_required
def booking_print(request, reference):
    booking = _own_booking(request, reference)
    if booking.status != VisitBooking.Status.CONFIRMED:
        raise PermissionDenied
    return render(request, "bases/booking_print.html", {"booking": booking})


@login_required
def my_bookings(request):
    bookings = VisitBooking.objects.filter(booked_by=request.user).select_related("slot__base", "unit")
    page = Paginator(bookings.order_by("-slot__date", "-created_at"), 20).get_page(request.GET.get("page"))
    return render(request, "bases/booking_list.html", {"page": page, "crumbs": [(_("My bookings"), "")]})


@login_required
@require_POST
def booking_cancel_view(request, reference):
    booking = get_object_or_404(
        VisitBooking.objects.select_related("slot"), reference=reference, booked_by=request.user
    )
    form = CancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        booking_cancel(
            booking=booking, actor=request.user, reason=reason or _("Cancelled by the booker"), by_booker=True
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The booking was cancelled."))
    return redirect(booking.get_absolute_url())
