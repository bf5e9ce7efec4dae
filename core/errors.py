"""The one error type for broken business rules.

A service raises a DomainError subclass with a code from the class's `error_messages`;
views, admin actions and commands show `message` to the user, and tests assert `code`:

    class BookingError(DomainError):
        error_messages = {"full": _("Not enough places: %(left)d left.")}

    raise BookingError.for_code("full", left=2)
"""

from typing import ClassVar


class DomainError(Exception):
    """A request that a business rule refuses. `message` is a translated sentence for the user;
    `code` names the rule, so that callers and tests never depend on the wording."""

    error_messages: ClassVar[dict] = {}

    def __init__(self, message, *, code: str):
        super().__init__(str(message))
        self.message = str(message)
        self.code = code

    @classmethod
    def for_code(cls, code: str, **params):
        """The error for `code`, its message filled with `params`."""
        template = cls.error_messages[code]
        return cls(template % params if params else template, code=code)
