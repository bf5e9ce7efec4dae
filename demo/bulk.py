"""A large synthetic data set for performance work (`manage.py generate_bulk --scale N`).

Every run adds a new batch: a batch code no earlier run used marks its unit codes, usernames,
slugs, booking references and verification codes, so that it never collides with the demo data
or an earlier run. Each --scale step adds about 15,000 rows; --scale 70 passes a million.

Reports and admin pages are benchmarked on these rows, so they look like real work: a few units
are large and most are small (the unit of each cadre, record, base and paper signature is a
Zipf-weighted choice), dates run from 2019 to yesterday with a little more work in later years,
kinds, channels and categories are mixed, and every row passes its model's validation.

How rows are written: the catalogue tables (units, cadres, campaigns, bases, slots, publications,
placements, pledge texts) go through bulk_create in large batches, with the history rows their
services would write. The five big tables (activity records and outputs, visit bookings, read
receipts, signatures) are streamed: COPY on PostgreSQL, one executemany INSERT per chunk
elsewhere. Both write the values given, where bulk_create would stamp the auto_now_add columns
(created_at, read_at) with the current time; these rows get no history rows, which would double
the volume for the benefit of no page.
"""

import dataclasses
import datetime
import io
import itertools
import math
import random
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.utils import timezone

from bases.models import EducationBase, VisitBooking, VisitSlot
from campaigns.models import ActivityKind, ActivityOutput, ActivityRecord, Campaign
from core.history import bulk_create_recorded
from core.models import Topic
from demo.inspections import PERIOD_WINDOWS, window
from demo.people import names
from inspections.models import Inspection, Occasion, OccasionPeriod
from pledges.models import VERIFICATION_ALPHABET, PledgeText, PledgeVersion, Signature
from pledges.services import pledge_current_version
from publications.models import Audience, Placement, Publication, ReadReceipt
from units.models import Membership, Unit
from units.review import ReviewStatus

# Rows added per --scale step (the counts that a distribution decides are averages).
TOWNSHIPS = 10  # each with 6–14 villages, a school, a community and now and then an enterprise
CADRES = 300  # more than the units of a step (at most 180), so that every unit has one
CAMPAIGNS = 2
BASES = 20  # each with 10–30 visit slots, most of them booked
RECORDS = 4000  # about half with one or two outputs
PUBLICATIONS = 100  # on 1–3 channels each; those for cadres with read receipts
SIGNATURES = 4000  # over 3 + scale/10 pledge texts, online by cadres and on paper
MAX_SCALE = 200

START = datetime.date(2019, 1, 1)
BATCH_SIZE = 5000  # rows per bulk_create INSERT
STREAM_CHUNK = 50_000  # rows per COPY or executemany
PAPER_NAMES = 20_000  # names of the people who sign on paper, each in one or more units

POSITIONS = ("党员", "村党支部书记", "村委会主任", "镇纪委书记", "科员", "教师", "社区书记", "财务人员", "网格员")
PLACE_FIRST = "东西南北新兴太安永长福红青金柳石三"
PLACE_SECOND = "山河沟岭台坪湾桥屯源泉林丰平"

