"""The demo's holiday inspections: the four special inspections of the source report (清明 and
中秋国庆 in 2020 and 2021, by the commission: "清明节和国庆中秋节期间开展专项检查4次"), with the
supervision periods of the story's years, and a few current ones so the calendar looks alive:
this year's periods with townships' inspections, and the coming period with one plan."""

import datetime

from django.utils import timezone

from inspections.models import Inspection, Occasion, OccasionPeriod
from inspections.services import inspection_save, occasions_ensure

# The story's periods, on the real holiday dates of those years: (occasion, year, from, to).
STORY_PERIODS = [
    ("元旦春节", 2020, datetime.date(2019, 12, 25), datetime.date(2020, 2, 8)),
    ("清明", 2020, datetime.date(2020, 4, 1), datetime.date(2020, 4, 6)),
    ("五一端午", 2020, datetime.date(2020, 4, 28), datetime.date(2020, 6, 27)),
    ("中秋国庆", 2020, datetime.date(2020, 9, 25), datetime.date(2020, 10, 10)),
    ("元旦春节", 2021, datetime.date(2020, 12, 25), datetime.date(2021, 2, 26)),
    ("清明", 2021, datetime.date(2021, 3, 30), datetime.date(2021, 4, 6)),
    ("五一端午", 2021, datetime.date(2021, 4, 28), datetime.date(2021, 6, 16)),
    ("中秋国庆", 2021, datetime.date(2021, 9, 15), datetime.date(2021, 10, 9)),
    ("元旦春节", 2022, datetime.date(2021, 12, 25), datetime.date(2022, 2, 15)),
    ("清明", 2022, datetime.date(2022, 3, 30), datetime.date(2022, 4, 6)),
    ("五一端午", 2022, datetime.date(2022, 4, 28), datetime.date(2022, 6, 5)),
    ("中秋国庆", 2022, datetime.date(2022, 9, 5), datetime.date(2022, 10, 9)),
]
# The source report's inspections: (occasion, year, day, places checked, problems, leads).
STORY_INSPECTIONS = [
    ("清明", 2020, datetime.date(2020, 4, 4), 18, 3, 1),
    ("中秋国庆", 2020, datetime.date(2020, 10, 2), 22, 4, 1),
    ("清明", 2021, datetime.date(2021, 4, 3), 16, 2, 0),
    ("中秋国庆", 2021, datetime.date(2021, 9, 21), 25, 5, 2),
]
# Each occasion's period as (month, day) from and to, for years the story does not cover; 元旦春节
# starts in December of the year before. Real dates move with the lunar calendar; these hold them.
PERIOD_WINDOWS = {
    "元旦春节": ((12, 25), (2, 20)),
    "清明": ((3, 28), (4, 8)),
    "五一端午": ((4, 28), (6, 25)),
    "中秋国庆": ((9, 10), (10, 10)),
}


def window(name: str, year: int) -> tuple[datetime.date, datetime.date]:
    (first_month, first_day), (last_month, last_day) = PERIOD_WINDOWS[name]
    return datetime.date(year - (first_month > last_month), first_month, first_day), datetime.date(
        year, last_month, last_day
    )


def _period(occasions, name, year, starts, ends) -> OccasionPeriod:
    period, _created = OccasionPeriod.objects.update_or_create(
        occasion=occasions[name], year=year, defaults={"starts_on": starts, "ends_on": ends}
    )
    return period


def _inspection(period, unit, title, planned, done=None, **results) -> Inspection:
    inspection = Inspection.objects.filter(period=period, unit=unit).first() or Inspection(period=period, unit=unit)
    inspection.title, inspection.planned_on, inspection.done_on = title, planned, done
    inspection.inspectors = "市纪委监委第一监督检查室" if unit.code == "JW" else "镇纪委书记、纪检委员"
    for name in Inspection.RESULT_FIELDS:
        setattr(inspection, name, results.get(name, 0))
    return inspection_save(inspection=inspection, actor=None)


def load_inspections(units) -> None:
    occasions_ensure()
    occasions = {occasion.name: occasion for occasion in Occasion.objects.all()}
    periods = {(name, year): _period(occasions, name, year, starts, ends) for name, year, starts, ends in STORY_PERIODS}
    for name, year, day, places, problems, leads in STORY_INSPECTIONS:
        _inspection(
            periods[(name, year)],
            units["JW"],
            f"{name}期间作风建设专项检查",
            day,
            day,
            places_checked=places,
            problems_found=problems,
            cases_handed_over=leads,
        )
    # This year's and the coming periods, and what the townships did in those already past.
    today = timezone.localdate()
    townships = [units["T01"], units["T02"], units["T03"]]
    for year in (today.year, today.year + 1):
        for name in PERIOD_WINDOWS:
            starts, ends = window(name, year)
            period = _period(occasions, name, year, starts, ends)
            title = f"{name}期间纠治“四风”专项检查"
            if ends < today:
                for index, unit in enumerate(townships):
                    day = min(starts + datetime.timedelta(days=2 + index), ends)
                    done = day if index < 2 else None  # the third township planned and did not go
                    results = {"places_checked": 6 + 3 * index, "problems_found": index} if done else {}
                    _inspection(period, unit, title, day, done, **results)
            elif starts > today and not Inspection.objects.filter(period__starts_on__gt=today).exists():
                _inspection(period, units["JW"], title, starts + datetime.timedelta(days=3))
