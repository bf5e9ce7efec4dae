import base64
import binascii
import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pledges.models import PledgeText, PledgeVersion, Signature
from portal.images import image_clean
from portal.spreadsheets import FORMULA_PREFIXES, SpreadsheetError, cell_date, read_rows, row_errors_message
from units.scoping import user_membership

IMPORT_COLUMNS = ["姓名", "单位", "职务", "签署日期"]
MAX_IMPORT_ROWS = 20_000


class PledgeError(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


@transaction.atomic
def pledge_save(*, pledge: PledgeText) -> PledgeText:
    if pledge.is_published and pledge.published_at is None:
        pledge.published_at = timezone.now()
    pledge.full_clean()
    pledge.save()
    return pledge


def pledge_current_version(pledge: PledgeText) -> PledgeVersion:
    """The version matching the text as it stands now; a new one if staff changed the wording."""
    latest = pledge.versions.order_by("-number").first()
    if latest and latest.title == pledge.title and latest.body == pledge.body:
        return latest
    return PledgeVersion.objects.create(
        pledge=pledge, number=(latest.number + 1) if latest else 1, title=pledge.title, body=pledge.body
    )


def _drawn_signature_file(data_url: str):
    """A PNG data URL from the drawing pad → a checked, re-encoded image file."""
    prefix = "data:image/png;base64,"
    if not data_url.startswith(prefix):
        raise PledgeError(_("Please draw your signature in the box."))
    try:
        raw = base64.b64decode(data_url[len(prefix) :], validate=True)
    except (binascii.Error, ValueError) as error:
        raise PledgeError(_("The drawn signature could not be read; please draw it again.")) from error
    try:
        return image_clean(SimpleUploadedFile("signature.png", raw, content_type="image/png"))
    except ValidationError as error:
        raise PledgeError(" ".join(error.messages)) from error


def signature_sign_online(*, pledge: PledgeText, user, drawn_signature: str = "") -> Signature:
    """Sign `pledge` as the logged-in cadre. The signer and their unit come from the account,
    never from the form. Signing again (a double click, two tabs) returns the first signature;
    the database allows one valid signature per cadre per text."""
    membership = user_membership(user)
    if membership is None:
        raise PermissionDenied
    if not pledge.is_open:
        raise PledgeError(_("This text is not open for signing."))
    existing = pledge.signatures.valid().filter(user=user).first()
    if existing:
        return existing
    image = _drawn_signature_file(drawn_signature) if pledge.requires_drawn_signature else None
    try:
        with transaction.atomic():
            signature = Signature(
                pledge=pledge,
                version=pledge_current_version(pledge),
                user=user,
                signer_name=user.get_full_name() or user.username,
                unit=membership.unit,
                position=membership.position,
                method=Signature.Method.ONLINE,
                signed_at=timezone.now(),
            )
            if image is not None:
                signature.drawn_signature.save(image.name, image, save=False)
            signature.save()
            return signature
    except IntegrityError:
        existing = pledge.signatures.valid().filter(user=user).first()
        if existing is None:
            raise
        return existing


@dataclass
class ImportResult:
    created: int = 0
    duplicates: list[str] = field(default_factory=list)


def signature_import(*, pledge: PledgeText, workbook_file, units) -> ImportResult:
    """Import paper signatures from an .xlsx with the columns 姓名, 单位, 职务, 签署日期.

    Every row is checked first; any bad row (missing or unknown unit, a unit outside `units`,
    a bad date, an empty name or one starting with = + - @) rejects the whole file with the row
    numbers and reasons, and nothing is written. Rows that repeat a signature already recorded
    (same name, same unit, same text) — or repeat an earlier row of the file — are skipped and
    listed, so importing the same file twice changes nothing.
    """
    try:
        rows = read_rows(workbook_file, headings=IMPORT_COLUMNS, limit=MAX_IMPORT_ROWS)
    except SpreadsheetError as error:
        raise PledgeError(error.message) from error
    unit_lookup = {}
    for unit in units:
        unit_lookup[unit.name] = unit
        unit_lookup[unit.code] = unit
    errors, valid = [], []
    for number, row in rows:
        name, unit_name, position, signed = row
        name = str(name or "").strip()
        unit_name = str(unit_name or "").strip()
        problems = []
        if not name:
            problems.append(_("the name is empty"))
        elif name.startswith(FORMULA_PREFIXES):
            problems.append(_("the name starts with = + - or @"))
        if not unit_name:
            problems.append(_("the unit is empty"))
        elif unit_name not in unit_lookup:
            problems.append(_("unknown unit “%(unit)s”") % {"unit": unit_name})
        signed_on = cell_date(signed)
        if signed_on is None:
            problems.append(_("the signing date is not a date"))
        if problems:
            errors.append(_("row %(row)d: %(problems)s") % {"row": number, "problems": "；".join(problems)})
        else:
            valid.append((name, unit_lookup[unit_name], str(position or "").strip()[:100], signed_on))
    if errors:
        raise PledgeError(row_errors_message(errors))
    result = ImportResult()
    with transaction.atomic():
        version = pledge_current_version(pledge)
        seen = set(pledge.signatures.valid().values_list("signer_name", "unit_id"))
        new = []
        for name, unit, position, signed_on in valid:
            if (name, unit.pk) in seen:
                result.duplicates.append(f"{name}（{unit.name}）")
                continue
            seen.add((name, unit.pk))
            new.append(
                Signature(
                    pledge=pledge,
                    version=version,
                    signer_name=name,
                    unit=unit,
                    position=position,
                    method=Signature.Method.PAPER,
                    signed_at=timezone.make_aware(datetime.datetime.combine(signed_on, datetime.time(12))),
                )
            )
        Signature.objects.bulk_create(new, batch_size=500)
        result.created = len(new)
    return result


@transaction.atomic
def signature_void(*, signature: Signature, reason: str) -> Signature:
    if not reason.strip():
        raise PledgeError(_("Please give a reason for voiding the signature."))
    signature.is_void = True
    signature.void_reason = reason.strip()
    signature.save(update_fields=["is_void", "void_reason"])
    return signature


def import_template() -> list[tuple[str, list[list]]]:
    """The sheet staff download and fill in for paper signatures."""
    return [("纸质签名", [IMPORT_COLUMNS, ["张三", "向阳村", "村党支部书记", timezone.localdate()]])]
