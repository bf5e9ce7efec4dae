"""Control characters in text that people type or upload.

Nobody types NUL, ESC or a form feed on purpose; they arrive by pasting from other programs or
from someone probing the site. PostgreSQL refuses NUL in any text, and XML 1.0 (the RSS feed,
.docx and .xlsx files) refuses most of the C0 range, so one such character in a stored title
breaks every file that shows it. The site refuses them where text comes in (the request guard in
core.middleware, the spreadsheet import) and strips them where XML goes out (`xml_safe`)."""

import re

# C0 and C1 controls, DEL and the two Unicode non-characters XML forbids.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\ufffe\uffff]")
# The same, except tab, line feed and carriage return, which a text area sends.
CONTROL_CHARACTERS_EXCEPT_WHITESPACE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def has_control_characters(text: str, *, allow_whitespace: bool = False) -> bool:
    """True when `text` holds a control character (tab and line breaks pass with allow_whitespace)."""
    pattern = CONTROL_CHARACTERS_EXCEPT_WHITESPACE if allow_whitespace else CONTROL_CHARACTERS
    return pattern.search(text) is not None


def xml_safe(value):
    """`value` without the characters XML cannot hold (tab and line breaks stay); anything that is
    not a string passes unchanged. For text written into feeds, .docx and .xlsx files."""
    if isinstance(value, str):
        return CONTROL_CHARACTERS_EXCEPT_WHITESPACE.sub("", value)
    return value
