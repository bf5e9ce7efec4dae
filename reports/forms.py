import datetime

from django import forms
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from core.text import has_control_characters
from units.models import PATH_SEPARATOR

INDENT = "　"  # one ideographic space per level below the top of the tree


class UnitSelect(forms.Select):
    """The units a report may cover, as an indented tree. A commission administrator may choose
    among thousands of units: the options are read as (pk, name, path) tuples and written as one
    string, where a model instance and a rendered template per option took seconds."""

    def use_required_attribute(self, initial):
        return True  # the list has no empty choice; Select would read a first option to find out

    def render(self, name, value, attrs=None, renderer=None):
        chosen = str(value)
        units = self.choices.queryset.values_list("pk", "name", "path")
        options = "".join(
            # the depth is Unit.depth, read off the path without building a model
            f'<option value="{pk}"{" selected" if str(pk) == chosen else ""}>'
            f"{escape(INDENT * (path.count(PATH_SEPARATOR) - 1) + unit_name)}</option>"
            for pk, unit_name, path in units
        )
        select_attrs = flatatt(self.build_attrs(self.attrs, {**(attrs or {}), "name": name}))
        return mark_safe(f"<select{select_attrs}>{options}</select>")  # noqa: S308 - every value escaped above


class ReportForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None, empty_label=None, widget=UnitSelect)
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
        first = units.first()
        defaults = {
            "start": datetime.date(today.year, 1, 1).isoformat(),
            "end": today.isoformat(),
            "unit": first.pk if first else "",
            "issued_on": today.isoformat(),
        }
        super().__init__({**defaults, **{key: value for key, value in data.items() if value}}, **kwargs)
        self.fields["unit"].queryset = units

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
