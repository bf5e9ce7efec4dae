"""The row sets the figures count, shared by the sections, and their drill-down columns."""

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from bases.models import EducationBase, VisitBooking
from campaigns.models import ActivityOutput, ActivityRecord, Campaign, OpenCall
from pledges.models import Signature
from publications.models import Distribution, Placement, Publication
from reports.figures.base import Column, Scope


def bases(scope: Scope):
    """Published bases owned within the subtree (a base is a standing fact: no period)."""
    return (
        EducationBase.objects.published()
        .filter(unit__path__startswith=scope.path)
        .select_related("unit")
        .order_by("order", "pk")
    )


def records(scope: Scope):
    """Activity records of the subtree in the period; records under a draft campaign wait
    until the campaign is published."""
    return (
        ActivityRecord.objects.filter(unit__path__startswith=scope.path, date__range=scope.period)
        .filter(Q(campaign__isnull=True) | Q(campaign__is_published=True))
        .select_related("unit", "campaign")
        .order_by("date", "pk")
    )


def with_topic(queryset, code: str):
    """Records that carry the topic themselves or through their campaign (each once)."""
    own = ActivityRecord.topics.through.objects.filter(activityrecord_id=OuterRef("pk"), topic__code=code)
    inherited = Campaign.topics.through.objects.filter(campaign_id=OuterRef("campaign_id"), topic__code=code)
    return queryset.filter(Exists(own) | Exists(inherited))


def outputs(record_rows, measure: str):
    return (
        ActivityOutput.objects.filter(record__in=record_rows.values("pk"), measure=measure)
        .select_related("record__unit")
        .order_by("record__date", "pk")
    )


def issued(scope: Scope):
    """Published items issued within the subtree in the period."""
    return (
        Publication.objects.published()
        .filter(issuing_unit__path__startswith=scope.path, issued_on__range=scope.period)
        .select_related("issuing_unit")
        .order_by("issued_on", "pk")
    )


def distributions(scope: Scope):
    """Copies handed out in the period, of published items issued within the subtree."""
    return (
        Distribution.objects.filter(
            publication__is_published=True,
            publication__issuing_unit__path__startswith=scope.path,
            date__range=scope.period,
        )
        .select_related("publication", "unit")
        .order_by("date", "pk")
    )


def placements(scope: Scope, channel: str):
    return (
        Placement.objects.filter(
            publication__is_published=True,
            publication__issuing_unit__path__startswith=scope.path,
            channel=channel,
            date__range=scope.period,
        )
        .select_related("publication")
        .order_by("date", "pk")
    )


def signatures(scope: Scope, topic: str):
    """Valid signatures (online and paper, one per person) of published texts on `topic`,
    by signers of the subtree, signed in the period."""
    return (
        Signature.objects.valid()
        .filter(
            pledge__is_published=True,
            pledge__topics__code=topic,
            unit__path__startswith=scope.path,
            signed_at__date__range=scope.period,
        )
        .select_related("unit", "pledge")
        .order_by("signed_at", "pk")
    )


def confirmed_visits(scope: Scope, categories):
    return (
        VisitBooking.objects.filter(
            status=VisitBooking.Status.CONFIRMED,
            slot__date__range=scope.period,
            unit__path__startswith=scope.path,
            slot__base__category__in=categories,
        )
        .select_related("slot__base", "unit")
        .order_by("slot__date", "pk")
    )


def open_calls(scope: Scope):
    in_subtree = OpenCall.organisers.through.objects.filter(
        opencall_id=OuterRef("pk"), unit__path__startswith=scope.path
    )
    return (
        OpenCall.objects.filter(is_published=True, opens_at__date__range=scope.period)
        .filter(Exists(in_subtree))
        .order_by("opens_at", "pk")
    )


def admin_change(row) -> str:
    return reverse(f"admin:{row._meta.app_label}_{row._meta.model_name}_change", args=[row.pk])


# Drill-down columns per kind of row.
BASE_COLUMNS = (
    Column("名称", lambda row: row.name),
    Column("类别", lambda row: row.get_category_display()),
    Column("所属单位", lambda row: row.unit.name),
)
RECORD_COLUMNS = (
    Column("日期", lambda row: row.date),
    Column("单位", lambda row: row.unit.name),
    Column("标题", lambda row: row.title),
    Column("所属活动", lambda row: row.campaign.title if row.campaign else ""),
    Column("次数", lambda row: row.sessions),
    Column("人次", lambda row: row.participants),
)
OUTPUT_COLUMNS = (
    Column("日期", lambda row: row.record.date),
    Column("单位", lambda row: row.record.unit.name),
    Column("活动记录", lambda row: row.record.title),
    Column("数量", lambda row: row.quantity),
)
PUBLICATION_COLUMNS = (
    Column("印发日期", lambda row: row.issued_on),
    Column("标题", lambda row: row.title),
    Column("类别", lambda row: row.get_kind_display()),
    Column("印发单位", lambda row: row.issuing_unit.name),
    Column("印刷份数", lambda row: row.copies_printed),
)
DISTRIBUTION_COLUMNS = (
    Column("发放日期", lambda row: row.date),
    Column("资料", lambda row: row.publication.title),
    Column("接收单位", lambda row: row.unit.name),
    Column("份数", lambda row: row.copies),
)
PLACEMENT_COLUMNS = (
    Column("刊发日期", lambda row: row.date),
    Column("渠道", lambda row: row.get_channel_display()),
    Column("稿件", lambda row: row.publication.title),
)
SIGNATURE_COLUMNS = (
    Column("签署日期", lambda row: row.signed_at.date()),
    Column("姓名", lambda row: row.signer_name),
    Column("单位", lambda row: row.unit.name),
    Column("方式", lambda row: row.get_method_display()),
)
VISIT_COLUMNS = (
    Column("参观日期", lambda row: row.slot.date),
    Column("基地", lambda row: row.slot.base.name),
    Column("参观单位", lambda row: row.unit.name),
    Column("实到人数", lambda row: row.actual_visitors),
)
CALL_COLUMNS = (
    Column("征集", lambda row: row.title),
    Column("开始", lambda row: row.opens_at.date()),
    Column("截止", lambda row: row.closes_at.date()),
)
