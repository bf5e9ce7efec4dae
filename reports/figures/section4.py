"""四、结合思想动态，探索建设清廉新领域: the 《条例》 study, artworks."""

from django.db.models import Q

from campaigns.models import ActivityKind
from core.models import Topic
from reports.figures import rows
from reports.figures.base import declare


def regulations_study(via: str = "") -> Q:
    """Study and seminar records (reached through `via`) on the 《纪律处分条例》 topic: the one
    batch A4a–A4c and P15 count."""
    return Q(**{f"{via}kind": ActivityKind.STUDY}) & rows.with_topic(Topic.DISCIPLINE_REGULATIONS, via)


declare(
    id="A4a",
    section=4,
    label="《条例》学习会和研讨活动",
    measure="次",
    definition="期间内专题为“《中国共产党纪律处分条例》学习”、类型为“讲规学法/学习研讨”的活动记录次数合计",
    family=rows.records,
    where=regulations_study(),
    total="sessions",
    columns=rows.RECORD_COLUMNS,
)
declare(
    id="A4b",
    section=4,
    label="参加《条例》学习教育的党员干部",
    measure="人次",
    definition="同一批活动记录的参与人次合计（未填写人次的记录不计人次）",
    family=rows.records,
    where=regulations_study(),
    total="participants",
    columns=rows.RECORD_COLUMNS,
)
declare(
    id="A4c",
    section=4,
    label="领导班子成员撰写学习心得体会文章",
    measure="篇",
    definition="同一批活动记录中计量单位为“篇”的成果合计",
    family=rows.outputs,
    where=regulations_study("record__") & Q(measure="essays"),
    total="quantity",
    columns=rows.OUTPUT_COLUMNS,
)
declare(
    id="P15",
    section=4,
    label="发放《条例》学习工具书",
    measure="册",
    definition="同一批活动记录中计量单位为“册”的成果合计",
    family=rows.outputs,
    where=regulations_study("record__") & Q(measure="books"),
    total="quantity",
    columns=rows.OUTPUT_COLUMNS,
)
declare(
    id="A5",
    section=4,
    label="创作廉洁书画作品",
    measure="幅",
    definition="期间内专题为“廉洁书画创作”的活动记录中计量单位为“幅”的成果合计",
    family=rows.outputs,
    where=rows.with_topic(Topic.CALLIGRAPHY_PAINTING, "record__") & Q(measure="works"),
    total="quantity",
    columns=rows.OUTPUT_COLUMNS,
)
