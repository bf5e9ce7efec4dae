import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from search.models import Section
from search.text import query_words

MAX_QUERY_LENGTH = 50


class OptionalChoiceField(forms.ChoiceField):
    """A choice that is ignored, not refused, when it is none of the choices: an old or edited link
    still searches its words."""

    def clean(self, value):
        value = self.to_python(value)
        return value if self.valid_value(value) else ""


class SearchForm(forms.Form):
    WITHIN = {"week": 7, "month": 31, "year": 366, "three_years": 3 * 366}

    q = forms.CharField(
        label=_("Search terms"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        error_messages={"max_length": _("Please use at most %(limit_value)d characters (you typed %(show_value)d).")},
    )
    section = OptionalChoiceField(
        label=_("Section"), required=False, choices=[("", _("All sections")), *Section.choices]
    )
    within = OptionalChoiceField(
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

    # Only the words can be wrong (too long); what else is asked is kept or ignored.
    def query(self) -> str:
        return self.cleaned_data.get("q", "") if self.is_valid() else ""

    def words(self) -> list[str]:
        return query_words(self.query())

    def chosen(self, name: str) -> str:
        self.is_valid()
        return self.cleaned_data.get(name, "")

    def since(self) -> datetime.date | None:
        days = self.WITHIN.get(self.chosen("within"))
        return timezone.localdate() - datetime.timedelta(days=days) if days else None
