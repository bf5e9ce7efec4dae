"""Every figure the work report states, computed from recorded rows for a period and a unit subtree.

Each figure has an id (the source report's B1, P5, S1 ...), the section of the report it belongs
to, a definition (口径) in words, a value, and the admin list that shows exactly the rows counted
(drill-down). Nothing here is typed in: change a row and the figure moves.
"""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, F, Q, Sum
from django.urls import reverse

from bases.models import EducationBase, VisitBooking
from campaigns.models import ActivityKind, ActivityOutput, ActivityRecord, OpenCall
from pledges.models import Signature
from publications.models import Distribution, Placement, Publication
from units.models import Unit

SECTIONS = {
    1: "结合地域特色，深度挖掘清廉元素",
    2: "结合工作实际，深化建立清廉机制",
    3: "结合部门联动，推动发展清廉建设",
    4: "结合思想动态，探索建设清廉新领域",
}


@dataclass
class Figure:
    id: str
    section: int
    label: str
    value: object
    measure: str
    definition: str
    admin_url: str = ""
    parts: dict = field(default_factory=dict)

    @property
    def display(self) -> str:
        if isinstance(self.value, int):
            return f"{self.value:,}{self.measure}" if self.value >= 10000 else f"{self.value}{self.measure}"
        return f"{self.value}{self.measure}" if self.value not in (None, "") else "—"


def _link(url_name, **filters):
    query = urlencode({key: value for key, value in filters.items() if value not in (None, "")})
    return reverse(url_name) + (f"?{query}" if query else "")


def _period(start, end, prefix):
    return {f"{prefix}__gte": start.isoformat(), f"{prefix}__lte": end.isoformat()}


def _number(value) -> str:
    """475.0 → "475"; None → "—"."""
    return "—" if value is None else f"{value.normalize():f}"


def _month(date):
    return f"{date.year}年{date.month}月" if date else "—"


def _day(date):
    return f"{date.year}年{date.month}月{date.day}日" if date else "—"


