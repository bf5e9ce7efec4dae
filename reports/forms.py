import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReportForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None, empty_label=None)

    def __init__(self, data, *, units, **kwargs):
        today = timezone.localdate()
        defaults = {
            "start": datetime.date(today.year, 1, 1).isoformat(),
            "end": today.isoformat(),
            "unit": units.first().pk if units.exists() else "",
        }
        super().__init__({**defaults, **{key: value for key, value in data.items() if value}}, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = lambda unit: "　" * unit.depth + unit.name

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] < cleaned["start"]:
            self.add_error("end", _("The end of the period cannot be before its start."))
        return cleaned
