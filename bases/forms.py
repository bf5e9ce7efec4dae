import copy
import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bases.models import EducationBase, VisitBooking, VisitSlot
from bases.services import BookingError, SlotError, booking_check_attendance, slot_check_change
from core.validators import mobile_number, phone_number


class _GroupForm(forms.Form):
    """What every group booking asks, whoever books: the size, the contact, a note, the consent,
    and the token that makes a second submission of the same form return the first booking."""

    group_size = forms.IntegerField(
        label=_("Group size (people)"),
        min_value=1,
        max_value=1000,
        error_messages={
            "invalid": _("Enter the number of people as a whole number."),
            "min_value": _("The group must have at least one person."),
            "max_value": _("A group can have at most %(limit_value)s people; please split larger groups."),
        },
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=50)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=30)
    note = forms.CharField(label=_("Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    consent = forms.BooleanField(
        label=_(
            "I have read the personal information rules and agree that the contact details are used for this visit."
        ),
        error_messages={"required": _("Please agree to the personal information rules to book.")},
    )
    request_token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
    # Fields the form asks that booking_create does not take.
    NOT_FOR_SERVICE = {"consent"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group_size"].widget.attrs.update({"inputmode": "numeric"})
        self.fields["contact_phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "tel"})
        self.fields["contact_name"].widget.attrs.update({"autocomplete": "name"})

    def cleaned_data_for_service(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name not in self.NOT_FOR_SERVICE}


class BookingForm(_GroupForm):
    """A cadre's group booking. The unit offered is the cadre's own (unit staff may also book
    for the units below theirs); the booker comes from the session, never from the form."""

    unit = forms.ModelChoiceField(label=_("Visiting unit"), queryset=None, empty_label=None)
    field_order = ["unit"]

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units

    def clean_contact_phone(self):
        return phone_number(self.cleaned_data["contact_phone"])


class PublicBookingForm(_GroupForm):
    """Anyone's group booking on the public site, no account needed: a school, an enterprise, a
    village group, an association, or an individual or family. The mobile number is what the
    booker later opens the booking with (its last four digits and the reference).

    `website` is a trap for robots: hidden from people (and from screen readers), and a form
    that fills it in is refused."""

    visitor = forms.ChoiceField(
        label=_("Who is visiting"),
        choices=[(value, label) for value, label in VisitBooking.Visitor.choices if value != "unit"],
        initial=VisitBooking.Visitor.ORGANISATION,
        widget=forms.RadioSelect,
    )
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=100,
        required=False,
        help_text=_("The school, enterprise, village group or association visiting."),
    )
    purpose = forms.CharField(
        label=_("Purpose of the visit"),
        max_length=200,
        help_text=_("For example 主题党日, 警示教育, 研学实践, 家风教育."),
    )
    website = forms.CharField(label=_("Leave this empty"), required=False)
    field_order = ["visitor", "organisation", "purpose"]
    NOT_FOR_SERVICE = {"consent", "website"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact_phone"].label = _("Mobile number")
        self.fields["contact_phone"].help_text = _(
            "You open your booking later with its reference and the last four digits of this number."
        )
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def clean_contact_phone(self):
        return mobile_number(self.cleaned_data["contact_phone"])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise forms.ValidationError(_("The booking could not be sent. Please try again."), code="trap")
        if cleaned.get("visitor") == VisitBooking.Visitor.ORGANISATION and not cleaned.get("organisation"):
            self.add_error("organisation", _("Please name the organisation visiting."))
        return cleaned


class BookingLookupForm(forms.Form):
    """Opens a public booking: its reference and the last four digits of the mobile number."""

    reference = forms.CharField(label=_("Booking reference"), max_length=20)
    phone_end = forms.CharField(
        label=_("Last four digits of the mobile number"),
        min_length=4,
        max_length=4,
        error_messages={"min_length": _("Enter four digits."), "max_length": _("Enter four digits.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reference"].widget.attrs.update({"autocomplete": "off", "autocapitalize": "characters"})
        self.fields["phone_end"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})

    def clean_reference(self):
        return self.cleaned_data["reference"].strip().upper()

    def clean_phone_end(self):
        value = self.cleaned_data["phone_end"].strip()
        if not (value.isascii() and value.isdigit()):
            raise forms.ValidationError(_("Enter four digits."))
        return value


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class RepeatingSlotsForm(forms.Form):
    WEEKDAYS = [
        (0, _("Monday")),
        (1, _("Tuesday")),
        (2, _("Wednesday")),
        (3, _("Thursday")),
        (4, _("Friday")),
        (5, _("Saturday")),
        (6, _("Sunday")),
    ]

    base = forms.ModelChoiceField(label=_("Education base"), queryset=EducationBase.objects.none())
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Weekdays"), choices=WEEKDAYS, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    start_time = forms.TimeField(label=_("Start time"), widget=forms.TimeInput(attrs={"type": "time"}))
    end_time = forms.TimeField(label=_("End time"), widget=forms.TimeInput(attrs={"type": "time"}))
    capacity = forms.IntegerField(label=_("Capacity (people)"), min_value=1, max_value=10000)
    first_date = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    weeks = forms.IntegerField(label=_("Number of weeks"), min_value=1, max_value=52, initial=8)

    def __init__(self, *args, bases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["base"].queryset = bases
        self.fields["first_date"].initial = timezone.localdate()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("The end time must be after the start time."))
        first = cleaned.get("first_date")
        if first and first < timezone.localdate():
            self.add_error("first_date", _("Slots cannot start in the past."))
        return cleaned


class BaseAdminForm(forms.ModelForm):
    features = forms.MultipleChoiceField(
        label=_("multimedia features"),
        choices=EducationBase.Feature.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = EducationBase
        fields = [
            "name",
            "slug",
            "category",
            "unit",
            "township",
            "co_builders",
            "summary",
            "body",
            "cover",
            "construction_started",
            "opened_on",
            "floor_area",
            "floors",
            "is_free",
            "opening_hours",
            "contact_phone",
            "features",
            "address",
            "latitude",
            "longitude",
            "theme_red",
            "theme_warning",
            "theme_family",
            "is_published",
        ]


class VisitSlotAdminForm(forms.ModelForm):
    """Shows the rule of bases.services.slot_check_change on the form (slot_save checks it
    again under the slot's lock): no capacity below the people booked, no closing or moving a
    slot that still has bookings."""

    class Meta:
        model = VisitSlot
        fields = ["base", "date", "start_time", "end_time", "capacity", "is_closed", "note"]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None or self.errors:
            return cleaned
        candidate = copy.copy(self.instance)
        for name, value in cleaned.items():
            setattr(candidate, name, value)
        try:
            slot_check_change(slot=candidate)
        except SlotError as error:
            self.add_error("capacity" if error.code == "capacity_below_held" else None, error.message)
        return cleaned


class VisitBookingAdminForm(forms.ModelForm):
    """Staff record how many people came; the service's rule is shown as a form error."""

    class Meta:
        model = VisitBooking
        fields = ["actual_visitors"]

    def clean_actual_visitors(self):
        value = self.cleaned_data.get("actual_visitors")
        if value is not None and self.instance.pk is not None:
            try:
                booking_check_attendance(booking=self.instance, actual_visitors=value)
            except BookingError as error:
                raise forms.ValidationError(error.message, code=error.code) from error
        return value