class FigureSet:
    """All figures for one period and one unit subtree (the whole city when `unit` is the root)."""

    def __init__(self, *, start: datetime.date, end: datetime.date, unit: Unit):
        self.start, self.end, self.unit = start, end, unit
        self.path = unit.path

    def all(self) -> list[Figure]:
        return [*self.bases(), *self.publications(), *self.pledges(), *self.activities()]

    def by_id(self) -> dict[str, Figure]:
        return {figure.id: figure for figure in self.all()}

    # Section 一: bases -------------------------------------------------------------------------
    def bases(self) -> list[Figure]:
        bases = EducationBase.objects.published().filter(unit__path__startswith=self.path)
        main = (
            bases.filter(category=EducationBase.Category.EDUCATION_BASE)
            .order_by(F("opened_on").asc(nulls_last=True), "pk")
            .first()
        )
        base_list = "admin:bases_educationbase_changelist"
        red = bases.filter(
            theme_red=True, category__in=[EducationBase.Category.EDUCATION_BASE, EducationBase.Category.RED_MEMORIAL]
        )
        halls = bases.filter(category=EducationBase.Category.EXHIBITION_HALL)
        villages = bases.filter(category=EducationBase.Category.DEMONSTRATION_VILLAGE)
        townships = Unit.objects.subtree(self.unit).filter(kind=Unit.Kind.TOWNSHIP).count()
        visits = VisitBooking.objects.filter(
            status=VisitBooking.Status.CONFIRMED,
            slot__date__range=(self.start, self.end),
            unit__path__startswith=self.path,
            slot__base__category__in=[EducationBase.Category.THEME_PARK, EducationBase.Category.EDUCATION_BASE],
        )
        visitors = visits.aggregate(total=Sum("actual_visitors", default=0))["total"]
        sections = main.sections.count() if main else 0
        return [
            Figure(
                "B1",
                1,
                "廉洁教育基地开工时间 / 开馆时间",
                f"{_month(main.construction_started)} / {_day(main.opened_on)}" if main else "",
                "",
                "类别为“廉洁教育基地”的已发布基地中开馆最早者的开工时间与开馆日期",
                _link(base_list, category__exact=EducationBase.Category.EDUCATION_BASE),
                parts={
                    "name": main.name if main else "",
                    "started": _month(main.construction_started) if main else "",
                    "opened": _day(main.opened_on) if main else "",
                },
            ),
            Figure(
                "B2",
                1,
                "廉洁教育基地建筑面积；层数；展区",
                f"{_number(main.floor_area)}平方米；{main.floors or '—'}层；{sections}个展区" if main else "",
                "",
                "同一基地的建筑面积、展区层数和展区（ExhibitionSection）数",
                _link(base_list, category__exact=EducationBase.Category.EDUCATION_BASE),
                parts={
                    "area": _number(main.floor_area) if main else "",
                    "floors": main.floors if main else 0,
                    "sections": sections,
                    "section_titles": list(main.sections.values_list("title", flat=True)) if main else [],
                },
            ),
            Figure(
                "B3",
                1,
                "乡镇打造的红色文化教育项目",
                red.count(),
                "个",
                "类别为廉洁教育基地或红色教育纪念馆、且标注“红色教育”主题的已发布基地数",
                _link(base_list, theme_red__exact=1),
                parts={"names": list(red.values_list("name", flat=True))},
            ),
            Figure(
                "B4",
                1,
                "红廉（抗联）教育展馆",
                halls.count(),
                "个",
                "类别为“红廉教育展馆”的已发布基地数",
                _link(base_list, category__exact=EducationBase.Category.EXHIBITION_HALL),
            ),
            Figure(
                "B5",
                1,
                "廉洁文化示范村",
                villages.count(),
                "个",
                f"类别为“廉洁文化示范村”的已发布基地数（辖区乡镇 {townships} 个）",
                _link(base_list, category__exact=EducationBase.Category.DEMONSTRATION_VILLAGE),
                parts={"townships": townships},
            ),
            Figure(
                "B6",
                3,
                "组织党员干部和公职人员参观清风园和廉洁教育基地",
                visitors,
                "人",
                "期间内已确认的团体参观预约中，主题公园和廉洁教育基地的实到人数合计（按参观单位归属）",
                _link(
                    "admin:bases_visitbooking_changelist",
                    status__exact=VisitBooking.Status.CONFIRMED,
                    **_period(self.start, self.end, "slot__date"),
                    unit__path__startswith=self.path,
                    slot__base__category__in="theme_park,education_base",
                ),
            ),
        ]

    # Section 二: publications -------------------------------------------------------------------
    def publications(self) -> list[Figure]:
        scope = Publication.objects.filter(issuing_unit__path__startswith=self.path)
        issued = scope.filter(issued_on__range=(self.start, self.end))
        pub_list = "admin:publications_publication_changelist"
        issued_filter = {**_period(self.start, self.end, "issued_on"), "issuing_unit__path__startswith": self.path}
        books = issued.filter(kind__in=[Publication.Kind.STUDY_MATERIAL, Publication.Kind.RULES_COMPILATION])
        books_totals = books.aggregate(copies=Sum("copies_printed", default=0), titles=Count("pk"))

        def distributed(kind):
            return Distribution.objects.filter(
                publication__in=scope, publication__kind=kind, date__range=(self.start, self.end)
            ).aggregate(total=Sum("copies", default=0))["total"]

        placements = dict(
            Placement.objects.filter(publication__in=scope, date__range=(self.start, self.end))
            .values("channel")
            .annotate(n=Count("pk"))
            .values_list("channel", "n")
        )
        channel_ids = [
            ("P4", Placement.Channel.TV, "期"),
            ("P5", Placement.Channel.INTRANET, "篇"),
            ("P6", Placement.Channel.EXTRANET, "篇"),
            ("P7", Placement.Channel.CITY_SPECIAL_ISSUE, "篇"),
            ("P8", Placement.Channel.PROVINCE_INTRANET, "篇"),
            ("P9", Placement.Channel.PROVINCE_SITE, "篇"),
            ("P10", Placement.Channel.CITY_SITE, "篇"),
            ("P11", Placement.Channel.WECHAT, "篇"),
            ("P12", Placement.Channel.PORTAL, "条"),
        ]
        labels = dict(Placement.Channel.choices)
        figures = [
            Figure(
                "P1",
                2,
                "印发学习资料和法规汇编",
                books_totals["copies"],
                "册",
                f"期间内印发的学习资料、法规汇编的印刷册数合计（共 {books_totals['titles']} 种）",
                _link(pub_list, kind__in="study_material,rules_compilation", **issued_filter),
                parts={"titles": list(books.values_list("title", flat=True)), "count": books_totals["titles"]},
            ),
            Figure(
                "P2",
                2,
                "向各单位发放工作要点",
                distributed(Publication.Kind.WORK_POINTS),
                "份",
                "期间内“工作要点”类资料的发放记录份数合计",
                _link(pub_list, kind__exact=Publication.Kind.WORK_POINTS, issuing_unit__path__startswith=self.path),
            ),
            Figure(
                "P3",
                2,
                "印发“升学宴”“谢师宴”通知",
                distributed(Publication.Kind.NOTICE),
                "份",
                "期间内“通知公告”类资料的发放记录份数合计",
                _link(pub_list, kind__exact=Publication.Kind.NOTICE, issuing_unit__path__startswith=self.path),
            ),
        ]
        for figure_id, channel, measure in channel_ids:
            figures.append(
                Figure(
                    figure_id,
                    2,
                    f"在{labels[channel]}发表/播发",
                    placements.get(channel, 0),
                    measure,
                    f"期间内刊发渠道为“{labels[channel]}”的刊发记录条数",
                    _link(
                        "admin:publications_placement_changelist",
                        channel__exact=channel,
                        **_period(self.start, self.end, "date"),
                        publication__issuing_unit__path__startswith=self.path,
                    ),
                )
            )
        bulletins = issued.filter(kind=Publication.Kind.CASE_BULLETIN).count()
        warnings = issued.filter(kind=Publication.Kind.WARNING_MATERIAL)
        figures += [
            Figure(
                "P13",
                2,
                "下发典型案例通报",
                bulletins,
                "期",
                "期间内印发的“典型案例通报”期数",
                _link(pub_list, kind__exact=Publication.Kind.CASE_BULLETIN, **issued_filter),
            ),
            Figure(
                "P14",
                2,
                "印发警示教育学习资料",
                warnings.count(),
                "期",
                "期间内印发的“警示教育材料”期数",
                _link(pub_list, kind__exact=Publication.Kind.WARNING_MATERIAL, **issued_filter),
                parts={"titles": list(warnings.values_list("title", flat=True))},
            ),
        ]
        return figures

    # Section 二: pledges ------------------------------------------------------------------------
    def pledges(self) -> list[Figure]:
        def signed(keyword, figure_id, label):
            signatures = Signature.objects.valid().filter(
                pledge__title__contains=keyword,
                unit__path__startswith=self.path,
                signed_at__date__range=(self.start, self.end),
            )
            return Figure(
                figure_id,
                2,
                label,
                signatures.count(),
                "份",
                f"期间内标题含“{keyword}”的承诺书的有效签名数（在线与纸质，已作废的不计）",
                _link(
                    "admin:pledges_signature_changelist",
                    pledge__title__contains=keyword,
                    is_void__exact=0,
                    unit__path__startswith=self.path,
                    **_period(self.start, self.end, "signed_at__date"),
                ),
            )

        return [
            signed("廉洁自律承诺书", "S1", "签订《廉洁自律承诺书》"),
            signed("升学宴", "S2", "签订《党员干部不操办“升学宴”“谢师宴”承诺书》"),
        ]

    # Sections 二 and 四: activities -----------------------------------------------------------
    def activities(self) -> list[Figure]:
        records = ActivityRecord.objects.filter(unit__path__startswith=self.path, date__range=(self.start, self.end))
        record_list = "admin:campaigns_activityrecord_changelist"
        base_filter = {**_period(self.start, self.end, "date"), "unit__path__startswith": self.path}

        def sessions(queryset):
            return queryset.aggregate(total=Sum("sessions", default=0))["total"]

        def outputs(queryset, measure):
            return ActivityOutput.objects.filter(record__in=queryset, measure=measure).aggregate(
                total=Sum("quantity", default=0)
            )["total"]

        holidays = records.filter(kind=ActivityKind.INSPECTION).exclude(occasion="")
        lectures = records.filter(kind=ActivityKind.LECTURE, title__contains="条例")
        checks = records.filter(kind=ActivityKind.SUPERVISION, campaign__title__contains="讲规学法")
        jiangui = records.filter(kind=ActivityKind.STUDY, campaign__title__contains="讲规学法")
        tiaoli = records.filter(kind=ActivityKind.STUDY, campaign__title__contains="条例")
        artworks = records.filter(campaign__title__contains="书画创作")
        calls = (
            OpenCall.objects.filter(opens_at__date__range=(self.start, self.end))
            .filter(Q(organisers__path__startswith=self.path))
            .distinct()
        )
        return [
            Figure(
                "A1",
                2,
                "节日期间专项检查",
                sessions(holidays),
                "次",
                "期间内类型为“专项检查”且填写了节日节点的活动记录次数合计",
                _link(record_list, kind__exact=ActivityKind.INSPECTION, occasion__gt="", **base_filter),
            ),
            Figure(
                "A2",
                2,
                "《中国共产党纪律处分条例》解读授课",
                sessions(lectures),
                "次",
                "期间内类型为“培训/授课”且标题含“条例”的活动记录次数合计",
                _link(record_list, kind__exact=ActivityKind.LECTURE, title__contains="条例", **base_filter),
            ),
            Figure(
                "A3a",
                2,
                "讲规学法督导检查",
                sessions(checks),
                "次",
                "期间内所属活动名称含“讲规学法”、类型为“督导检查”的活动记录次数合计",
                _link(
                    record_list,
                    kind__exact=ActivityKind.SUPERVISION,
                    campaign__title__contains="讲规学法",
                    **base_filter,
                ),
            ),
            Figure(
                "A3b",
                2,
                "各级党组织开展讲规学法",
                sessions(jiangui),
                "次",
                "期间内所属活动名称含“讲规学法”、类型为“讲规学法/学习研讨”的活动记录次数合计",
                _link(record_list, kind__exact=ActivityKind.STUDY, campaign__title__contains="讲规学法", **base_filter),
            ),
            Figure(
                "A4a",
                4,
                "《条例》学习会和研讨活动",
                sessions(tiaoli),
                "次",
                "期间内所属活动名称含“条例”、类型为“讲规学法/学习研讨”的活动记录次数合计",
                _link(record_list, kind__exact=ActivityKind.STUDY, campaign__title__contains="条例", **base_filter),
            ),
            Figure(
                "A4b",
                4,
                "参加《条例》学习教育的党员干部",
                tiaoli.aggregate(total=Sum("participants", default=0))["total"],
                "人次",
                "同一批活动记录的参与人次合计",
                _link(record_list, kind__exact=ActivityKind.STUDY, campaign__title__contains="条例", **base_filter),
            ),
            Figure(
                "A4c",
                4,
                "领导班子成员撰写学习心得体会文章",
                outputs(tiaoli, "essays"),
                "篇",
                "同一批活动记录中计量单位为“篇”的成果合计",
                _link(record_list, kind__exact=ActivityKind.STUDY, campaign__title__contains="条例", **base_filter),
            ),
            Figure(
                "P15",
                4,
                "发放《条例》学习工具书",
                outputs(tiaoli, "books"),
                "册",
                "同一批活动记录中计量单位为“册”的成果合计",
                _link(record_list, kind__exact=ActivityKind.STUDY, campaign__title__contains="条例", **base_filter),
            ),
            Figure(
                "A5",
                4,
                "创作廉洁书画作品",
                outputs(artworks, "works"),
                "幅",
                "期间内所属活动名称含“书画创作”的活动记录中计量单位为“幅”的成果合计",
                _link(record_list, campaign__title__contains="书画创作", **base_filter),
            ),
            Figure(
                "A6",
                3,
                "青少年书画评展征稿",
                calls.count(),
                "次",
                "期间内开始的作品征集（按主办单位归属）",
                _link("admin:campaigns_opencall_changelist"),
            ),
        ]
