import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.text import has_control_characters


class ReportForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None, empty_label=None)
    title = forms.CharField(
        label=_("Report title"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"class": "report-title-input"}),
        help_text=_("Leave empty to use the generated title."),
    )
    issued_on = forms.DateField(label=_("Date of issue"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, data, *, units, **kwargs):
        today = timezone.localdate()
        defaults = {
            "start": datetime.date(today.year, 1, 1).isoformat(),
            "end": today.isoformat(),
            "unit": units.first().pk if units.exists() else "",
            "issued_on": today.isoformat(),
        }
        super().__init__({**defaults, **{key: value for key, value in data.items() if value}}, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = lambda unit: "　" * unit.depth + unit.name

    def clean_title(self):
        title = " ".join(self.cleaned_data["title"].split())
        if has_control_characters(title, allow_whitespace=True):
            raise forms.ValidationError(_("The title cannot contain control characters."), code="control_characters")
        return title

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] < cleaned["start"]:
            self.add_error("end", _("The end of the period cannot be before its start."))
        return cleaned
