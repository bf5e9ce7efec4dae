import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from search.models import Section
from search.text import query_words

MAX_QUERY_LENGTH = 50


class SearchForm(forms.Form):
    WITHIN = {"week": 7, "month": 31, "year": 366, "three_years": 3 * 366}

    q = forms.CharField(
        label=_("Search terms"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        error_messages={"max_length": _("Please use at most %(limit_value)d characters (you typed %(show_value)d).")},
    )
    section = forms.ChoiceField(label=_("Section"), required=False, choices=[("", _("All sections")), *Section.choices])
    within = forms.ChoiceField(
        label=_("Date"),
        required=False,
        choices=[
            ("", _("Any time")),
            ("week", _("Past week")),
            ("month", _("Past month")),
            ("year", _("Past year")),
            ("three_years", _("Past three years")),
        ],
    )

    def clean_q(self):
        return " ".join(self.cleaned_data["q"].split())

    def words(self) -> list[str]:
        return query_words(self.cleaned_data.get("q", "")) if self.is_valid() else []

    def since(self) -> datetime.date | None:
        days = self.WITHIN.get(self.cleaned_data.get("within", "")) if self.is_valid() else None
        return timezone.localdate() - datetime.timedelta(days=days) if days else None
