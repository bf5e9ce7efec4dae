import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

PHONE_PATTERN = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8})$")


def phone_number(value: str) -> str:
    """A mainland mobile (11 digits) or landline (0453-1234567) without spaces, or ValidationError."""
    phone = value.replace(" ", "")
    if not PHONE_PATTERN.match(phone):
        raise ValidationError(_("Enter an 11-digit mobile number or a landline such as 0453-1234567."))
    return phone
