"""三、结合部门联动，推动发展清廉建设: visits to the bases, the youth artwork call."""

from django.db.models import Q

from bases.models import EducationBase
from reports.figures import rows
from reports.figures.base import declare

declare(
    id="B6",
    section=3,
    label="组织党员干部和公职人员参观清风园和廉洁教育基地",
    measure="人",
    definition="期间内已确认的团体参观中，主题公园和廉洁教育基地的实到人数合计（按参观单位归属）",
    family=rows.visits,
    where=Q(slot__base__category__in=[EducationBase.Category.THEME_PARK, EducationBase.Category.EDUCATION_BASE]),
    total="actual_visitors",
    columns=rows.VISIT_COLUMNS,
)
declare(
    id="A6",
    section=3,
    label="青少年书画评展征稿",
    measure="次",
    definition="期间内开始征集的已发布作品征集次数（主办单位在本辖区内）",
    family=rows.open_calls,
    columns=rows.CALL_COLUMNS,
)
