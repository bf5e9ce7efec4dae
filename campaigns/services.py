import hashlib

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import ActivityKind, ActivityOutput, ActivityRecord, Campaign, OpenCall, Sector, Submission
from core.errors import DomainError
from core.history import bulk_create_recorded, record_actor
from core.images import renditions_after_commit
from core.spreadsheets import (
    ChoiceColumn,
    CountColumn,
    DateColumn,
    TextColumn,
    UnitColumn,
    read_table,
    refuse_bad_rows,
)
from units.review import ReviewStatus, review_sync
from units.scoping import may_publish_directly

OUTPUT_COLUMNS = {"篇": "essays", "册": "books", "幅": "works", "场": "shows", "期": "issues"}
MAX_IMPORT_ROWS = 20_000
# Files of more rows than this import as a background job (core/jobs.py), up to MAX_JOB_ROWS.
IMPORT_INLINE_ROWS = 5_000
MAX_JOB_ROWS = 50_000
# Rows per INSERT when an import writes (PostgreSQL and SQLite both take thousands of parameters).
IMPORT_BATCH = 1000


class CampaignError(DomainError):
    error_messages = {
        "unknown_category": _("Unknown category: %(names)s"),
        "call_closed": _("This call is closed and takes no more works."),
        "image_repeated": _("This image has already been submitted to this call."),
        "author_limit": _("Each author may send at most %(limit)d works."),
        "award_level_required": _("Give the award level."),
    }


def sectors_ensure() -> None:
    for code, name, title, order in Sector.DEFAULTS:
        Sector.objects.update_or_create(code=code, defaults={"name": name, "title": title, "order": order})


@transaction.atomic
def campaign_save(*, campaign: Campaign, actor) -> Campaign:
    review_sync(campaign)
    if campaign.is_published and campaign.published_at is None:
        campaign.published_at = timezone.now()
    campaign.full_clean(exclude=["organisers", "sectors"])
    record_actor(campaign, actor)
    campaign.save()
    renditions_after_commit(campaign)
    return campaign


@transaction.atomic
def open_call_save(*, call: OpenCall, actor) -> OpenCall:
    unknown = set(call.categories) - set(OpenCall.Category.values)
    if unknown:
        raise CampaignError.for_code("unknown_category", names="、".join(sorted(unknown)))
    if call.is_published and call.published_at is None:
        call.published_at = timezone.now()
    call.full_clean(exclude=["organisers"])
    record_actor(call, actor)
    call.save()
    return call


@transaction.atomic
def activity_record_save(*, record: ActivityRecord, actor) -> ActivityRecord:
    """Validate (no future dates, person-times not below sessions …) and save a record."""
    if record.pk is None and actor is not None and actor.is_authenticated:
        record.created_by = actor
    review_sync(record)
    record.full_clean()
    record_actor(record, actor)
    record.save()
    return record


def _imported_review_state(actor) -> dict:
    """Imported records reach the public site as any other entry does: a commission
    administrator's at once, unit staff's once a reviewer approved them (units/review.py)."""
    if may_publish_directly(actor):
        return {"is_published": True, "review_status": ReviewStatus.PUBLISHED}
    return {"review_status": ReviewStatus.SUBMITTED, "submitted_by": actor, "submitted_at": timezone.now()}


def activity_import_columns(*, units, campaigns) -> list:
    """The columns of the activity template, in order: `units` is the importer's scope and
    `campaigns` the campaigns a record may be linked to."""
    kinds = {}
    for value, label in ActivityKind.choices:
        # "讲规学法/学习研讨" may be typed whole or as either of its parts.
        for name in [str(label), *str(label).split("/"), value]:
            kinds[name.strip()] = value
    return [
        UnitColumn("单位", "unit", units=units),
        DateColumn("日期", "date", required=True),
        ChoiceColumn("类型", "kind", choices=kinds, required=True),
        TextColumn("标题", "title", max_length=ActivityRecord._meta.get_field("title").max_length, required=True),
        ChoiceColumn("所属活动", "campaign", choices={campaign.title: campaign for campaign in campaigns}),
        CountColumn("次数", "sessions"),
        CountColumn("人次", "participants"),
        *(CountColumn(heading, measure) for heading, measure in OUTPUT_COLUMNS.items()),
        TextColumn("说明", "description", max_length=2000),
    ]