# Activity kinds, how often each is recorded, the title it gets and the measures of its outputs.
ACTIVITY_KINDS = {
    ActivityKind.STUDY: (20, "党纪法规学习研讨", ("essays", "books")),
    ActivityKind.THEME_EDUCATION: (18, "廉洁文化主题教育活动", ("essays", "items")),
    ActivityKind.LECTURE: (15, "廉政党课", ("books", "copies")),
    ActivityKind.VISIT: (10, "廉政教育基地参观学习", ("essays",)),
    ActivityKind.SUPERVISION: (8, "监督检查", ("items",)),
    ActivityKind.INSPECTION: (8, "节点专项检查", ("items",)),
    ActivityKind.PERFORMANCE: (6, "廉洁文艺演出", ("shows",)),
    ActivityKind.CONTEST: (5, "廉洁文化作品征集", ("works", "essays")),
    ActivityKind.GOVERNANCE: (5, "专项治理", ("items", "copies")),
    ActivityKind.OTHER: (5, "廉洁文化宣传", ("copies", "issues")),
}
BASE_CATEGORIES = {
    EducationBase.Category.EDUCATION_BASE: (25, "廉政教育基地"),
    EducationBase.Category.CULTURE_CORRIDOR: (20, "廉洁文化长廊"),
    EducationBase.Category.DEMONSTRATION_VILLAGE: (18, "廉洁文化示范村"),
    EducationBase.Category.EXHIBITION_HALL: (12, "红廉文化展厅"),
    EducationBase.Category.THEME_PARK: (10, "廉洁文化主题公园"),
    EducationBase.Category.RED_MEMORIAL: (8, "红色文化纪念馆"),
    EducationBase.Category.OTHER: (7, "廉洁文化阵地"),
}
PUBLICATION_KINDS = {
    Publication.Kind.NEWS: (30, "{unit}扎实推进廉洁文化建设"),
    Publication.Kind.NOTICE: (12, "关于开展{year}年廉洁文化宣传教育活动的通知"),
    Publication.Kind.CASE_BULLETIN: (12, "关于{year}年违反中央八项规定精神典型问题的通报"),
    Publication.Kind.STUDY_MATERIAL: (10, "{year}年党纪学习教育学习材料"),
    Publication.Kind.WARNING_MATERIAL: (8, "{year}年警示教育案例选编"),
    Publication.Kind.ANNOUNCEMENT: (8, "{unit}廉洁文化示范点名单公示"),
    Publication.Kind.PLAN: (7, "{unit}{year}年廉洁文化建设实施方案"),
    Publication.Kind.INITIATIVE: (5, "{unit}廉洁过节倡议书"),
    Publication.Kind.RULES_COMPILATION: (4, "党纪法规汇编（{year}年版）"),
    Publication.Kind.WORK_POINTS: (4, "{year}年党风廉政建设和反腐败工作要点"),
}
BULLETIN_KINDS = (Publication.Kind.CASE_BULLETIN, Publication.Kind.WARNING_MATERIAL)
PLEDGE_TITLES = (
    "{year}年党员干部廉洁自律承诺书",
    "{year}年廉洁过节承诺书",
    "{year}年新任职干部廉政承诺书",
    "{year}年家庭助廉倡议书",
    "{year}年廉洁从业承诺书",
)
CANCEL_REASONS = ("行程调整", "天气原因", "单位临时有会", "人数变化")
VOID_REASONS = ("重复签署", "签名人员信息有误")


class Tables:
    """Writes rows in bulk and counts them per table, history tables included."""

    def __init__(self):
        self.counts = Counter()

    def create(self, model, objects: list) -> list:
        """bulk_create in large batches. A model with history also gets one history row per
        object, authored by the system, as its service would have written it."""
        if not objects:  # nothing written, nothing counted
            return []
        history_attribute = getattr(model._meta, "simple_history_manager_attribute", None)
        if history_attribute is None:
            created = model.objects.bulk_create(objects, batch_size=BATCH_SIZE)
            self.counts[model._meta.db_table] += len(created)
            return created
        created = bulk_create_recorded(model, objects, actor=None, batch_size=BATCH_SIZE)
        self.counts[model._meta.db_table] += len(created)
        self.counts[getattr(model, history_attribute).model._meta.db_table] += len(created)
        return created

    def stream(self, model, columns: tuple[str, ...], rows: Iterable[tuple]) -> None:
        """Write `rows` (values in the order of `columns`, field names or attnames) in chunks,
        without model instances: COPY on PostgreSQL, executemany elsewhere. Every NOT NULL
        column must be among `columns`: the database knows no Django defaults."""
        fields = [model._meta.get_field(name) for name in columns]
        write = _copy if connection.vendor == "postgresql" else _insert
        rows = iter(rows)
        while chunk := list(itertools.islice(rows, STREAM_CHUNK)):
            write(model._meta.db_table, fields, chunk)
            self.counts[model._meta.db_table] += len(chunk)


def _column_list(fields) -> str:
    return ", ".join(connection.ops.quote_name(field.column) for field in fields)


# Backslash, tab and line ends are escaped in COPY's text format; \N stands for NULL.
COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, str):
        return value.translate(COPY_ESCAPES)
    return str(value)  # numbers, dates, aware datetimes (with their offset) and UUIDs as PostgreSQL reads them


def _copy(table: str, fields, rows: list[tuple]) -> None:
    """COPY FROM STDIN in the text format (psycopg2's copy_expert): no SQL per row, several
    times faster than multi-row INSERTs."""
    text = "".join("\t".join(map(_copy_text, row)) + "\n" for row in rows)
    with connection.cursor() as cursor:
        cursor.copy_expert(
            f"COPY {connection.ops.quote_name(table)} ({_column_list(fields)}) FROM STDIN", io.StringIO(text)
        )


