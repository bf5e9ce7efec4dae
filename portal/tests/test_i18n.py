from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parents[2] / "locale" / "zh_Hans" / "LC_MESSAGES"


def test_chinese_catalogue_is_complete():
    catalogue = polib.pofile(str(LOCALE / "django.po"))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert untranslated == [] and fuzzy == []


def test_compiled_catalogue_matches_the_source():
    source = {entry.msgid: entry.msgstr for entry in polib.pofile(str(LOCALE / "django.po")) if not entry.obsolete}
    compiled = {entry.msgid: entry.msgstr for entry in polib.mofile(str(LOCALE / "django.mo")) if entry.msgid}
    assert compiled == source
