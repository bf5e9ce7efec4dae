"""What the site search indexes: for each kind of item, which rows the public site shows, what of
them is searchable, under which 栏目 and audience, and which other rows change them.

A source's `shown()` is the same queryset the item's own pages use (published bases, the
publications of `visible_to`'s rules, the works of the gallery), so the search finds exactly what
the site shows, no more."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.urls import reverse
from django.utils import timezone

from bases.models import EducationBase, ExhibitionSection
from campaigns.models import ActivityRecord, Campaign, OpenCall, Submission
from core.richtext import plain_text
from pledges.models import PledgeText
from publications.models import Attachment, Audience, BulletinCase, Publication
from search.models import Section


@dataclass(frozen=True)
class Document:
    section: str
    audience: str
    title: str
    text: str
    url: str
    date: datetime.date | None


@dataclass(frozen=True)
class Source:
    model: type[models.Model]
    shown: Callable[[], models.QuerySet]
    document: Callable[[models.Model], Document]
    # Another model whose rows change items of this source: a function from such a row to the
    # keys of the items it changes (an exhibition section changes its base).
    follows: dict[type[models.Model], Callable[[models.Model], list[int]]]


def _day(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(moment) if moment else None


def _join(*parts: str) -> str:
    """The parts in one text, without a part another one holds (a body that opens with the summary
    does not show the summary twice in a snippet)."""
    present = [part for part in parts if part]
    kept = [
        part
        for index, part in enumerate(present)
        if not any(
            part in other and (len(other) > len(part) or earlier < index)
            for earlier, other in enumerate(present)
            if earlier != index
        )
    ]
    return " ".join(kept)


def _base(base: EducationBase) -> Document:
    sections = [_join(section.title, section.text) for section in base.sections.all()]
    return Document(
        section=Section.BASES,
        audience=Audience.PUBLIC,
        title=base.name,
        text=_join(base.summary, base.address, base.get_category_display(), *sections, plain_text(base.body)),
        url=base.get_absolute_url(),
        date=_day(base.published_at),
    )


def _campaign(campaign: Campaign) -> Document:
    return Document(
        section=Section.CAMPAIGNS,
        audience=Audience.PUBLIC,
        title=campaign.title,
        text=_join(campaign.summary, campaign.document_title, plain_text(campaign.body)),
        url=campaign.get_absolute_url(),
        date=campaign.starts_on,
    )


def _record(record: ActivityRecord) -> Document:
    return Document(
        section=Section.ACTIVITIES,
        audience=Audience.PUBLIC,
        title=record.title,
        text=_join(record.unit.name, record.description, record.campaign.title),
        url=record.get_absolute_url(),
        date=record.date,
    )


def _call(call: OpenCall) -> Document:
    return Document(
        section=Section.CAMPAIGNS,
        audience=Audience.PUBLIC,
        title=call.title,
        text=_join(call.audience, plain_text(call.rules)),
        url=call.get_absolute_url(),
        date=_day(call.opens_at),
    )


def _work(work: Submission) -> Document:
    return Document(
        section=Section.GALLERY,
        audience=Audience.PUBLIC,
        title=work.title,
        text=_join(work.author_name, work.school_label, work.get_category_display(), work.statement, work.call.title),
        url=reverse("campaigns:gallery-image", args=[work.pk, "image"]),
        date=_day(work.submitted_at),
    )


PUBLICATION_SECTIONS = {
    Publication.Kind.NEWS: Section.NEWS,
    Publication.Kind.NOTICE: Section.NEWS,
    Publication.Kind.ANNOUNCEMENT: Section.NEWS,
    Publication.Kind.CASE_BULLETIN: Section.BULLETINS,
    Publication.Kind.WARNING_MATERIAL: Section.BULLETINS,
}


def _publication(item: Publication) -> Document:
    cases = [
        _join(case.unit_name, case.position, case.person_name, case.facts, case.disposition)
        for case in item.cases.all()
    ]
    attachments = [attachment.original_name for attachment in item.attachments.all()]
    return Document(
        section=PUBLICATION_SECTIONS.get(item.kind, Section.MATERIALS),
        audience=item.audience,
        title=item.title,
        text=_join(item.summary, item.series, item.issuing_unit.name, plain_text(item.body), *cases, *attachments),
        url=item.get_absolute_url(),
        date=item.issued_on or _day(item.published_at),
    )


def _pledge(pledge: PledgeText) -> Document:
    return Document(
        section=Section.PLEDGES,
        audience=Audience.PUBLIC,
        title=pledge.title,
        text=plain_text(pledge.body),
        url=pledge.get_absolute_url(),
        date=pledge.opens_on or _day(pledge.published_at),
    )


SOURCES = [
    Source(
        model=EducationBase,
        shown=lambda: EducationBase.objects.published().prefetch_related("sections"),
        document=_base,
        follows={ExhibitionSection: lambda section: [section.base_id]},
    ),
    Source(model=Campaign, shown=lambda: Campaign.objects.published(), document=_campaign, follows={}),
    Source(
        model=ActivityRecord,
        # Shown on the page of a published campaign and on their own page.
        shown=lambda: ActivityRecord.objects.filter(is_published=True, campaign__is_published=True).select_related(
            "unit", "campaign"
        ),
        document=_record,
        follows={Campaign: lambda campaign: list(campaign.records.values_list("pk", flat=True))},
    ),
    Source(model=OpenCall, shown=lambda: OpenCall.objects.published(), document=_call, follows={}),
    Source(
        model=Submission,
        shown=lambda: Submission.objects.in_gallery().filter(call__is_published=True).select_related("call", "school"),
        document=_work,
        follows={OpenCall: lambda call: list(call.submissions.values_list("pk", flat=True))},
    ),
    Source(
        model=Publication,
        shown=lambda: (
            Publication.objects.published().select_related("issuing_unit").prefetch_related("cases", "attachments")
        ),
        document=_publication,
        follows={
            Attachment: lambda attachment: [attachment.publication_id],
            BulletinCase: lambda case: [case.publication_id],
        },
    ),
    Source(model=PledgeText, shown=lambda: PledgeText.objects.published(), document=_pledge, follows={}),
]
