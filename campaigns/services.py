import hashlib

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import ActivityKind, ActivityOutput, ActivityRecord, Campaign, OpenCall, Sector, Submission
from portal.images import renditions_refresh
from portal.spreadsheets import FORMULA_PREFIXES, SpreadsheetError, cell_date, read_rows, row_errors_message

IMPORT_COLUMNS = ["单位", "日期", "类型", "标题", "所属活动", "次数", "人次", "篇", "册", "幅", "场", "期", "说明"]
OUTPUT_COLUMNS = {"篇": "essays", "册": "books", "幅": "works", "场": "shows", "期": "issues"}
MAX_IMPORT_ROWS = 20_000


class CampaignError(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def sectors_ensure() -> None:
    for code, name, title, order in Sector.DEFAULTS:
        Sector.objects.update_or_create(code=code, defaults={"name": name, "title": title, "order": order})


@transaction.atomic
def campaign_save(*, campaign: Campaign) -> Campaign:
    if campaign.is_published and campaign.published_at is None:
        campaign.published_at = timezone.now()
    campaign.full_clean(exclude=["organisers", "sectors"])
    campaign.save()
    renditions_refresh(campaign)
    return campaign


@transaction.atomic
def open_call_save(*, call: OpenCall) -> OpenCall:
    unknown = set(call.categories) - set(OpenCall.Category.values)
    if unknown:
        raise CampaignError(_("Unknown category: %(names)s") % {"names": "、".join(sorted(unknown))})
    if call.is_published and call.published_at is None:
        call.published_at = timezone.now()
    call.full_clean(exclude=["organisers"])
    call.save()
    return call


@transaction.atomic
def activity_record_save(*, record: ActivityRecord, user=None) -> ActivityRecord:
    """Validate (no future dates, person-times not below sessions …) and save a record."""
    if record.pk is None and user is not None and user.is_authenticated:
        record.created_by = user
    record.full_clean()
    record.save()
    return record


def activity_import(*, workbook_file, units, user) -> tuple[int, int]:
    """Import activity records from the .xlsx template.

    Every row is checked first; a file with any bad row imports nothing and the error names
    each bad row and the reason. Each row carries a fingerprint of its content, so importing
    the same file again adds nothing (returns (created, already_there))."""
    try:
        rows = read_rows(workbook_file, headings=IMPORT_COLUMNS, limit=MAX_IMPORT_ROWS)
    except SpreadsheetError as error:
        raise CampaignError(error.message) from error
    unit_lookup = {}
    for unit in units:
        unit_lookup.setdefault(unit.name, unit)
        unit_lookup[unit.code] = unit
    kind_lookup = {}
    for value, label in ActivityKind.choices:
        # "讲规学法/学习研讨" may be typed whole or as either of its parts.
        for name in [str(label), *str(label).split("/"), value]:
            kind_lookup[name.strip()] = value
    campaigns = {campaign.title: campaign for campaign in Campaign.objects.all()}
    errors, parsed = [], []
    for number, values in rows:
        cells = values
        unit_name, day, kind_label, title, campaign_title, sessions, participants, *outputs, description = cells
        problems = []
        unit = unit_lookup.get(str(unit_name or "").strip())
        if unit is None:
            problems.append(_("unknown unit “%(unit)s”") % {"unit": unit_name or ""})
        date = cell_date(day)
        if date is None:
            problems.append(_("the date is not a date"))
        elif date > timezone.localdate():
            problems.append(_("the date is in the future"))
        kind = kind_lookup.get(str(kind_label or "").strip())
        if kind is None:
            problems.append(_("unknown kind “%(kind)s”") % {"kind": kind_label or ""})
        title = str(title or "").strip()
        if not title:
            problems.append(_("the title is empty"))
        for text in (title, str(description or "")):
            if text.startswith(FORMULA_PREFIXES):
                problems.append(_("a text starts with = + - or @"))
        campaign = None
        if campaign_title:
            campaign = campaigns.get(str(campaign_title).strip())
            if campaign is None:
                problems.append(_("unknown campaign “%(title)s”") % {"title": campaign_title})
        counts = {}
        for label, value in zip(["次数", "人次", *OUTPUT_COLUMNS], [sessions, participants, *outputs], strict=True):
            count = _count(value)
            if count is False:
                problems.append(_("“%(column)s” is not a whole number of zero or more") % {"column": label})
            counts[label] = count
        if counts.get("次数") and counts.get("人次") is not None and counts["人次"] < counts["次数"]:
            problems.append(_("person-times are fewer than sessions"))
        if problems:
            errors.append(_("row %(row)d: %(problems)s") % {"row": number, "problems": "；".join(problems)})
            continue
        key = hashlib.sha256(repr([unit.pk, date, kind, title, campaign_title, *cells[5:]]).encode()).hexdigest()
        parsed.append((key, unit, date, kind, title, campaign, counts, str(description or "").strip()))
    if errors:
        raise CampaignError(row_errors_message(errors))
    created = 0
    with transaction.atomic():
        existing = set(
            ActivityRecord.objects.filter(import_key__in=[row[0] for row in parsed]).values_list(
                "import_key", flat=True
            )
        )
        for key, unit, date, kind, title, campaign, counts, description in parsed:
            if key in existing:
                continue
            existing.add(key)
            record = ActivityRecord.objects.create(
                unit=unit,
                date=date,
                kind=kind,
                title=title[:200],
                campaign=campaign,
                sessions=counts["次数"],
                participants=counts["人次"],
                description=description,
                import_key=key,
                created_by=user,
            )
            ActivityOutput.objects.bulk_create(
                [
                    ActivityOutput(record=record, measure=OUTPUT_COLUMNS[label], quantity=counts[label])
                    for label in OUTPUT_COLUMNS
                    if counts[label]
                ]
            )
            created += 1
    return created, len(parsed) - created


def _count(value):
    """None for an empty cell, the number for a whole number ≥ 0, False for anything else."""
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        return False
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return value if value >= 0 else False
    text = str(value).strip()
    return int(text) if text.isdigit() else False


def import_template() -> list[tuple[str, list[list]]]:
    """The sheet staff download and fill in for activity records."""
    example = [
        "向阳村",
        timezone.localdate(),
        str(ActivityKind.STUDY.label),
        "《条例》学习研讨",
        "",
        1,
        30,
        5,
        30,
        "",
        "",
        "",
        "村党支部集中学习",
    ]
    return [("活动记录", [IMPORT_COLUMNS, example])]


def submission_create(*, call: OpenCall, submission: Submission, image) -> Submission:
    """File a work for `call`. `image` is the checked, re-encoded image (portal.images); the same
    image twice to one call is refused, and so is a call that is not open."""
    if not call.is_open:
        raise CampaignError(_("This call is closed and takes no more works."))
    digest = hashlib.sha256(image.read()).hexdigest()
    image.seek(0)
    if Submission.objects.filter(call=call, image_digest=digest).exists():
        raise CampaignError(_("This image has already been submitted to this call."))
    same_author = Submission.objects.filter(
        call=call, author_name=submission.author_name, guardian_phone=submission.guardian_phone
    ).count()
    if same_author >= call.max_per_author:
        raise CampaignError(_("Each author may send at most %(limit)d works.") % {"limit": call.max_per_author})
    submission.call, submission.image_digest = call, digest
    try:
        with transaction.atomic():
            submission.image.save(image.name, image, save=False)
            submission.full_clean(exclude=["image"])
            submission.save()
    except IntegrityError as error:
        raise CampaignError(_("This image has already been submitted to this call.")) from error
    renditions_refresh(submission)
    return submission


@transaction.atomic
def submission_moderate(*, submission: Submission, status: str, award_level: str = "", note: str = "") -> Submission:
    if status == Submission.Status.AWARDED and not award_level.strip():
        raise CampaignError(_("Give the award level."))
    submission.status = status
    submission.award_level = award_level.strip() if status == Submission.Status.AWARDED else ""
    if note:
        submission.reviewer_note = note
    submission.save(update_fields=["status", "award_level", "reviewer_note"])
    return submission
