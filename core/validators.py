import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

PHONE_PATTERN = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8})$")
MOBILE_PATTERN = re.compile(r"^1[3-9]\d{9}$")


def phone_number(value: str) -> str:
    """A mainland mobile (11 digits) or landline (0453-1234567) without spaces, or ValidationError."""
    phone = value.replace(" ", "")
    if not PHONE_PATTERN.match(phone):
        raise ValidationError(_("Enter an 11-digit mobile number or a landline such as 0453-1234567."))
    return phone


def mobile_number(value: str) -> str:
    """A mainland mobile number (11 digits from 13…–19…; spaces, dashes and a +86 prefix dropped),
    or ValidationError: what text messages can reach and a booking lookup can check."""
    phone = re.sub(r"[\s-]", "", value)
    phone = phone.removeprefix("+86")
    if not MOBILE_PATTERN.match(phone):
        raise ValidationError(_("Enter an 11-digit mobile number, such as 13812345678."))
    return phone


def mask_phone(phone: str) -> str:
    """138****5678: enough for a booker to recognise their number, not enough to call it."""
    if len(phone) < 7:
        return "*" * len(phone)
    return f"{phone[:3]}{'*' * (len(phone) - 7)}{phone[-4:]}"
