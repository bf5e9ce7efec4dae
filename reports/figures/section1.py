"""一、结合地域特色，深度挖掘清廉元素: the education bases."""

from django.db.models import F, Q

from bases.models import EducationBase
from reports.figures import rows
from reports.figures.base import day, declare, month
from units.models import Unit

Category = EducationBase.Category


def main_base(scope):
    """The 廉洁教育基地 that opened first (the report's "基地"), as a one-row queryset."""
    first = (
        rows.bases(scope)
        .filter(category=Category.EDUCATION_BASE)
        .order_by(F("opened_on").asc(nulls_last=True), "pk")
        .values("pk")[:1]
    )
    return rows.bases(scope).filter(pk__in=first)


def _opening(base):
    if base is None:
        return "", {"name": "", "started": "", "opened": ""}
    parts = {"name": base.name, "started": month(base.construction_started), "opened": day(base.opened_on)}
    return f"{parts['started']} / {parts['opened']}", parts


def _building(base):
    if base is None:
        return "", {"area": "", "floors": 0, "sections": 0, "section_titles": []}
    titles = list(base.sections.order_by("order", "pk").values_list("title", flat=True))
    area = "—" if base.floor_area is None else f"{base.floor_area.normalize():f}"
    parts = {"area": area, "floors": base.floors, "sections": len(titles), "section_titles": titles}
    return f"{area}平方米；{base.floors or '—'}层；{len(titles)}个展区", parts


def _townships(scope):
    """The townships of the subtree, which the text states beside the demonstration villages."""
    return {"townships": Unit.objects.subtree(scope.unit).filter(kind=Unit.Kind.TOWNSHIP).count()}


declare(
    id="B1",
    section=1,
    label="廉洁教育基地开工时间 / 开馆时间",
    measure="",
    definition="类别为“廉洁教育基地”的已发布基地中开馆最早者的开工时间与开馆日期",
    family=main_base,
    columns=rows.BASE_COLUMNS,
    describe=_opening,
)
declare(
    id="B2",
    section=1,
    label="廉洁教育基地建筑面积；层数；展区",
    measure="",
    definition="同一基地的建筑面积、展区层数和展区数",
    family=main_base,
    columns=rows.BASE_COLUMNS,
    describe=_building,
)
declare(
    id="B3",
    section=1,
    label="乡镇打造的红色文化教育项目",
    measure="个",
    definition="类别为廉洁教育基地或红色教育纪念馆、且标注“红色教育”主题的已发布基地数",
    family=rows.bases,
    where=Q(theme_red=True, category__in=[Category.EDUCATION_BASE, Category.RED_MEMORIAL]),
    columns=rows.BASE_COLUMNS,
)
declare(
    id="B4",
    section=1,
    label="红廉（抗联）教育展馆",
    measure="个",
    definition="类别为“红廉教育展馆”的已发布基地数",
    family=rows.bases,
    where=Q(category=Category.EXHIBITION_HALL),
    columns=rows.BASE_COLUMNS,
)
declare(
    id="B5",
    section=1,
    label="廉洁文化示范村",
    measure="个",
    definition="类别为“廉洁文化示范村”的已发布基地数",
    family=rows.bases,
    where=Q(category=Category.DEMONSTRATION_VILLAGE),
    columns=rows.BASE_COLUMNS,
    facts=_townships,
)