def activity_import(*, workbook_file, units, actor, limit: int = MAX_IMPORT_ROWS, progress=None) -> tuple[int, int]:
    """Import activity records from the .xlsx template.

    Every row goes through the checks of its columns and then the same model validation as
    the admin form, with the same campaigns to choose from (Campaign.objects.choosable_by); a
    file with any bad row imports nothing and the error names each bad row and the reason. A
    blank 次数 means once, as in the form. Each row carries a fingerprint of its content, so
    importing the same file again adds nothing (returns (created, already_there)).

    `progress(done, total)`, when given, hears how many rows are written (a background job shows
    it); the whole file is still one transaction."""
    report = progress or (lambda done, total: None)
    columns = activity_import_columns(units=units, campaigns=Campaign.objects.choosable_by(actor))
    rows = read_table(workbook_file, columns=columns, limit=limit)
    report(0, len(rows))
    records = {}
    review_state = _imported_review_state(actor)
    for row in rows:
        if row.problems:
            continue
        values = row.values
        record = ActivityRecord(
            unit=values["unit"],
            date=values["date"],
            kind=values["kind"],
            title=values["title"],
            campaign=values["campaign"],
            sessions=1 if values["sessions"] is None else values["sessions"],
            participants=values["participants"],
            description=values["description"] or "",
            created_by=actor,
            **review_state,
        )
        try:
            # The unit and the campaign were chosen from the allowed sets by their columns; the one
            # constraint (published ⇔ reviewed) holds by construction and the database checks it,
            # where validating it here would cost a query a row.
            record.full_clean(
                exclude=["import_key", "created_by", "submitted_by", "unit", "campaign"], validate_constraints=False
            )
        except ValidationError as error:
            for field_name, messages in error.message_dict.items():
                for message in messages:
                    row.refuse(f"{field_name}:invalid", message)
        records[row.number] = record
    refuse_bad_rows(rows)
    with transaction.atomic():
        keys = {row.number: _import_key(row) for row in rows}
        existing = set(ActivityRecord.objects.filter(import_key__in=keys.values()).values_list("import_key", flat=True))
        new_rows = []
        for row in rows:
            key = keys[row.number]
            if key not in existing:
                existing.add(key)
                records[row.number].import_key = key
                new_rows.append(row)
        # In batches, with their history rows: one INSERT per batch instead of two per record.
        for start in range(0, len(new_rows), IMPORT_BATCH * 5):
            part = new_rows[start : start + IMPORT_BATCH * 5]
            created = bulk_create_recorded(
                ActivityRecord, [records[row.number] for row in part], actor=actor, batch_size=IMPORT_BATCH
            )
            outputs = [
                ActivityOutput(record=record, measure=measure, quantity=row.values[measure])
                for row, record in zip(part, created, strict=True)
                for measure in OUTPUT_COLUMNS.values()
                if row.values[measure]
            ]
            bulk_create_recorded(ActivityOutput, outputs, actor=actor, batch_size=IMPORT_BATCH)
            report(len(rows) - len(new_rows) + start + len(part), len(rows))
    return len(new_rows), len(rows) - len(new_rows)


def import_summary(created: int, skipped: int) -> str:
    """What an import says when it is done, in the admin at once or on a background job's page."""
    return _("%(created)d records imported; %(skipped)d were already imported and were skipped.") % {
        "created": created,
        "skipped": skipped,
    }


def _import_key(row) -> str:
    """A fingerprint of a row's content: the same row imported again is recognised. (Its
    recipe is the one the first imports used, so files imported then are still recognised.)"""
    values = row.values
    content = [values["unit"].pk, values["date"], values["kind"], values["title"], row.cells[4], *row.cells[5:]]
    return hashlib.sha256(repr(content).encode()).hexdigest()


IMPORT_COLUMNS = [column.heading for column in activity_import_columns(units=[], campaigns=[])]


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
    """File a work for `call`. `image` is the checked, re-encoded image (core.images); the same
    image twice to one call is refused, and so is a call that is not open. The submitter is an
    anonymous member of the public, so the history names no user."""
    if not call.is_open:
        raise CampaignError.for_code("call_closed")
    digest = hashlib.sha256(image.read()).hexdigest()
    image.seek(0)
    if Submission.objects.filter(call=call, image_digest=digest).exists():
        raise CampaignError.for_code("image_repeated")
    same_author = Submission.objects.filter(
        call=call, author_name=submission.author_name, guardian_phone=submission.guardian_phone
    ).count()
    if same_author >= call.max_per_author:
        raise CampaignError.for_code("author_limit", limit=call.max_per_author)
    submission.call, submission.image_digest = call, digest
    try:
        with transaction.atomic():
            submission.image.save(image.name, image, save=False)
            submission.full_clean(exclude=["image"])
            record_actor(submission, None)
            submission.save()
            renditions_after_commit(submission)
    except IntegrityError as error:
        raise CampaignError.for_code("image_repeated") from error
    return submission


@transaction.atomic
def submission_moderate(
    *, submission: Submission, actor, status: str, award_level: str = "", note: str = ""
) -> Submission:
    if status == Submission.Status.AWARDED and not award_level.strip():
        raise CampaignError.for_code("award_level_required")
    submission.status = status
    submission.award_level = award_level.strip() if status == Submission.Status.AWARDED else ""
    if note:
        submission.reviewer_note = note
    record_actor(submission, actor)
    submission.save(update_fields=["status", "award_level", "reviewer_note"])
    return submission
