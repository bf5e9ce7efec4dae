"""The password rule beside Django's: no names an attacker would try first.

Refused, anywhere in the password and whatever the case, separators or look-alike digits
(Q1ng-F3ng): the names of the site, the city and the commission from the site settings (and their
pinyin), the names of the units, and a fixed list of words of this site (纪委, jiwei, qingfeng …)."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pypinyin import lazy_pinyin

from core.models import SiteSettings
from units.models import Unit

FIXED_WORDS = (
    "纪委",
    "监委",
    "纪检",
    "清风",
    "廉洁",
    "jiwei",
    "jianwei",
    "jijian",
    "qingfeng",
    "yunling",
    "lianjie",
)
LOOK_ALIKES = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"})
NAME_SUFFIXES = ("纪委监委", "市", "县", "区", "镇", "乡", "村", "社区", "网")


def _normalise(text: str) -> str:
    """Lower case, full-width folded, with everything but letters, digits and CJK removed."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[\W_]+", "", text)


def _forms(name: str) -> set[str]:
    """A name, the name without its ending (云岭市 → 云岭), and the pinyin of both."""
    name = _normalise(name)
    forms = {name}
    for suffix in NAME_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            forms.add(name[: -len(suffix)])
    forms |= {"".join(lazy_pinyin(form)) for form in list(forms)}
    # Two Chinese characters make a name; Latin needs four letters not to refuse half the alphabet.
    return {form for form in forms if (len(form) >= 2 and not form.isascii()) or len(form) >= 4}


def context_words() -> set[str]:
    site = SiteSettings.load()
    names = [site.site_name, site.commission_name, site.city_name]
    names += list(Unit.objects.values_list("name", flat=True))
    words = set()
    for name in names:
        words |= _forms(name)
    words |= {_normalise(word) for word in FIXED_WORDS}
    return words


class ContextWordsValidator:
    def validate(self, password, user=None):
        plain = _normalise(password)
        candidates = {plain, plain.translate(LOOK_ALIKES), _normalise(password.translate(LOOK_ALIKES))}
        for word in sorted(context_words(), key=len, reverse=True):
            if any(word in candidate for candidate in candidates):
                raise ValidationError(
                    _("This password contains “%(word)s”, a name connected with this site. Choose another."),
                    code="password_context_word",
                    params={"word": word},
                )

    def get_help_text(self):
        return _(
            "Your password cannot contain the names of the site, the city, the commission or a unit, "
            "nor words such as 纪委 or qingfeng."
        )
