from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.models import Submission
from core.images import CheckedImageField
from core.validators import phone_number
from units.models import Unit


class SubmissionForm(forms.ModelForm):
    image = CheckedImageField(label=_("Image of the work (JPG, PNG or WebP, up to 10 MB)"))
    consent = forms.BooleanField(
        label=_(
            "As the guardian I agree that the details above are used for this call and that a selected work "
            "is shown in the public gallery with the author's name, grade and school."
        ),
        error_messages={"required": _("The guardian's consent is needed to submit.")},
    )
    # Left empty by people; bots fill every field.
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    class Meta:
        model = Submission
        fields = [
            "title",
            "category",
            "author_name",
            "age_or_grade",
            "school",
            "school_name",
            "guardian_name",
            "guardian_phone",
            "statement",
            "image",
            "consent",
        ]
        widgets = {"statement": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = call.category_choices()
        self.fields["school"].queryset = Unit.objects.filter(kind=Unit.Kind.SCHOOL).order_by("path")
        self.fields["school"].required = False
        self.fields["guardian_phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "tel"})

    def clean_guardian_phone(self):
        return phone_number(self.cleaned_data["guardian_phone"])

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("school") and not cleaned.get("school_name", "").strip():
            self.add_error("school", _("Choose the school or type its name."))
        return cleaned

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get("website"))


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))


class StatusForm(forms.Form):
    code = forms.CharField(label=_("Receipt code"), max_length=12)