def _insert(table: str, fields, rows: list[tuple]) -> None:
    """One parameterised INSERT run for every row, with the values prepared by their fields as
    in Django's own INSERTs (aware datetimes to UTC, UUIDs to hex on SQLite)."""
    target = f"{connection.ops.quote_name(table)} ({_column_list(fields)})"
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {target} VALUES ({placeholders})"  # noqa: S608 - names from the models, values as parameters
    params = [
        [field.get_db_prep_save(value, connection) for field, value in zip(fields, row, strict=True)] for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def analyze(tables: Iterable[str]) -> None:
    """Refresh the planner's statistics of `tables` (PostgreSQL and SQLite both know ANALYZE),
    so that benchmarks run right after a large batch see its volumes."""
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


class Skewed:
    """Picks items with Zipf weights (the item of rank r weighs 1/r^0.8, ranks shuffled): a few
    items are picked very often and most rarely, like a few large units among many small ones."""

    def __init__(self, items: list, rng: random.Random, exponent: float = 0.8):
        ranks = list(range(1, len(items) + 1))
        rng.shuffle(ranks)
        self.items, self.rng = items, rng
        self.cumulative = list(itertools.accumulate(rank**-exponent for rank in ranks))

    def pick(self):
        return self.rng.choices(self.items, cum_weights=self.cumulative)[0]


@dataclasses.dataclass
class Run:
    """What every part of one run shares."""

    rng: random.Random
    batch: str
    tables: Tables = dataclasses.field(default_factory=Tables)
    now: datetime.datetime = dataclasses.field(default_factory=timezone.now)

    @property
    def yesterday(self) -> datetime.date:
        """The last day dated rows may have: nothing is dated in the future or later today."""
        return timezone.localdate(self.now) - datetime.timedelta(days=1)

    def day(self, first: datetime.date, last: datetime.date) -> datetime.date:
        """A day from `first` to `last`, later days a little more likely (the work grew year by year)."""
        return first + datetime.timedelta(days=int(((last - first).days + 1) * self.rng.random() ** 0.8))

    def moment(self, day: datetime.date, first_hour: int = 8, last_hour: int = 18) -> datetime.datetime:
        """A moment of office hours on `day`, in the site's time zone, never after now."""
        time = datetime.time(
            self.rng.randint(first_hour, last_hour - 1), self.rng.randrange(60), self.rng.randrange(60)
        )
        return min(datetime.datetime.combine(day, time, tzinfo=timezone.get_current_timezone()), self.now)

    def weighted(self, table: dict):
        """A key of `table` (key → (weight, ...)), chosen by weight."""
        return self.rng.choices(list(table), weights=[entry[0] for entry in table.values()])[0]


def generate(scale: int, seed: str) -> tuple[str, dict[str, int]]:
    """Add one batch; returns its code and the rows written per table."""
    run = Run(rng=random.Random(seed), batch=_new_batch())  # noqa: S311 - synthetic data
    root = _root(run)
    units = _units(run, root, scale)
    unit_choice = Skewed(units, run.rng)
    cadres = _cadres(run, unit_choice, scale, seed)
    _records(run, unit_choice, _campaigns(run, root, scale), scale)
    _inspections(run, [unit for unit in units if unit.kind == Unit.Kind.TOWNSHIP])
    _bookings(run, _slots(run, _bases(run, unit_choice, scale)), cadres)
    _publications(run, root, unit_choice, cadres, scale)
    _signatures(run, root, unit_choice, cadres, scale, seed)
    return run.batch, dict(run.tables.counts)


def _new_batch() -> str:
    """Six hex digits that no earlier run used (every run's unit codes start with B + its batch)."""
    while True:
        batch = uuid.uuid4().hex[:6].upper()
        if not Unit.objects.filter(code__startswith=f"B{batch}").exists():
            return batch


def _with_path(unit: Unit) -> Unit:
    """The unit with the tree path unit_save gives it: its parent's path and its own segment."""
    unit.path = (unit.parent.path if unit.parent else "") + unit.path_segment()
    return unit


def _root(run: Run) -> Unit:
    """The city at the top of the tree; made when the database has none."""
    root = Unit.objects.filter(parent=None).order_by("pk").first()
    if root is None:
        (root,) = run.tables.create(Unit, [_with_path(Unit(name="合成市", kind=Unit.Kind.CITY, code=f"B{run.batch}"))])
    return root


def _place_name(run: Run) -> str:
    return run.rng.choice(PLACE_FIRST) + run.rng.choice(PLACE_SECOND)


def _units(run: Run, root: Unit, scale: int) -> list[Unit]:
    """Townships below the city and the villages, school, community and enterprise below each,
    valid as unit_save makes them (path, history row); townships are written first because the
    units below them need their keys."""
    townships = run.tables.create(
        Unit,
        [
            _with_path(
                Unit(
                    name=f"{_place_name(run)}镇",
                    kind=Unit.Kind.TOWNSHIP,
                    parent=root,
                    code=f"B{run.batch}T{number}",
                    order=900,
                )
            )
            for number in range(TOWNSHIPS * scale)
        ],
    )
    below = [
        _with_path(Unit(name=name, kind=kind, parent=township, code=f"{township.code}U{order}", order=order))
        for township in townships
        for order, (kind, name) in enumerate(_units_of_township(run, township.name[:-1]), start=1)
    ]
    return townships + run.tables.create(Unit, below)


def _units_of_township(run: Run, place: str) -> list[tuple[str, str]]:
    villages = [(Unit.Kind.VILLAGE, f"{_place_name(run)}村") for _ in range(run.rng.randint(6, 14))]
    others = [(Unit.Kind.SCHOOL, f"{place}中心小学"), (Unit.Kind.COMMUNITY, f"{place}社区")]
    if run.rng.random() < 0.3:
        others.append((Unit.Kind.ENTERPRISE, f"{place}农产品有限公司"))
    return villages + others


def _cadres(run: Run, units: Skewed, scale: int, seed: str) -> list[Membership]:
    """Cadres on the rosters (no password: they cannot log in): one in every unit, so that read
    rates and signing progress have someone to count everywhere, the others in skewed units."""
    user_model = get_user_model()
    password = make_password(None)
    users = run.tables.create(
        user_model,
        [
            user_model(username=f"bulk-{run.batch.lower()}-{index}", first_name=name, password=password)
            for index, name in enumerate(names(CADRES * scale, seed))
        ],
    )
    rosters = units.items + [units.pick() for _ in range(len(users) - len(units.items))]
    return run.tables.create(
        Membership,
        [
            Membership(user=user, unit=unit, role=Membership.Role.CADRE, position=run.rng.choice(POSITIONS))
            for user, unit in zip(users, rosters, strict=True)
        ],
    )


def _campaigns(run: Run, root: Unit, scale: int) -> list[Campaign]:
    """City campaigns organised by the city (so every unit below may link records to them),
    counted under one or two of the topics, when there are topics."""
    campaigns = []
    for _ in range(CAMPAIGNS * scale):
        kind = run.weighted(ACTIVITY_KINDS)
        starts = run.day(START, run.yesterday - datetime.timedelta(days=30))
        ends = None if run.rng.random() < 0.2 else starts + datetime.timedelta(days=run.rng.randint(30, 240))
        campaigns.append(
            Campaign(
                title=f"{starts.year}年全市{ACTIVITY_KINDS[kind][1]}行动",
                kind=kind,
                starts_on=starts,
                ends_on=ends,
                summary="合成数据：全市统一部署的专项活动。",
                is_published=True,
                review_status=ReviewStatus.PUBLISHED,
                published_at=run.moment(starts - datetime.timedelta(days=run.rng.randint(1, 14))),
            )
        )
    campaigns = run.tables.create(Campaign, campaigns)
    organisers = Campaign.organisers.through
    run.tables.create(organisers, [organisers(campaign=campaign, unit=root) for campaign in campaigns])
    topics = list(Topic.objects.all())
    if topics:
        linked = Campaign.topics.through
        run.tables.create(
            linked,
            [
                linked(campaign=campaign, topic=topic)
                for campaign in campaigns
                for topic in run.rng.sample(topics, min(len(topics), run.rng.randint(1, 2)))
            ],
        )
    return campaigns


RECORD_COLUMNS = (
    "unit_id",
    "date",
    "kind",
    "title",
    "campaign_id",
    "sessions",
    "participants",
    "issues_found",
    "description",
    "import_key",
    "created_at",
    "is_published",
    "review_status",
    "return_reason",
)


def _records(run: Run, units: Skewed, campaigns: list[Campaign], scale: int) -> None:
    """Activity records, then their outputs, which need the records' keys: read back by the
    import key that carries the record's number."""
    outputs = []
    run.tables.stream(ActivityRecord, RECORD_COLUMNS, _record_rows(run, units, campaigns, RECORDS * scale, outputs))
    prefix = f"bulk:{run.batch}:"
    keys = dict(ActivityRecord.objects.filter(import_key__startswith=prefix).values_list("import_key", "pk"))
    run.tables.stream(
        ActivityOutput,
        ("record_id", "measure", "quantity"),
        ((keys[f"{prefix}{number}"], measure, quantity) for number, measure, quantity in outputs),
    )


def _record_rows(run: Run, units: Skewed, campaigns: list[Campaign], count: int, outputs: list) -> Iterator[tuple]:
    """Records of skewed units; two in five belong to a campaign (its kind, within its dates).
    Person-times are never below the sessions held, and the outputs of each record (number,
    measure, quantity) are added to `outputs`."""
    rng = run.rng
    for number in range(count):
        campaign = rng.choice(campaigns) if campaigns and rng.random() < 0.4 else None
        if campaign:
            kind = campaign.kind
            day = run.day(campaign.starts_on, min(campaign.ends_on or run.yesterday, run.yesterday))
        else:
            kind, day = run.weighted(ACTIVITY_KINDS), _working_day(run, run.day(START, run.yesterday))
        sessions = 1 if rng.random() < 0.7 else rng.randint(2, 8)
        participants = None if rng.random() < 0.05 else sessions * rng.randint(8, 60)
        issues = rng.randint(0, 12) if kind in (ActivityKind.INSPECTION, ActivityKind.SUPERVISION) else None
        unit = units.pick()
        entered = run.moment(min(day + datetime.timedelta(days=rng.randint(0, 10)), run.yesterday))
        measures = ACTIVITY_KINDS[kind][2]
        if rng.random() < 0.55:
            for measure in rng.sample(measures, rng.randint(1, len(measures))):
                outputs.append((number, measure, max(1, int(3 * rng.paretovariate(1.5)))))
        yield (
            unit.pk,
            day,
            kind,
            f"{unit.name}{ACTIVITY_KINDS[kind][1]}",
            campaign.pk if campaign else None,
            sessions,
            participants,
            issues,
            "",
            f"bulk:{run.batch}:{number}",
            entered,
            True,
            ReviewStatus.PUBLISHED,
            "",
        )


def _periods(run: Run) -> list[OccasionPeriod]:
    """Each occasion's period in every year from START to this one; those a year already has are kept."""
    existing = set(Occasion.objects.values_list("name", flat=True))
    missing = [Occasion(name=name, order=order) for name, order in Occasion.DEFAULTS if name not in existing]
    run.tables.create(Occasion, missing)  # made by migration 0002; only an emptied database lacks them
    occasions = Occasion.objects.filter(name__in=PERIOD_WINDOWS)
    have = {(period.occasion_id, period.year) for period in OccasionPeriod.objects.all()}
    wanted = []
    for occasion in occasions:
        for year in range(START.year, run.yesterday.year + 1):
            if (occasion.pk, year) not in have:
                starts, ends = window(occasion.name, year)
                wanted.append(OccasionPeriod(occasion=occasion, year=year, starts_on=starts, ends_on=ends))
    run.tables.create(OccasionPeriod, wanted)
    return list(OccasionPeriod.objects.filter(occasion__in=occasions).select_related("occasion"))


def _inspections(run: Run, townships: list[Unit]) -> None:
    """Most townships inspect at most occasions (results as its staff would record them); now
    and then one is planned and not carried out, and the coming ones are planned only."""
    rows = []
    for period in _periods(run):
        for township in townships:
            chance = run.rng.random()
            if chance < 0.15 or period.starts_on > run.yesterday:
                continue
            day = run.day(period.starts_on, min(period.ends_on, run.yesterday))
            done = chance >= 0.22
            places = run.rng.randint(3, 30) if done else 0
            problems = run.rng.randint(0, places // 3) if done else 0
            rows.append(
                Inspection(
                    period=period,
                    unit=township,
                    title=f"{township.name}{period.occasion.name}期间专项检查",
                    planned_on=day,
                    done_on=day if done else None,
                    inspectors="纪委书记、纪检委员",
                    places_checked=places,
                    problems_found=problems,
                    cases_handed_over=run.rng.randint(0, problems) if problems and run.rng.random() < 0.3 else 0,
                    bulletins_issued=1 if problems and run.rng.random() < 0.2 else 0,
                )
            )
    run.tables.create(Inspection, rows)


def _working_day(run: Run, day: datetime.date) -> datetime.date:
    """Most activities held at a weekend move to the Friday before."""
    if day.weekday() >= 5 and run.rng.random() < 0.7:
        return day - datetime.timedelta(days=day.weekday() - 4)
    return day


def _bases(run: Run, units: Skewed, scale: int) -> list[EducationBase]:
    """Published bases of skewed units, built and opened before they were put online."""
    rng, bases = run.rng, []
    for number in range(BASES * scale):
        unit = units.pick()
        township = unit if unit.kind == Unit.Kind.TOWNSHIP else unit.parent
        category = run.weighted(BASE_CATEGORIES)
        published = run.moment(run.day(START, run.yesterday - datetime.timedelta(days=60)))
        opened = timezone.localdate(published) - datetime.timedelta(days=rng.randint(0, 3000))
        bases.append(
            EducationBase(
                name=f"{unit.name}{BASE_CATEGORIES[category][1]}",
                slug=f"bulk-{run.batch.lower()}-{number}",
                category=category,
                unit=unit,
                township=township,
                address=f"{township.name}{unit.name}",
                latitude=Decimal(f"{44 + rng.random():.6f}"),
                longitude=Decimal(f"{129.5 + rng.random():.6f}"),
                summary="合成数据：集展示、教育、体验于一体的廉洁文化阵地。",
                construction_started=opened - datetime.timedelta(days=rng.randint(90, 720)),
                opened_on=opened,
                floor_area=Decimal(f"{rng.uniform(80, 5000):.1f}"),
                floors=rng.randint(1, 4),
                is_free=rng.random() < 0.9,
                opening_hours="周二至周日 9:00–16:30",
                contact_phone=f"0453-{rng.randint(7000000, 7999999)}",
                features=rng.sample(EducationBase.Feature.values, rng.randint(0, 3)),
                theme_red=rng.random() < 0.5,
                theme_warning=rng.random() < 0.6,
                theme_family=rng.random() < 0.3,
                is_published=True,
                review_status=ReviewStatus.PUBLISHED,
                published_at=published,
            )
        )
    return run.tables.create(EducationBase, bases)


def _slots(run: Run, bases: list[EducationBase]) -> list[VisitSlot]:
    """10–30 slots per base on distinct days, from a month after it went online to two months
    ahead; a few are closed."""
    rng, slots = run.rng, []
    for base in bases:
        first = timezone.localdate(base.published_at) + datetime.timedelta(days=30)
        span = (run.yesterday - first).days + 62
        for offset in sorted(rng.sample(range(span), min(span, rng.randint(10, 30)))):
            start = rng.choice((datetime.time(9), datetime.time(14, 30)))
            closed = rng.random() < 0.03
            slots.append(
                VisitSlot(
                    base=base,
                    date=first + datetime.timedelta(days=offset),
                    start_time=start,
                    end_time=start.replace(hour=start.hour + 2),
                    capacity=rng.choice((20, 30, 40, 50, 60, 80)),
                    is_closed=closed,
                    note="场馆维护" if closed else "",
                )
            )
    return run.tables.create(VisitSlot, slots)


BOOKING_COLUMNS = (
    "reference",
    "slot_id",
    "visitor",
    "unit_id",
    "organisation",
    "purpose",
    "booked_by_id",
    "group_size",
    "contact_name",
    "contact_phone",
    "note",
    "status",
    "cancel_reason",
    "actual_visitors",
    "request_token",
    "created_at",
    "confirmed_at",
    "cancelled_at",
    "contact_erased_at",
)
# Status weights (in the order of VisitBooking.Status: pending, confirmed, declined, cancelled) of
# bookings for past and for coming visits.
PAST_STATUSES = (10, 72, 3, 15)
COMING_STATUSES = (52, 40, 3, 5)


def _bookings(run: Run, slots: list[VisitSlot], cadres: list[Membership]) -> None:
    run.tables.stream(VisitBooking, BOOKING_COLUMNS, _booking_rows(run, slots, cadres))


def _booking_rows(run: Run, slots: list[VisitSlot], cadres: list[Membership]) -> Iterator[tuple]:
    """0–4 bookings per open slot, by cadres of skewed units (cadres are placed in them so) and one
    in five by schools and families on the public site, never holding more seats than the slot
    has. Past visits are mostly confirmed, with the visitors counted; contacts of visits older than
    the retention period are erased, as the daily job does."""
    rng, number = run.rng, itertools.count()
    erase_before = run.yesterday - datetime.timedelta(days=settings.PORTAL_CONTACT_RETENTION_DAYS)
    for slot in slots:
        if slot.is_closed:
            continue
        past, held = slot.date <= run.yesterday, 0
        for _ in range(rng.choices(range(5), weights=(3, 4, 3, 2, 1))[0]):
            status = rng.choices(VisitBooking.Status.values, weights=PAST_STATUSES if past else COMING_STATUSES)[0]
            size = rng.randint(5, 40)
            if status in VisitBooking.HOLDING_STATUSES:
                size = min(size, slot.capacity - held)
                if size < 1:
                    break
                held += size
            booker = rng.choice(cadres)
            visitor = rng.choice(VisitBooking.PUBLIC_VISITORS) if rng.random() < 0.2 else VisitBooking.Visitor.UNIT
            public = visitor != VisitBooking.Visitor.UNIT
            created = run.moment(min(slot.date - datetime.timedelta(days=rng.randint(2, 30)), run.yesterday))
            later = min(created + datetime.timedelta(hours=rng.randint(1, 36)), run.now)
            confirmed = status == VisitBooking.Status.CONFIRMED
            cancelled = status not in VisitBooking.HOLDING_STATUSES  # cancelled or declined
            erased = slot.date < erase_before
            yield (
                f"YY{timezone.localtime(created):%y%m%d}{run.batch}{next(number):X}",
                slot.pk,
                visitor,
                None if public else booker.unit_id,
                f"第{rng.randint(1, 30)}中学" if visitor == VisitBooking.Visitor.ORGANISATION else "",
                rng.choice(("研学实践", "家风教育", "主题党日")) if public else "",
                None if public else booker.user_id,
                size,
                "" if erased else booker.user.first_name,
                "" if erased else f"13{rng.randint(0, 999_999_999):09d}",
                "",
                status,
                rng.choice(CANCEL_REASONS) if cancelled else "",
                size - rng.randint(0, min(3, size)) if confirmed and past and rng.random() < 0.9 else None,
                uuid.uuid4(),  # as the form makes it; a seeded one would repeat in the next run
                created,
                later if confirmed else None,
                later if cancelled else None,
                run.moment(slot.date + datetime.timedelta(days=settings.PORTAL_CONTACT_RETENTION_DAYS + 1), 2, 3)
                if erased
                else None,
            )


def _publications(run: Run, root: Unit, units: Skewed, cadres: list[Membership], scale: int) -> None:
    """Publications of the city and of skewed units, placed on channels; a share of the cadres
    confirmed studying those meant for cadres."""
    publications = run.tables.create(Publication, _publication_objects(run, root, units, PUBLICATIONS * scale))
    published = [publication for publication in publications if publication.is_published]
    run.tables.create(Placement, [placement for item in published for placement in _placements(run, item)])
    readers = run.rng.sample(cadres, len(cadres) * 3 // 5)  # the others never confirm anything
    restricted = [publication for publication in published if publication.audience == Audience.CADRES]
    run.tables.stream(
        ReadReceipt, ("publication_id", "user_id", "unit_id", "read_at"), _receipt_rows(run, restricted, readers)
    )


def _publication_objects(run: Run, root: Unit, units: Skewed, count: int) -> list[Publication]:
    """Mostly published items, issued on paper up to two weeks before they were put online;
    bulletins are mostly for cadres and numbered in their series by year."""
    rng, issues = run.rng, Counter()
    objects = []
    for _ in range(count):
        kind = run.weighted(PUBLICATION_KINDS)
        issuer = root if rng.random() < 0.4 else units.pick()
        published = run.moment(run.day(START + datetime.timedelta(days=14), run.yesterday))
        issued = timezone.localdate(published) - datetime.timedelta(days=rng.randint(0, 14))
        cadres_share = 0.8 if kind in BULLETIN_KINDS else 0.1
        audience = (
            Audience.CADRES
            if rng.random() < cadres_share
            else rng.choices((Audience.PUBLIC, Audience.STAFF), (19, 1))[0]
        )
        numbered = kind == Publication.Kind.CASE_BULLETIN
        if numbered:
            issues[issued.year] += 1
        is_published = rng.random() < 0.97
        objects.append(
            Publication(
                kind=kind,
                title=PUBLICATION_KINDS[kind][1].format(unit=issuer.name, year=issued.year),
                series=f"合成典型案例通报{run.batch}" if numbered else "",
                year=issued.year if numbered else None,
                issue_number=issues[issued.year] if numbered else None,
                audience=audience,
                issuing_unit=issuer,
                summary="合成数据。",
                copies_printed=rng.randint(100, 5000) if kind in BULLETIN_KINDS else 0,
                is_published=is_published,
                review_status=ReviewStatus.PUBLISHED if is_published else ReviewStatus.DRAFT,
                published_at=published if is_published else None,
                issued_on=issued,
            )
        )
    return objects


def _placements(run: Run, publication: Publication) -> list[Placement]:
    """1–3 distinct channels, each within a week of the item going online."""
    channels = run.rng.sample(Placement.Channel.values, run.rng.choices((1, 2, 3), (5, 3, 2))[0])
    first = timezone.localdate(publication.published_at)
    return [
        Placement(
            publication=publication,
            channel=channel,
            date=min(first + datetime.timedelta(days=run.rng.randint(0, 7)), run.yesterday),
        )
        for channel in channels
    ]


def _receipt_rows(run: Run, publications: list[Publication], readers: list[Membership]) -> Iterator[tuple]:
    """About 40 readers per item on average (log-normal: most items few, some many), each
    confirming a few days after it went online; those whose turn would come after now have
    not read it yet."""
    rng = run.rng
    for publication in publications:
        wanted = min(len(readers), max(1, int(rng.lognormvariate(math.log(30), 0.8))))
        for reader in rng.sample(readers, wanted):
            read_at = publication.published_at + datetime.timedelta(hours=rng.expovariate(1 / 72))
            if read_at < run.now:
                yield publication.pk, reader.user_id, reader.unit_id, read_at


SIGNATURE_COLUMNS = (
    "pledge_id",
    "version_id",
    "user_id",
    "signer_name",
    "unit_id",
    "position",
    "method",
    "signed_at",
    "drawn_signature",
    "verification_code",
    "is_void",
    "void_reason",
)


def _signatures(run: Run, root: Unit, units: Skewed, cadres: list[Membership], scale: int, seed: str) -> None:
    """Signatures over several pledge texts, the first texts signed most: on each, up to three
    in ten online by cadres (each once), the others on paper by people of skewed units (each
    name once per unit, never a cadre's)."""
    pledges = _pledge_texts(run, root, 3 + scale // 10)
    sizes = _split(SIGNATURES * scale, [1 / rank for rank in range(1, len(pledges) + 1)])
    online = [min(size * 3 // 10, len(cadres) * 9 // 10) for size in sizes]
    paper_signers = _paper_signers(
        run, units, cadres, max(size - part for size, part in zip(sizes, online, strict=True)), seed
    )
    numbers = itertools.count()
    for pledge, size, online_count in zip(pledges, sizes, online, strict=True):
        version = pledge_current_version(pledge)
        run.tables.counts[PledgeVersion._meta.db_table] += 1
        signers = [
            (cadre.user_id, cadre.user.first_name, cadre.unit_id, cadre.position, Signature.Method.ONLINE)
            for cadre in run.rng.sample(cadres, online_count)
        ]
        signers += [
            (None, name, unit_id, position, Signature.Method.PAPER)
            for name, unit_id, position in run.rng.sample(paper_signers, size - online_count)
        ]
        run.tables.stream(Signature, SIGNATURE_COLUMNS, _signature_rows(run, pledge, version, signers, numbers))


def _pledge_texts(run: Run, root: Unit, count: int) -> list[PledgeText]:
    """Texts of the city opened over the years; most close after a few months to a year."""
    texts = []
    for _ in range(count):
        opens = run.day(START, run.yesterday - datetime.timedelta(days=60))
        title = run.rng.choice(PLEDGE_TITLES).format(year=opens.year)
        texts.append(
            PledgeText(
                title=title,
                kind=PledgeText.Kind.INITIATIVE if title.endswith("倡议书") else PledgeText.Kind.PLEDGE,
                body=f"<p>{title}（合成数据）</p>",
                audience=run.rng.choice(PledgeText.Audience.values),
                issuing_unit=root,
                opens_on=opens,
                closes_on=None if run.rng.random() < 0.3 else opens + datetime.timedelta(days=run.rng.randint(60, 400)),
                is_published=True,
                published_at=run.moment(opens - datetime.timedelta(days=run.rng.randint(0, 7))),
            )
        )
    return run.tables.create(PledgeText, texts)


def _split(total: int, weights: list[float]) -> list[int]:
    """`total` split in proportion to `weights`, the parts summing to `total` exactly."""
    parts = [int(total * weight / sum(weights)) for weight in weights]
    for index in range(total - sum(parts)):
        parts[index % len(parts)] += 1
    return parts


def _paper_signers(run: Run, units: Skewed, cadres: list[Membership], count: int, seed: str) -> list[tuple]:
    """`count` distinct (name, unit, position) people who sign on paper, none of them a cadre:
    a cadre with an account signs online, and one person signs a text once."""
    pool = names(PAPER_NAMES, seed + "paper")
    taken = {(cadre.user.first_name, cadre.unit_id) for cadre in cadres}
    signers = []
    while len(signers) < count:
        person = (run.rng.choice(pool), units.pick().pk)
        if person not in taken:
            taken.add(person)
            signers.append((*person, run.rng.choice(POSITIONS)))
    return signers


def _signature_rows(
    run: Run, pledge: PledgeText, version: PledgeVersion, signers: list[tuple], numbers: Iterator[int]
) -> Iterator[tuple]:
    """Most people sign soon after a text opens. Paper signatures are dated at noon, as the
    import dates them; one in two hundred is void."""
    rng = run.rng
    last = min(pledge.closes_on or run.yesterday, run.yesterday)
    span = (last - pledge.opens_on).days + 1
    for user_id, name, unit_id, position, method in signers:
        day = pledge.opens_on + datetime.timedelta(days=int(span * rng.random() ** 2))
        signed_at = run.moment(day, 12, 13) if method == Signature.Method.PAPER else run.moment(day, 7, 23)
        void = rng.random() < 0.005
        yield (
            pledge.pk,
            version.pk,
            user_id,
            name,
            unit_id,
            position,
            method,
            signed_at,
            "",
            _verification_code(run.batch, next(numbers)),
            void,
            rng.choice(VOID_REASONS) if void else "",
        )


def _verification_code(batch: str, number: int) -> str:
    """Ten characters of the verification alphabet, like the random codes: five spell the batch
    (24 bits) and five the signature's number in it, so no two bulk signatures share one."""
    value, digits = (int(batch, 16) << 25) | number, []
    for _ in range(10):
        value, digit = divmod(value, len(VERIFICATION_ALPHABET))
        digits.append(VERIFICATION_ALPHABET[digit])
    return "".join(reversed(digits))
