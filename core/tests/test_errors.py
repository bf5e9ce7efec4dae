from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError


class ExampleError(DomainError):
    error_messages = {"full": _("Not enough places: %(left)d left.")}


def test_an_error_from_its_code_carries_the_code_and_the_filled_message():
    with translation.override("zh-hans"):
        error = ExampleError.for_code("full", left=3)
    assert error.code == "full"
    assert error.message == "名额不足，剩余 3 人"
    assert isinstance(error, DomainError)
