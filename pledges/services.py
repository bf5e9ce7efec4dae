import base64
import binascii
import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from core.history import bulk_create_recorded, record_actor
from core.images import image_clean
from core.locking import lock_for_update
from core.spreadsheets import DateColumn, TextColumn, UnitColumn, read_table, refuse_bad_rows
from pledges.models import PledgeText, PledgeVersion, Signature
from units.scoping import user_membership

MAX_IMPORT_ROWS = 20_000


class PledgeError(DomainError):
    error_messages = {
        "not_drawn": _("Please draw your signature in the box."),
        "drawing_unreadable": _("The drawn signature could not be read; please draw it again."),
        "drawing_refused": "%(reason)s",
        "not_open": _("This text is not open for signing."),
        "reason_required": _("Please give a reason for voiding the signature."),
    }


@transaction.atomic
def pledge_save(*, pledge: PledgeText, actor) -> PledgeText:
    if pledge.is_published and pledge.published_at is None:
        pledge.published_at = timezone.now()
    pledge.full_clean()
    record_actor(pledge, actor)
    pledge.save()
    return pledge


def _lock_pledge(pledge_id: int) -> PledgeText:
    return lock_for_update(PledgeText.objects.all(), pk=pledge_id)


def _before_new_version() -> None:
    """Nothing happens here; the concurrency tests pause in this place to widen the race."""


def _after_duplicate_check() -> None:
    """Nothing happens here; the concurrency tests pause in this place to widen the race."""


def pledge_current_version(pledge: PledgeText) -> PledgeVersion:
    """The version matching the text as it stands now; a new one if staff changed the wording.

    Locking rule: the text's row is locked (core.locking.lock_for_update) before the latest
    version is read, and stays locked until the caller's transaction ends, so two first signers
    of a new or reworded text can never both create version n (the database refuses a second
    (pledge, number) anyway). The version copies the wording stored in the row, not the caller's
    possibly stale copy."""
    with transaction.atomic():
        current = _lock_pledge(pledge.pk)
        latest = current.versions.order_by("-number").first()
        if latest and latest.title == current.title and latest.body == current.body:
            return latest
        _before_new_version()
        return PledgeVersion.objects.create(
            pledge=current, number=(latest.number + 1) if latest else 1, title=current.title, body=current.body
        )


def _drawn_signature_file(data_url: str):
    """A PNG data URL from the drawing pad → a checked, re-encoded image file."""
    prefix = "data:image/png;base64,"
    if not data_url.startswith(prefix):
        raise PledgeError.for_code("not_drawn")
    try:
        raw = base64.b64decode(data_url[len(prefix) :], validate=True)
    except (binascii.Error, ValueError) as error:
        raise PledgeError.for_code("drawing_unreadable") from error
    try:
        return image_clean(SimpleUploadedFile("signature.png", raw, content_type="image/png"))
    except ValidationError as error:
        raise PledgeError.for_code("drawing_refused", reason=" ".join(error.messages)) from error


def signer_name_of(user) -> str:
    """The name an online signature records: the account's full name, else its username."""
    return user.get_full_name() or user.username


def _paper_signature_of(pledge: PledgeText, *, name: str, unit) -> Signature | None:
    """A valid paper signature of `pledge` under `name` in `unit` that no account has claimed."""
    return (
        pledge.signatures.valid()
        .filter(method=Signature.Method.PAPER, user__isnull=True, signer_name=name, unit=unit)
        .first()
    )


