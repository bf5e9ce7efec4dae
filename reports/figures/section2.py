"""二、结合工作实际，深化建立清廉机制: materials, pledges, bulletins, placements, inspections, 讲规学法."""

from django.db.models import Q

from campaigns.models import ActivityKind
from core.models import Topic
from pledges.models import PledgeText
from publications.models import Placement, Publication
from reports.figures import rows
from reports.figures.base import declare

Kind = Publication.Kind


declare(
    id="P1",
    section=2,
    label="印发学习资料和法规汇编",
    measure="册",
    definition="期间内印发的学习资料、法规汇编的印刷册数合计",
    family=rows.issued,
    where=Q(kind__in=[Kind.STUDY_MATERIAL, Kind.RULES_COMPILATION]),
    total="copies_printed",
    parts={"count": None},  # 种: how many items
    columns=rows.PUBLICATION_COLUMNS,
)
declare(
    id="P2",
    section=2,
    label="向各单位发放工作要点",
    measure="份",
    definition="期间内“工作要点”类资料的发放份数合计",
    family=rows.distributions,
    where=Q(publication__kind=Kind.WORK_POINTS),
    total="copies",
    columns=rows.DISTRIBUTION_COLUMNS,
)
declare(
    id="P3",
    section=2,
    label="印发“升学宴”“谢师宴”通知",
    measure="份",
    definition="期间内专题为“不操办‘升学宴’‘谢师宴’”的通知公告的发放份数合计",
    family=rows.distributions,
    where=Q(publication__kind=Kind.NOTICE) & rows.tagged(Publication, Topic.BANQUETS, "publication"),
    total="copies",
    columns=rows.DISTRIBUTION_COLUMNS,
)

CHANNEL_FIGURES = [
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
for figure_id, channel, measure in CHANNEL_FIGURES:
    declare(
        id=figure_id,
        section=2,
        label=f"在{channel.label}发表/播发",
        measure=measure,
        definition=f"期间内刊发渠道为“{channel.label}”的刊发记录条数",
        family=rows.placements,
        where=Q(channel=channel),
        columns=rows.PLACEMENT_COLUMNS,
    )

declare(
    id="P13",
    section=2,
    label="下发典型案例通报",
    measure="期",
    definition="期间内印发的“典型案例通报”期数",
    family=rows.issued,
    where=Q(kind=Kind.CASE_BULLETIN),
    columns=rows.PUBLICATION_COLUMNS,
)
declare(
    id="P14",
    section=2,
    label="印发警示教育学习资料",
    measure="期",
    definition="期间内印发的“警示教育材料”期数",
    family=rows.issued,
    where=Q(kind=Kind.WARNING_MATERIAL),
    columns=rows.PUBLICATION_COLUMNS,
)
declare(
    id="S1",
    section=2,
    label="签订《廉洁自律承诺书》",
    measure="份",
    definition="期间内专题为“廉洁自律”的承诺书的有效签名数（在线与纸质，一人一份，已作废的不计）",
    family=rows.signatures,
    where=rows.tagged(PledgeText, Topic.SELF_DISCIPLINE, "pledge"),
    columns=rows.SIGNATURE_COLUMNS,
)
declare(
    id="S2",
    section=2,
    label="签订《党员干部不操办“升学宴”“谢师宴”承诺书》",
    measure="份",
    definition="期间内专题为“不操办‘升学宴’‘谢师宴’”的承诺书的有效签名数（同上）",
    family=rows.signatures,
    where=rows.tagged(PledgeText, Topic.BANQUETS, "pledge"),
    columns=rows.SIGNATURE_COLUMNS,
)
declare(
    id="A1",
    section=2,
    label="节日期间专项检查",
    measure="次",
    definition="期间内已开展（填有开展日期）的节点监督专项检查条数合计（节点监督日历）",
    family=rows.inspections,
    parts={"places": "places_checked", "problems": "problems_found", "leads": "cases_handed_over"},
    columns=rows.INSPECTION_COLUMNS,
)
declare(
    id="A2",
    section=2,
    label="《中国共产党纪律处分条例》解读授课",
    measure="次",
    definition="期间内类型为“培训/授课”、专题为“《中国共产党纪律处分条例》学习”的活动记录次数合计",
    family=rows.records,
    where=Q(kind=ActivityKind.LECTURE) & rows.with_topic(Topic.DISCIPLINE_REGULATIONS),
    total="sessions",
    columns=rows.RECORD_COLUMNS,
)
declare(
    id="A3a",
    section=2,
    label="讲规学法督导检查",
    measure="次",
    definition="期间内专题为“讲规学法”、类型为“督导检查”的活动记录次数合计",
    family=rows.records,
    where=Q(kind=ActivityKind.SUPERVISION) & rows.with_topic(Topic.RULES_STUDY),
    total="sessions",
    columns=rows.RECORD_COLUMNS,
)
declare(
    id="A3b",
    section=2,
    label="各级党组织开展讲规学法",
    measure="次",
    definition="期间内专题为“讲规学法”、类型为“讲规学法/学习研讨”的活动记录次数合计",
    family=rows.records,
    where=Q(kind=ActivityKind.STUDY) & rows.with_topic(Topic.RULES_STUDY),
    total="sessions",
    columns=rows.RECORD_COLUMNS,
)
