"""The families of rows the figures count, shared by the sections, and their drill-down columns.

A family is every row of one kind in the scope (subtree and period); a figure picks its rows from
it with a condition. Conditions on many-to-many topics are subqueries, never joins, so that a row
with several topics is still one row in every count of its family's single query."""

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from bases.models import EducationBase, VisitBooking
from campaigns.models import ActivityOutput, ActivityRecord, Campaign, OpenCall
from inspections.models import Inspection
from pledges.models import Signature
from publications.models import Distribution, Placement, Publication
from reports.figures.base import Column, Scope


def tagged(model, code: str, ref: str = "pk") -> Q:
    """Rows whose `ref` (a foreign key to `model`, or the row's own key) names a `model` row
    that carries the topic `code`. An uncorrelated IN: the database reads the tagged keys once
    and looks each row up in them, where a correlated EXISTS would run once per row."""
    topics = model._meta.get_field("topics")
    tagged_keys = topics.remote_field.through.objects.filter(topic__code=code).values(topics.m2m_field_name())
    return Q(**{f"{ref}__in": tagged_keys})


def with_topic(code: str, via: str = "") -> Q:
    """Activity records (reached through `via`, e.g. "record__") that carry the topic themselves
    or through their campaign (each once)."""
    return tagged(ActivityRecord, code, f"{via}pk") | tagged(Campaign, code, f"{via}campaign")


def bases(scope: Scope):
    """Published bases owned within the subtree (a base is a standing fact: no period)."""
    return (
        EducationBase.objects.published()
        .filter(unit__path__startswith=scope.path)
        .select_related("unit")
        .order_by("order", "pk")
    )


def _recorded(scope: Scope, via: str = "") -> Q:
    """Activity records (reached through `via`) of the subtree in the period; records under a
    draft campaign wait until the campaign is published."""
    return Q(**{f"{via}unit__path__startswith": scope.path, f"{via}date__range": scope.period}) & (
        Q(**{f"{via}campaign__isnull": True}) | Q(**{f"{via}campaign__is_published": True})
    )


def records(scope: Scope):
    return ActivityRecord.objects.filter(_recorded(scope)).select_related("unit", "campaign").order_by("date", "pk")


def inspections(scope: Scope):
    """Holiday inspections carried out in the period by units of the subtree (inspections/)."""
    return (
        Inspection.objects.done()
        .filter(unit__path__startswith=scope.path, done_on__range=scope.period)
        .select_related("unit", "period__occasion")
        .order_by("done_on", "pk")
    )


def outputs(scope: Scope):
    """What the records of `records(scope)` produced."""
    return (
        ActivityOutput.objects.filter(_recorded(scope, "record__"))
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


def placements(scope: Scope):
    """Placements in the period of published items issued within the subtree."""
    return (
        Placement.objects.filter(
            publication__is_published=True,
            publication__issuing_unit__path__startswith=scope.path,
            date__range=scope.period,
        )
        .select_related("publication")
        .order_by("date", "pk")
    )


def signatures(scope: Scope):
    """Valid signatures (online and paper, one per person) of published texts, by signers of the
    subtree, signed in the period."""
    signed_from, signed_before = scope.moments
    return (
        Signature.objects.valid()
        .filter(
            pledge__is_published=True,
            unit__path__startswith=scope.path,
            signed_at__gte=signed_from,
            signed_at__lt=signed_before,
        )
        .select_related("unit", "pledge")
        .order_by("signed_at", "pk")
    )


def visits(scope: Scope):
    """Confirmed group visits in the period, by units of the subtree (whichever base they visited)."""
    return (
        VisitBooking.objects.filter(
            status=VisitBooking.Status.CONFIRMED,
            slot__date__range=scope.period,
            unit__path__startswith=scope.path,
        )
        .select_related("slot__base", "unit")
        .order_by("slot__date", "pk")
    )


def open_calls(scope: Scope):
    """Published calls opening in the period with an organiser within the subtree."""
    in_subtree = OpenCall.organisers.through.objects.filter(
        opencall_id=OuterRef("pk"), unit__path__startswith=scope.path
    )
    opens_from, opens_before = scope.moments
    return (
        OpenCall.objects.filter(is_published=True, opens_at__gte=opens_from, opens_at__lt=opens_before)
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
INSPECTION_COLUMNS = (
    Column("检查日期", lambda row: row.done_on),
    Column("节点", lambda row: str(row.period)),
    Column("检查单位", lambda row: row.unit.name),
    Column("标题", lambda row: row.title),
    Column("检查点位", lambda row: row.places_checked),
    Column("发现问题", lambda row: row.problems_found),
    Column("移交线索", lambda row: row.cases_handed_over),
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
    Column("签署日期", lambda row: timezone.localdate(row.signed_at)),
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
    Column("开始", lambda row: timezone.localdate(row.opens_at)),
    Column("截止", lambda row: timezone.localdate(row.closes_at)),
)