def signature_sign_online(*, pledge: PledgeText, user, drawn_signature: str = "") -> Signature:
    """Sign `pledge` as the logged-in cadre. The signer and their unit come from the account,
    never from the form. Signing again (a double click, two tabs) returns the first signature;
    the database allows one valid signature per cadre per text.

    One person, one signature: when the cadre's unit already imported a paper signature under
    the cadre's name (same name, same unit, not yet claimed by an account), that signature is
    the cadre's. It is linked to the account and returned (method "paper"), no second one is
    made, and no drawing is asked for. The text's row is locked while this is decided, so a
    paper import running at the same moment cannot slip a second signature in."""
    membership = user_membership(user)
    if membership is None:
        raise PermissionDenied
    if not pledge.is_open:
        raise PledgeError.for_code("not_open")
    existing = pledge.signatures.valid().filter(user=user).first()
    if existing:
        return existing
    name = signer_name_of(user)
    image = None
    if pledge.requires_drawn_signature and _paper_signature_of(pledge, name=name, unit=membership.unit) is None:
        image = _drawn_signature_file(drawn_signature)
    try:
        with transaction.atomic():
            _lock_pledge(pledge.pk)
            existing = pledge.signatures.valid().filter(user=user).first()
            if existing:
                return existing
            on_paper = _paper_signature_of(pledge, name=name, unit=membership.unit)
            _after_duplicate_check()
            if on_paper is not None:
                on_paper.user = user
                record_actor(on_paper, user)
                on_paper.save(update_fields=["user"])
                return on_paper
            if pledge.requires_drawn_signature and image is None:
                image = _drawn_signature_file(drawn_signature)  # the paper signature was voided meanwhile
            signature = Signature(
                pledge=pledge,
                version=pledge_current_version(pledge),
                user=user,
                signer_name=name,
                unit=membership.unit,
                position=membership.position,
                method=Signature.Method.ONLINE,
                signed_at=timezone.now(),
            )
            if image is not None:
                signature.drawn_signature.save(image.name, image, save=False)
            record_actor(signature, user)
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
    # Rows already recorded on paper (same name, same unit) or repeated within the file.
    duplicates: list[str] = field(default_factory=list)
    # Rows naming someone who already signed online (same name in the same unit): one person,
    # one signature, so they are skipped as well.
    signed_online: list[str] = field(default_factory=list)


def signature_import_columns(*, units) -> list:
    """The columns of the paper-signature template, in order; `units` is the importer's scope."""
    return [
        TextColumn("姓名", "name", max_length=Signature._meta.get_field("signer_name").max_length, required=True),
        UnitColumn("单位", "unit", units=units),
        TextColumn("职务", "position", max_length=Signature._meta.get_field("position").max_length),
        DateColumn("签署日期", "signed_on", required=True),
    ]


IMPORT_COLUMNS = [column.heading for column in signature_import_columns(units=[])]


def signature_import(*, pledge: PledgeText, workbook_file, units, actor) -> ImportResult:
    """Import paper signatures from an .xlsx with the columns 姓名, 单位, 职务, 签署日期.

    Every row is checked first; any bad row (missing or unknown unit, a unit outside `units`,
    a bad or future date, an empty name or one starting with = + - @) rejects the whole file
    with the row numbers and reasons, and nothing is written. Rows that repeat a signature
    already recorded (same name, same unit, same text) — or repeat an earlier row of the file —
    are skipped and listed, so importing the same file twice changes nothing. Rows naming
    someone who signed online (the name the online signature recorded, in the same unit) are
    skipped too and listed apart in `signed_online`: one person, one signature. The text's row
    is locked while the rows are checked and written, so an online signature of the same person
    cannot arrive in between.
    """
    rows = read_table(workbook_file, columns=signature_import_columns(units=units), limit=MAX_IMPORT_ROWS)
    refuse_bad_rows(rows)
    result = ImportResult()
    with transaction.atomic():
        _lock_pledge(pledge.pk)
        version = pledge_current_version(pledge)
        recorded = list(pledge.signatures.valid().values_list("signer_name", "unit_id", "method"))
        online = {(name, unit_id) for name, unit_id, method in recorded if method == Signature.Method.ONLINE}
        seen = {(name, unit_id) for name, unit_id, method in recorded if method != Signature.Method.ONLINE}
        _after_duplicate_check()
        new = []
        for row in rows:
            name, unit = row.values["name"], row.values["unit"]
            if (name, unit.pk) in online:
                result.signed_online.append(f"{name}（{unit.name}）")
                continue
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
                    position=row.values["position"] or "",
                    method=Signature.Method.PAPER,
                    signed_at=timezone.make_aware(
                        datetime.datetime.combine(row.values["signed_on"], datetime.time(12))
                    ),
                )
            )
        bulk_create_recorded(Signature, new, actor=actor)
        result.created = len(new)
    return result


@transaction.atomic
def signature_void(*, signature: Signature, actor, reason: str) -> Signature:
    if not reason.strip():
        raise PledgeError.for_code("reason_required")
    signature.is_void = True
    signature.void_reason = reason.strip()
    record_actor(signature, actor)
    signature.save(update_fields=["is_void", "void_reason"])
    return signature


def import_template() -> list[tuple[str, list[list]]]:
    """The sheet staff download and fill in for paper signatures."""
    return [("纸质签名", [IMPORT_COLUMNS, ["张三", "向阳村", "村党支部书记", timezone.localdate()]])]
